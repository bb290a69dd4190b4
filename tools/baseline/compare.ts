// The regression verdict: each gated figure of each workload compared
// between a baseline (one or more runs pooled) and the current run (one or
// more, pooled) on the per-request samples both keep, with a confidence
// interval for the difference and a verdict. Pure; the CLI reads the files.
//
// Method (README "Regression gate"):
// - latency percentiles and the aggregate token rate: a block bootstrap
//   (bootstrap.ts) over the runs' time windows (blocks.ts): each replicate
//   draws as many windows as each side has, with replacement, independently
//   for the two sides, and computes every figure of the resample; the
//   interval is the percentile interval of the replicates' differences. The
//   token rate is resampled by window, not by request: its noise is how many
//   requests complete in a given time, which a resample of requests over a
//   fixed duration cannot vary.
// - the success rate: Newcombe's hybrid score interval for a difference of
//   two proportions (bootstrap.ts), which keeps its coverage at rates near 1.
// - the confidence is the family's: with m figures judged, each interval is at
//   1 − (1 − confidence)/m (Bonferroni), so the chance that any of them misses
//   its true difference is at most 1 − confidence.
// - verdict: the interval of the worsening (relative) lies entirely beyond the
//   figure's tolerance → regressed (the gate fails, 97); entirely beyond the
//   tolerance the other way → improved; otherwise no detectable change.
//   With --tolerance 0 that is the plain test of "any change".

import { hashSeed, hashString, seededRandom } from '../../src/random.ts';
import type { RegressionRow } from '../../src/summary/schema.ts';
import type { Column, WorkloadSample } from './blocks.ts';
import { blockedValues, drawCounts, everyBlockOnce, newcombeInterval, percentileInterval, weightedQuantiles, weightedRatio, type BlockedValues } from './bootstrap.ts';

type Direction = RegressionRow['direction'];

/** A latency percentile of one sample column. */
interface QuantileFigure {
  kind: 'quantile';
  column: Column;
  q: number;
}

/** How a gated figure is measured and which way is worse. */
export type FigureSpec = (QuantileFigure | { kind: 'token-rate' } | { kind: 'success-rate' }) & { direction: Direction; unit: string };

const quantile = (column: Column, q: number): FigureSpec => ({ kind: 'quantile', column, q, direction: 'lower-is-better', unit: 'ms' });

/** Every gated figure, by the name tolerances use. */
export const FIGURES: Readonly<Record<string, FigureSpec>> = {
  ttft_p50: quantile('ttftMs', 0.5),
  ttft_p95: quantile('ttftMs', 0.95),
  ttft_p99: quantile('ttftMs', 0.99),
  ttfo_p95: quantile('ttfoMs', 0.95),
  itl_p95: quantile('itlMs', 0.95),
  tpot_p50: quantile('tpotMs', 0.5),
  e2e_p95: quantile('e2eMs', 0.95),
  aggregate_output_tokens_per_second: { kind: 'token-rate', direction: 'higher-is-better', unit: 'tokens/s' },
  success_rate: { kind: 'success-rate', direction: 'higher-is-better', unit: '' },
};

/** Options of compare(). */
export interface CompareOptions {
  /** Default allowed worsening (0.1 = 10 %). */
  tolerance: number;
  /** Per-figure overrides. */
  tolerances: Record<string, number>;
  /** Fewer samples than this on either side: inconclusive. */
  minSamples: number;
  /** Confidence of the verdicts together (0.95). */
  confidence: number;
}

/** The fewest samples above a percentile (n·(1 − q)) on each side before its interval is trusted (p99: 1,000 samples). */
export const MIN_TAIL_SAMPLES = 10;
/** The fewest windows holding samples on each side before a block bootstrap is trusted. */
export const MIN_BLOCKS = 10;

/** Replicates for intervals at `figureConfidence`: at least 2,000, and at least 25 beyond each end of the interval. */
export function resamplesFor(figureConfidence: number): number {
  return Math.max(2000, Math.ceil(50 / (1 - figureConfidence)));
}

/** The comparison: a row per figure, and how the intervals were made. */
export interface Comparison {
  rows: RegressionRow[];
  /** The confidence of each interval (Bonferroni over the judged figures). */
  figureConfidence: number;
  /** Bootstrap replicates per interval. */
  resamples: number;
  /** Figures judged (the family the confidence covers). */
  judged: number;
}

