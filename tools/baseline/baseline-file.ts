// The baseline file (version 2): per workload, the time windows of the
// runs it was saved from with each window's per-request samples (blocks.ts),
// so a later run can be compared with confidence. Values are kept to the
// microsecond; a workload's samples are thinned beyond MAX_REQUEST_SAMPLES
// requests and MAX_ITL_SAMPLES inter-token latencies (a seeded random share
// of the requests, the share written in the file), which keeps the file
// under about 0.5 MB per workload and the comparison valid (a random share
// of requests is itself a sample of the same distribution). Pure: the CLI
// reads and writes the files.

import { COLUMNS, type Block, type WorkloadSample } from './blocks.ts';

/** The baseline file's format version. */
export const BASELINE_VERSION = 2;

/** One run a baseline was saved from. */
export interface BaselineRun {
  /** Its folder, as given. */
  source: string;
  model: string;
  durationMs: number;
  /**
   * How high the run's latency tails may read because its load generator was
   * short of CPU (ms): its read lag p99 (kernel stamps) or timer lag p99, when
   * its summary warned of it (generator.warning); 0 when it did not.
   */
  mayReadHighMs: number;
}

/** A saved baseline. */
export interface BaselineFile {
  tool: 'k6-llm';
  kind: 'baseline';
  version: typeof BASELINE_VERSION;
  savedAt: string;
  runs: BaselineRun[];
  workloads: Record<string, WorkloadSample>;
}

/** A baseline that cannot be used: one line, exit 2. */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

const micro = (v: number): number => Math.round(v * 1000) / 1000;

/** The file's text: its header readable, one line per window. */
export function renderBaseline(file: BaselineFile): string {
  const lines = ['{', `  "tool": "k6-llm",`, `  "kind": "baseline",`, `  "version": ${BASELINE_VERSION},`, `  "savedAt": ${JSON.stringify(file.savedAt)},`, `  "runs": ${JSON.stringify(file.runs)},`, '  "workloads": {'];
  const names = Object.keys(file.workloads);
  for (const [i, name] of names.entries()) {
    const w = file.workloads[name] as WorkloadSample;
    lines.push(`    ${JSON.stringify(name)}: {`, `      "requests": ${w.requests}, "kept": ${w.kept}, "keptItl": ${w.keptItl},`, '      "blocks": [');
    for (const [j, b] of w.blocks.entries()) {
      const block: Block = { run: b.run, ms: micro(b.ms), succeeded: b.succeeded, failed: b.failed, outputTokens: micro(b.outputTokens), ttftMs: [], ttfoMs: [], itlMs: [], tpotMs: [], e2eMs: [] };
      for (const c of COLUMNS) block[c] = b[c].map(micro);
      lines.push(`        ${JSON.stringify(block)}${j < w.blocks.length - 1 ? ',' : ''}`);
    }
    lines.push('      ]', `    }${i < names.length - 1 ? ',' : ''}`);
  }
  lines.push('  }', '}', '');
  return lines.join('\n');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Reads a baseline file's text; throws BaselineError in one line naming the file, the place and what was expected. */
export function parseBaseline(text: string, path: string): BaselineFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(`invalid baseline ${path}; expected JSON saved by \`k6-llm baseline save\`, got unreadable JSON (${(err as Error).message})`);
  }
  const resave = `save it again from the run folders: k6-llm baseline save --from <run folder> [--from <run folder> ...] --out ${path}`;
  if (!isObject(value) || (value.kind !== 'baseline' && value.version !== 1)) throw new BaselineError(`invalid baseline ${path}; expected a k6-llm baseline (saved by \`k6-llm baseline save\`), got another JSON file`);
  if (value.version === 1) throw new BaselineError(`invalid baseline ${path}; expected version ${BASELINE_VERSION} (per-request samples), got version 1 (figures only, saved by an older k6-llm): ${resave}`);
  if (value.version !== BASELINE_VERSION) throw new BaselineError(`invalid baseline ${path}; expected version ${BASELINE_VERSION}, got version ${describe(value.version)} (saved by a newer k6-llm?)`);
  const fail = (where: string, expected: string, got: unknown): never => {
    throw new BaselineError(`invalid baseline ${path} at ${where}; expected ${expected}, got ${describe(got)}`);
  };
  if (typeof value.savedAt !== 'string') fail('savedAt', 'a date', value.savedAt);
  if (!Array.isArray(value.runs) || value.runs.length === 0) fail('runs', 'a list of the runs it was saved from', value.runs);
  const runs = (value.runs as unknown[]).map((r, i): BaselineRun => {
    if (!isObject(r) || typeof r.source !== 'string' || typeof r.model !== 'string' || typeof r.durationMs !== 'number' || typeof r.mayReadHighMs !== 'number') {
      return fail(`runs[${i}]`, '{"source", "model", "durationMs", "mayReadHighMs"}', r);
    }
    return { source: r.source, model: r.model, durationMs: r.durationMs, mayReadHighMs: r.mayReadHighMs };
  });
  if (!isObject(value.workloads)) fail('workloads', 'an object of workloads', value.workloads);
  const workloads: Record<string, WorkloadSample> = {};
  for (const [name, w] of Object.entries(value.workloads as Record<string, unknown>)) {
    const at = `workloads.${name}`;
    if (!isObject(w)) return fail(at, 'an object', w);
    for (const field of ['requests', 'kept', 'keptItl'] as const) if (typeof w[field] !== 'number') fail(`${at}.${field}`, 'a number', w[field]);
    if (!Array.isArray(w.blocks) || w.blocks.length === 0) return fail(`${at}.blocks`, 'a list of time windows', w.blocks);
    const blocks = w.blocks.map((b: unknown, j: number): Block => readBlock(b, `${at}.blocks[${j}]`, runs.length, fail));
    workloads[name] = { blocks, requests: w.requests as number, kept: w.kept as number, keptItl: w.keptItl as number };
  }
  return { tool: 'k6-llm', kind: 'baseline', version: BASELINE_VERSION, savedAt: value.savedAt as string, runs, workloads };
}

function readBlock(b: unknown, at: string, runs: number, fail: (where: string, expected: string, got: unknown) => never): Block {
  if (!isObject(b)) return fail(at, 'a time window (an object)', b);
  const count = (field: string): number => {
    const v = b[field];
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fail(`${at}.${field}`, 'a whole number >= 0', v);
  };
  const run = count('run');
  if (run >= runs) fail(`${at}.run`, `a run index below ${runs}`, run);
  if (typeof b.ms !== 'number' || !(b.ms > 0)) fail(`${at}.ms`, 'a length in ms above 0', b.ms);
  const block: Block = { run, ms: b.ms as number, succeeded: count('succeeded'), failed: count('failed'), outputTokens: typeof b.outputTokens === 'number' && b.outputTokens >= 0 ? b.outputTokens : fail(`${at}.outputTokens`, 'a number >= 0', b.outputTokens), ttftMs: [], ttfoMs: [], itlMs: [], tpotMs: [], e2eMs: [] };
  for (const c of COLUMNS) {
    const v = b[c];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) fail(`${at}.${c}`, 'a list of numbers (ms)', v);
    block[c] = v as number[];
  }
  return block;
}
