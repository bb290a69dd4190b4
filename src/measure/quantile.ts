// Percentiles the way k6 computes a Trend's p(N): linear interpolation between
// the closest ranks of the sorted values. Used for figures k6 cannot compute
// itself (TTFT p99/p50 over every VU's samples).

/** The q-quantile (0..1) of ascending `sorted`; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (q <= 0) return sorted[0] as number;
  if (q >= 1) return sorted[n - 1] as number;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const low = sorted[lo] as number;
  return lo === hi ? low : low + (pos - lo) * ((sorted[hi] as number) - low);
}