const SEED_SALT = 0x6a7e;

/** How high each side's latency tails may read (ms): the most of its runs' (BaselineRun.mayReadHighMs); 0 when none warned. */
export interface ReadHigh {
  baselineMs: number;
  currentMs: number;
}

/**
 * Compares the current samples with the baseline's, figure by figure.
 * `readHigh`: a latency tail (p90 and above) whose change is no larger than
 * what a starved load generator may have added to the worse side's tails is
 * inconclusive, not a regression (nor an improvement): the run itself said
 * its tails may read high by that much.
 */
export function compare(
  baseline: Readonly<Record<string, WorkloadSample>>,
  current: Readonly<Record<string, WorkloadSample>>,
  options: CompareOptions,
  readHigh: ReadHigh = { baselineMs: 0, currentMs: 0 },
): Comparison {
  const rows: RegressionRow[] = [];
  const judged: { row: RegressionRow; spec: FigureSpec; base: WorkloadSample; cur: WorkloadSample }[] = [];
  for (const [workload, base] of Object.entries(baseline)) {
    const cur = current[workload];
    for (const [figure, spec] of Object.entries(FIGURES)) {
      // TTFO is TTFT unless the model reasons first: then the row would only repeat ttft_p95's (and widen every interval).
      if (figure === 'ttfo_p95' && sameColumns(base, 'ttfoMs', 'ttftMs') && (!cur || sameColumns(cur, 'ttfoMs', 'ttftMs'))) continue;
      const tolerance = options.tolerances[figure] ?? options.tolerance;
      const b = pointOf(spec, base);
      if (b.value === null) continue; // not measured in the baseline: nothing to gate
      const c = cur ? pointOf(spec, cur) : { value: null, samples: 0, blocks: 0 };
      const row: RegressionRow = {
        workload,
        figure,
        unit: spec.unit,
        direction: spec.direction,
        baseline: b.value,
        current: c.value,
        difference: c.value === null ? null : c.value - b.value,
        differenceInterval: null,
        change: c.value === null || b.value === 0 ? null : (c.value - b.value) / Math.abs(b.value),
        changeInterval: null,
        tolerance,
        samples: { baseline: b.samples, current: c.samples },
        verdict: 'no detectable change',
        note: '',
      };
      rows.push(row);
      const why = c.value === null ? null : insufficient(spec, b, c, options.minSamples);
      if (c.value === null) {
        row.verdict = 'missing';
        row.note = 'not measured in the current run';
      } else if (why) {
        row.verdict = 'inconclusive';
        row.note = why;
      } else if (cur) judged.push({ row, spec, base, cur });
    }
  }
  const figureConfidence = judged.length === 0 ? options.confidence : 1 - (1 - options.confidence) / judged.length;
  const resamples = resamplesFor(figureConfidence);
  for (const workload of new Set(judged.map((j) => j.row.workload))) {
    const mine = judged.filter((j) => j.row.workload === workload);
    bootstrapWorkload(
      workload,
      mine.filter((j) => j.spec.kind !== 'success-rate'),
      figureConfidence,
      resamples,
    );
    for (const j of mine.filter((x) => x.spec.kind === 'success-rate')) successInterval(j.row, j.base, j.cur, figureConfidence);
  }
  for (const { row, spec } of judged) {
    judge(row);
    if (spec.kind === 'quantile' && spec.q >= TAIL) doubtTail(row, readHigh);
  }
  return { rows, figureConfidence, resamples, judged: judged.length };
}

/** True when two columns hold the same values in every window. */
function sameColumns(s: WorkloadSample, a: Column, b: Column): boolean {
  return s.blocks.every((block) => block[a].length === block[b].length && block[a].every((v, i) => v === block[b][i]));
}

interface Point {
  value: number | null;
  /** Samples behind it: values of the column, or requests. */
  samples: number;
  /** Windows holding any of them. */
  blocks: number;
}

