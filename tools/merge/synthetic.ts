// Synthetic stream meter records (docs/meter-protocol.md) of openai-chat
// streams, for the merge's unit tests and its memory figure in the bench: a
// role chunk, plain tokens as fast flags, a finish chunk, usage, [DONE].

/** One synthetic request. */
export interface SyntheticRequest {
  workload: string;
  /** Event times in ms after the write: the first token, then one per further token. */
  tokenTimes: number[];
  /** HTTP status; other than 200 makes an error answer with `body`. */
  status?: number;
  body?: string;
  /** ms since the instance's test start (ctx.s). */
  startedMs?: number;
  /** ctx.t: the workload keeps an outcome timeline. */
  timeline?: boolean;
  errorKind?: string;
  /** usage.prompt_tokens_details.cached_tokens; absent: not reported. */
  cachedTokens?: number;
  /** ctx.im: the request's images as flat (bytes, pixels) pairs. */
  images?: number[];
}

const ROLE = '{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}';
const FINISH = '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';
const usage = (tokens: number, cached?: number): string =>
  `{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":${tokens}${cached === undefined ? '' : `,"prompt_tokens_details":{"cached_tokens":${cached}}`}}}`;

/** The records-file line of one synthetic request. */
export function syntheticRecordLine(r: SyntheticRequest, vu = 1): string {
  const ctx = { w: r.workload, t: r.timeline ? 1 : 0, s: r.startedMs ?? 0, st: 1, ...(r.images ? { im: r.images } : {}) };
  const status = r.status ?? 200;
  if (status !== 200 || r.errorKind) {
    return JSON.stringify({
      status, retryAfter: '', headersMs: status === 0 ? 0 : 3, endMs: 5, isSSE: false, times: [], data: [], fast: [], comments: 0, unterminated: false,
      body: r.body ?? '', bodyBytes: (r.body ?? '').length, errorKind: r.errorKind ?? '', errorMessage: r.errorKind ? `${r.errorKind} upstream` : '',
      kernelStamps: true, readLagMaxMs: 0.1, sendLagMs: 0.05, localPort: 40000, sentUnixNs: 0, vu: String(vu), url: 'http://127.0.0.1:1/v1/chat/completions', ctx,
    });
  }
  const t = r.tokenTimes;
  const last = t[t.length - 1] ?? 1;
  const times = [1, ...t, last, last, last];
  const data = [ROLE, ...t.map(() => ''), FINISH, usage(t.length, r.cachedTokens), '[DONE]'];
  const fast = [0, ...t.map(() => 1), 0, 0, 0];
  return JSON.stringify({
    status, retryAfter: '', headersMs: 1, endMs: last + 0.5, isSSE: true, times, data, fast, comments: 0, unterminated: false, body: '', bodyBytes: 0,
    errorKind: '', errorMessage: '', kernelStamps: true, readLagMaxMs: 0.2, sendLagMs: 0.05, localPort: 40000, sentUnixNs: 0, vu: String(vu),
    url: 'http://127.0.0.1:1/v1/chat/completions', ctx,
  });
}

/** A small deterministic generator (mulberry32) so synthetic runs are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Token times of a stream: TTFT then `tokens - 1` gaps, jittered, rounded to µs like the meter writes. */
export function streamTimes(random: () => number, ttftMs: number, itlMs: number, tokens: number): number[] {
  const out: number[] = [];
  let t = ttftMs * (0.8 + 0.4 * random());
  for (let i = 0; i < tokens; i++) {
    out.push(Math.round(t * 1000) / 1000);
    t += itlMs * (0.5 + random());
  }
  return out;
}

/** A minimal llm-summary.json of one instance of `workload`, as the merge reads it. */
export function syntheticSummary(workload: string, thresholdsSource: string | null, durationMs = 60_000): object {
  return {
    tool: 'k6-llm',
    workloads: { [workload]: { requests: 0, settings: { vus: 1 }, thresholdsSource, arrivals: null, batch: null, availability: null, coldStart: null } },
    generator: { lagMs: null, readLagMs: null, sendLagMs: null, kernelStamps: true, warnAboveMs: 5, warning: null },
    thresholds: [],
    run: { model: 'synthetic', protocol: 'openai-chat', transport: 'meter' },
    testRunDurationMs: durationMs,
    warnings: [],
  };
}
