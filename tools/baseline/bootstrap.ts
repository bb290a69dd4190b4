// The statistics of the regression verdict: a block bootstrap over time
// windows of a run (quantiles and rates of resampled windows), percentile
// intervals, and Newcombe's interval for a difference of two proportions.
// Pure and deterministic: the caller hands in a seeded Random (src/random.ts).
//
// Why blocks: requests sent within the same second share the machine's and
// the server's state (a GC pause, a busy neighbour, a batch), so their
// latencies are not independent draws; resampling single requests would make
// intervals too narrow. Resampling whole windows of the run keeps that
// dependence, keeps each request's inter-token latencies together, and gives
// the aggregate token rate its real noise (how many requests complete in a
// given time), which resampling requests over a fixed duration cannot vary.

import type { Random } from '../../src/random.ts';

/** Values of one sample with the block (time window) each came from, ascending by value. */
export interface BlockedValues {
  /** Ascending values. */
  values: Float64Array;
  /** values[i]'s block index. */
  blocks: Uint32Array;
  /** How many values each block holds. */
  sizes: Uint32Array;
}

/** Sorts per-block values into one ascending column that remembers each value's block. */
export function blockedValues(perBlock: readonly (readonly number[])[]): BlockedValues {
  const sizes = new Uint32Array(perBlock.length);
  let n = 0;
  for (const [b, values] of perBlock.entries()) {
    sizes[b] = values.length;
    n += values.length;
  }
  const flat = new Float64Array(n);
  const owner = new Uint32Array(n);
  let i = 0;
  for (const [b, values] of perBlock.entries()) {
    for (const v of values) {
      flat[i] = v;
      owner[i++] = b;
    }
  }
  const order = new Uint32Array(n);
  for (let j = 0; j < n; j++) order[j] = j;
  order.sort((a, b) => (flat[a] as number) - (flat[b] as number));
  const values = new Float64Array(n);
  const blocks = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    values[j] = flat[order[j] as number] as number;
    blocks[j] = owner[order[j] as number] as number;
  }
  return { values, blocks, sizes };
}

/** Draws a resample of `counts.length` blocks with replacement: counts[b] is how often block b was drawn. */
export function drawCounts(counts: Uint32Array, random: Random): void {
  const k = counts.length;
  counts.fill(0);
  for (let i = 0; i < k; i++) (counts[Math.floor(random() * k)] as number)++;
}

/** The identity resample: every block once. */
export function everyBlockOnce(k: number): Uint32Array {
  return new Uint32Array(k).fill(1);
}

/**
 * k6's q-quantiles (linear interpolation between closest ranks, as
 * src/measure/quantile.ts) of the values, each counted as often as its
 * block was drawn; `qs` ascending, results into `out`; NaN when the resample
 * holds no value. One pass over the values for all the quantiles.
 */
export function weightedQuantiles(v: BlockedValues, counts: Uint32Array, qs: readonly number[], out: Float64Array): void {
  let total = 0;
  for (let b = 0; b < counts.length; b++) total += (counts[b] as number) * (v.sizes[b] as number);
  if (total === 0) {
    out.fill(NaN);
    return;
  }
  const { values, blocks } = v;
  const half = (total - 1) / 2;
  let split = 0;
  while (split < qs.length && positionOf(qs[split] as number, total) <= half) split++;
  // Ranks in the lower half are found walking up from the smallest value,
  // those in the upper half walking down from the largest: a p95 of 20,000
  // values costs 1,000 steps, not 19,000. No closures in the walks: this is
  // the bootstrap's inner loop.
  let up = 0;
  let below = 0; // weight of the values before `up`, which holds ranks [below, below + its weight)
  for (let j = 0; j < split; j++) {
    const pos = positionOf(qs[j] as number, total);
    const lo = Math.floor(pos);
    while (below + (counts[blocks[up] as number] as number) <= lo) below += counts[blocks[up++] as number] as number;
    const low = values[up] as number;
    if (pos === lo) {
      out[j] = low;
      continue;
    }
    while (below + (counts[blocks[up] as number] as number) <= lo + 1) below += counts[blocks[up++] as number] as number;
    out[j] = low + (pos - lo) * ((values[up] as number) - low);
  }
  let down = values.length - 1;
  let above = 0; // weight of the values after `down`, which holds ranks [total - above - its weight, total - above)
  for (let j = qs.length - 1; j >= split; j--) {
    const pos = positionOf(qs[j] as number, total);
    const lo = Math.floor(pos);
    const top = pos === lo ? lo : lo + 1;
    while (total - above - (counts[blocks[down] as number] as number) > top) above += counts[blocks[down--] as number] as number;
    const high = values[down] as number;
    if (pos === lo) {
      out[j] = high;
      continue;
    }
    while (total - above - (counts[blocks[down] as number] as number) > lo) above += counts[blocks[down--] as number] as number;
    const low = values[down] as number;
    out[j] = low + (pos - lo) * (high - low);
  }
}

/** The 0-based fractional rank of the q-quantile among `total` values (k6's). */
function positionOf(q: number, total: number): number {
  return Math.min(1, Math.max(0, q)) * (total - 1);
}

/** Σ counts[b]·numerator[b] / Σ counts[b]·denominator[b]; NaN when the denominator is 0. */
export function weightedRatio(numerator: Float64Array, denominator: Float64Array, counts: Uint32Array): number {
  let num = 0;
  let den = 0;
  for (let b = 0; b < counts.length; b++) {
    const c = counts[b] as number;
    if (c === 0) continue;
    num += c * (numerator[b] as number);
    den += c * (denominator[b] as number);
  }
  return den === 0 ? NaN : num / den;
}

/** The equal-tailed percentile interval of the replicates at `confidence` (0..1); NaN replicates are left out. */
export function percentileInterval(replicates: Float64Array, confidence: number): [number, number] {
  const kept = replicates.filter((x) => !Number.isNaN(x)).sort();
  const tail = (1 - confidence) / 2;
  return [sortedQuantile(kept, tail), sortedQuantile(kept, 1 - tail)];
}

function sortedQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/**
 * The standard normal quantile (inverse CDF) at p in (0, 1): Acklam's
 * rational approximation, relative error below 1.2e-9.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`invalid probability; expected a number strictly between 0 and 1, got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: number[], x: number): number => k.reduce((acc, coef) => acc * x + coef, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Wilson's score interval for a proportion x/n at the normal quantile z. */
export function wilsonInterval(x: number, n: number, z: number): [number, number] {
  if (n === 0) return [0, 1];
  const p = x / n;
  const z2 = z * z;
  const scale = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / scale;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / scale;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/**
 * Newcombe's hybrid score interval (his method 10, Statistics in Medicine
 * 1998) for p2 − p1, the difference of two independent proportions x2/n2 and
 * x1/n1, at `confidence`. Unlike the Wald interval it keeps its coverage at
 * rates near 1 (a 100 % success rate is the usual baseline) and never
 * collapses to a point when neither side saw a failure.
 */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, confidence: number): [number, number] {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const [l1, u1] = wilsonInterval(x1, n1, z);
  const [l2, u2] = wilsonInterval(x2, n2, z);
  const d = p2 - p1;
  return [d - Math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + Math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)];
}