/** A figure over the whole sample (every window once), with its sample count. */
function pointOf(spec: FigureSpec, s: WorkloadSample): Point {
  if (spec.kind === 'quantile') {
    const per = s.blocks.map((b) => b[spec.column]);
    const samples = per.reduce((n, v) => n + v.length, 0);
    if (samples === 0) return { value: null, samples: 0, blocks: 0 };
    const out = new Float64Array(1);
    weightedQuantiles(blockedValues(per), everyBlockOnce(per.length), [spec.q], out);
    return { value: out[0] as number, samples, blocks: per.filter((v) => v.length > 0).length };
  }
  const judgedRequests = s.blocks.reduce((n, b) => n + b.succeeded + b.failed, 0);
  const blocks = s.blocks.filter((b) => b.succeeded + b.failed > 0).length;
  if (spec.kind === 'success-rate') {
    const succeeded = s.blocks.reduce((n, b) => n + b.succeeded, 0);
    return { value: judgedRequests === 0 ? null : succeeded / judgedRequests, samples: judgedRequests, blocks };
  }
  const ms = s.blocks.reduce((n, b) => n + b.ms, 0);
  const tokens = s.blocks.reduce((n, b) => n + b.outputTokens, 0);
  return { value: ms === 0 || judgedRequests === 0 ? null : (tokens / ms) * 1000, samples: judgedRequests, blocks };
}

/** Why a figure cannot be judged on these samples; null when it can. */
function insufficient(spec: FigureSpec, b: Point, c: Point, minSamples: number): string | null {
  const n = Math.min(b.samples, c.samples);
  if (n < minSamples) return `too few samples (${n} < ${minSamples})`;
  if (b.value === 0) return 'a baseline of 0: no relative change to judge';
  if (spec.kind === 'quantile') {
    const tail = Math.floor(n * (1 - spec.q));
    if (tail < MIN_TAIL_SAMPLES) return `too few samples above p${Math.round(spec.q * 100)} (${tail} of ${n}; needs ${MIN_TAIL_SAMPLES})`;
  }
  if (spec.kind !== 'success-rate' && Math.min(b.blocks, c.blocks) < MIN_BLOCKS) return `samples in too few time windows (${Math.min(b.blocks, c.blocks)} < ${MIN_BLOCKS})`;
  return null;
}

/** One side's columns sorted with their windows, and its token-rate columns. */
interface Side {
  columns: Map<Column, BlockedValues>;
  tokens: Float64Array;
  ms: Float64Array;
  counts: Uint32Array;
}

function sideOf(s: WorkloadSample, columns: readonly Column[]): Side {
  return {
    columns: new Map(columns.map((c) => [c, blockedValues(s.blocks.map((b) => b[c]))])),
    tokens: Float64Array.from(s.blocks, (b) => b.outputTokens),
    ms: Float64Array.from(s.blocks, (b) => b.ms),
    counts: new Uint32Array(s.blocks.length),
  };
}

/** The block bootstrap of every bootstrapped figure of one workload: one resample of each side per replicate serves them all. */
function bootstrapWorkload(
  workload: string,
  figures: readonly { row: RegressionRow; spec: FigureSpec; base: WorkloadSample; cur: WorkloadSample }[],
  confidence: number,
  resamples: number,
): void {
  if (figures.length === 0) return;
  const { base, cur } = figures[0] as (typeof figures)[number];
  // Percentiles of one column in one pass per replicate: their q's, ascending.
  const byColumn = new Map<Column, number[]>();
  for (const { spec } of figures) if (spec.kind === 'quantile') byColumn.set(spec.column, [...(byColumn.get(spec.column) ?? []), spec.q].sort((a, b) => a - b));
  const columns = [...byColumn.keys()];
  const sides = [sideOf(base, columns), sideOf(cur, columns)] as const;
  const relative = figures.map(() => new Float64Array(resamples));
  const absolute = figures.map(() => new Float64Array(resamples));
  const values = [new Map<Column, Float64Array>(), new Map<Column, Float64Array>()] as const;
  for (const [c, qs] of byColumn) for (const v of values) v.set(c, new Float64Array(qs.length));
  const random = seededRandom(hashSeed(hashString(workload), SEED_SALT));
  // Where each figure's value lands in a replicate: its column's output and index, or -1 for the token rate.
  const slots = figures.map(({ spec }) => (spec.kind === 'quantile' ? { column: spec.column, at: (byColumn.get(spec.column) as number[]).indexOf(spec.q) } : { column: null, at: -1 }));
  const rates = new Float64Array(2);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < 2; i++) {
      const side = sides[i] as Side;
      drawCounts(side.counts, random);
      for (const [c, qs] of byColumn) weightedQuantiles(side.columns.get(c) as BlockedValues, side.counts, qs, values[i as 0 | 1].get(c) as Float64Array);
      rates[i] = weightedRatio(side.tokens, side.ms, side.counts) * 1000;
    }
    for (let f = 0; f < figures.length; f++) {
      const slot = slots[f] as (typeof slots)[number];
      const b = slot.column === null ? (rates[0] as number) : ((values[0].get(slot.column) as Float64Array)[slot.at] as number);
      const c = slot.column === null ? (rates[1] as number) : ((values[1].get(slot.column) as Float64Array)[slot.at] as number);
      (absolute[f] as Float64Array)[r] = c - b;
      (relative[f] as Float64Array)[r] = b === 0 ? NaN : (c - b) / Math.abs(b);
    }
  }
  for (const [f, { row }] of figures.entries()) {
    row.differenceInterval = percentileInterval(absolute[f] as Float64Array, confidence);
    row.changeInterval = percentileInterval(relative[f] as Float64Array, confidence);
  }
}

