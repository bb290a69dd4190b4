// The run over time: requests grouped into windows of equal length by send
// time, with each window's TTFT p50/p99, output tokens per second, mean
// requests in flight and failures by kind. Pure.

import { quantileSorted } from '../measure/quantile.ts';
import type { RequestPoint } from './requests.ts';

/** One window of the run. */
export interface TimeWindow {
  /** Window start and end, ms after the first request was sent. */
  startMs: number;
  endMs: number;
  /** Requests sent in the window (interrupted ones left out). */
  requests: number;
  ttftP50Ms: number | null;
  ttftP99Ms: number | null;
  /** Output tokens that arrived in the window (each request's spread evenly from its first to its last token), per second. */
  outputTokensPerSecond: number;
  /** Mean number of requests in flight during the window (time in flight / window length). */
  inFlight: number;
  /** Failed requests sent in the window, by error kind. */
  errors: Record<string, number>;
}

const STEPS_MS = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];

/** A round window length giving at most about `target` windows over `spanMs`. */
export function windowLength(spanMs: number, target = 40): number {
  return STEPS_MS.find((s) => spanMs / s <= target) ?? STEPS_MS[STEPS_MS.length - 1];
}

/** When a request ended, ms after its send: its last token, else its headers, else when it was sent. */
function endOf(p: RequestPoint): number {
  return p.record.e2eMs ?? p.record.headersMs ?? 0;
}

/** Adds `amount`, spread evenly over [from, to), to the windows it overlaps. */
function spread(into: number[], from: number, to: number, amount: number, windowMs: number): void {
  if (!(amount > 0)) return;
  if (to <= from) {
    const i = Math.floor(from / windowMs);
    if (i >= 0 && i < into.length) into[i] += amount;
    return;
  }
  const rate = amount / (to - from);
  for (let i = Math.max(0, Math.floor(from / windowMs)); i < into.length && i * windowMs < to; i++) {
    const overlap = Math.min(to, (i + 1) * windowMs) - Math.max(from, i * windowMs);
    if (overlap > 0) into[i] += overlap * rate;
  }
}

/** The windows of a run's requests (one workload's, or all). */
export function timeWindows(points: readonly RequestPoint[], windowMs?: number): TimeWindow[] {
  if (points.length === 0) return [];
  const span = Math.max(...points.map((p) => p.sentMs + endOf(p)), 1);
  const w = windowMs ?? windowLength(span);
  const n = Math.max(1, Math.ceil(span / w));
  const tokens = new Array<number>(n).fill(0);
  const busy = new Array<number>(n).fill(0);
  const ttfts: number[][] = Array.from({ length: n }, () => []);
  const windows: TimeWindow[] = Array.from({ length: n }, (_, i) => ({
    startMs: i * w,
    endMs: (i + 1) * w,
    requests: 0,
    ttftP50Ms: null,
    ttftP99Ms: null,
    outputTokensPerSecond: 0,
    inFlight: 0,
    errors: {},
  }));
  for (const p of points) {
    const r = p.record;
    const i = Math.min(n - 1, Math.floor(p.sentMs / w));
    spread(busy, p.sentMs, p.sentMs + endOf(p), endOf(p), w);
    if (r.error === 'interrupted') continue;
    windows[i].requests++;
    if (r.error !== null) windows[i].errors[r.error] = (windows[i].errors[r.error] ?? 0) + 1;
    if (r.ttftMs !== null) ttfts[i].push(r.ttftMs);
    spread(tokens, p.sentMs + (r.ttftMs ?? endOf(p)), p.sentMs + endOf(p), r.outputTokens, w);
  }
  for (let i = 0; i < n; i++) {
    const sorted = ttfts[i].sort((a, b) => a - b);
    windows[i].ttftP50Ms = sorted.length ? quantileSorted(sorted, 0.5) : null;
    windows[i].ttftP99Ms = sorted.length ? quantileSorted(sorted, 0.99) : null;
    windows[i].outputTokensPerSecond = (tokens[i] * 1000) / w;
    windows[i].inFlight = busy[i] / w;
  }
  return windows;
}
