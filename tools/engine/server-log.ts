// Reads llama.cpp's per-request timings from the llama-cpp-python server's
// stderr. With verbose on (the server's default), every completion ends with
// llama.cpp's perf lines, e.g.
//   llama_perf_context_print: prompt eval time =  131.20 ms /    28 tokens (...)
//   llama_perf_context_print:        eval time = 1250.02 ms /    63 runs   (...)
// prompt eval is the prefill of the tokens that were not already in the KV
// cache; eval is the decode of each generated token after the first (one
// "run" per token). The server serves one request at a time, so the n-th
// block belongs to the n-th request it finished. Pure: text in, figures out.

/** llama.cpp's timings of one request, as logged. */
export interface EngineTimings {
  /** Prefill: `prompt eval time` (ms). */
  promptEvalMs: number;
  /** Tokens prefilled (those not reused from the KV cache). */
  promptTokens: number;
  /** Decode: `eval time` (ms). */
  evalMs: number;
  /** Decode runs (one per generated token after the first); 0 when there were none. */
  evalRuns: number;
  /** `total time` (ms); null when the line was not there. */
  totalMs: number | null;
}

const PROMPT = /prompt eval time\s*=\s*([\d.]+) ms\s*\/\s*(\d+) tokens/;
// "eval time" alone: not the tail of "prompt eval time".
const EVAL = /(?:^|[^t] )eval time\s*=\s*([\d.]+) ms\s*\/\s*(\d+) runs/;
const TOTAL = /total time\s*=\s*([\d.]+) ms/;

/**
 * Every request's timings in log order. A block starts at its `prompt eval
 * time` line; its `eval time` and `total time` lines follow. A block without
 * an eval line (no decode run logged) has evalMs and evalRuns 0.
 */
export function parseEngineTimings(log: string): EngineTimings[] {
  const out: EngineTimings[] = [];
  let current: EngineTimings | null = null;
  for (const line of log.split('\n')) {
    const p = PROMPT.exec(line);
    if (p) {
      current = { promptEvalMs: Number(p[1]), promptTokens: Number(p[2]), evalMs: 0, evalRuns: 0, totalMs: null };
      out.push(current);
      continue;
    }
    if (!current) continue;
    const e = EVAL.exec(line);
    if (e) {
      current.evalMs = Number(e[1]);
      current.evalRuns = Number(e[2]);
      continue;
    }
    const t = TOTAL.exec(line);
    if (t) current.totalMs = Number(t[1]);
  }
  return out;
}

/** Decode time per generated token (ms): eval time / runs; null with no runs. */
export function decodeMsPerToken(t: EngineTimings): number | null {
  return t.evalRuns > 0 ? t.evalMs / t.evalRuns : null;
}