/** Newcombe's interval for the success rates' difference; relative to the baseline's rate. */
function successInterval(row: RegressionRow, base: WorkloadSample, cur: WorkloadSample, confidence: number): void {
  const count = (s: WorkloadSample) => ({ ok: s.blocks.reduce((n, b) => n + b.succeeded, 0), n: s.blocks.reduce((n, b) => n + b.succeeded + b.failed, 0) });
  const b = count(base);
  const c = count(cur);
  const [lo, hi] = newcombeInterval(b.ok, b.n, c.ok, c.n, confidence);
  row.differenceInterval = [lo, hi];
  const p = b.ok / b.n;
  row.changeInterval = p === 0 ? null : [lo / p, hi / p];
}

/** The verdict from the interval of the worsening and the tolerance. */
function judge(row: RegressionRow): void {
  const interval = row.changeInterval;
  if (!interval || Number.isNaN(interval[0]) || Number.isNaN(interval[1])) {
    // Every resample came out empty or 0: nothing to judge the change on.
    row.verdict = 'inconclusive';
    row.note = 'no interval (the resamples held no value)';
    return;
  }
  // Worsening as a positive number, whichever way the figure is better.
  const [lo, hi] = row.direction === 'lower-is-better' ? interval : [-interval[1], -interval[0]];
  const t = row.tolerance;
  if (lo > t) {
    row.verdict = 'regressed';
    row.note = 'worse than the tolerance allows';
  } else if (hi < -t) {
    row.verdict = 'improved';
    row.note = 'better by more than the tolerance';
  } else {
    row.verdict = 'no detectable change';
    if (lo > 0) row.note = hi > t ? 'worse, not surely beyond the tolerance' : 'worse, within the tolerance';
    else if (hi < 0) row.note = lo < -t ? 'better, not surely beyond the tolerance' : 'better, within the tolerance';
    else row.note = hi > t ? 'could be worse than the tolerance' : '';
  }
}

/** Percentiles from here up are tails: what a starved load generator's late reads distort. */
const TAIL = 0.9;

/** A tail's regression (improvement) that the current (baseline) runs' late reads could account for: inconclusive. */
function doubtTail(row: RegressionRow, readHigh: ReadHigh): void {
  const interval = row.differenceInterval;
  if (!interval) return;
  const fmt = (ms: number): string => `${Number(ms.toFixed(2))} ms`;
  if (row.verdict === 'regressed' && readHigh.currentMs > 0 && interval[0] <= readHigh.currentMs) {
    row.verdict = 'inconclusive';
    row.note = `worse by at least ${fmt(interval[0])}, no more than the ${fmt(readHigh.currentMs)} its tail may read high: the load generator was short of CPU in the current run`;
  } else if (row.verdict === 'improved' && readHigh.baselineMs > 0 && -interval[1] <= readHigh.baselineMs) {
    row.verdict = 'inconclusive';
    row.note = `better by at least ${fmt(-interval[1])}, no more than the ${fmt(readHigh.baselineMs)} its tail may read high: the load generator was short of CPU in the baseline`;
  }
}

/** Parses "10%" or "0.1" into 0.1; null when it is neither. */
export function parseTolerance(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === '%' ? n / 100 : n;
}
