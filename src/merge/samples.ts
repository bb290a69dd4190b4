// One metric's samples for an exact merge: every value kept as a float64 in
// a typed array that grows by doubling (8 bytes a sample, at most 16 with the
// unused tail, 24 for the instant a growth copies), sorted once when the
// percentiles are asked for. Percentiles are k6's (quantileSorted), so the
// merge of N instances reports what one k6 process holding all the samples
// would. Pure.

import { quantileSorted } from '../measure/quantile.ts';

/** Bytes one sample takes in a Samples column (a float64), before the growth slack. */
export const BYTES_PER_SAMPLE = 8;

/** A growing column of numbers with k6's Trend aggregations over them. */
export class Samples {
  private data: Float64Array;
  private n = 0;
  private sum = 0;
  private sorted = true;

  constructor(initialCapacity = 256) {
    this.data = new Float64Array(Math.max(1, initialCapacity));
  }

  /** Number of samples. */
  get count(): number {
    return this.n;
  }

  /** Bytes held by the column's buffer (capacity × 8). */
  get bytes(): number {
    return this.data.byteLength;
  }

  /** Appends one sample. */
  push(value: number): void {
    if (this.n === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    if (this.sorted && this.n > 0 && value < (this.data[this.n - 1] as number)) this.sorted = false;
    this.data[this.n++] = value;
    this.sum += value;
  }

  /** The samples in ascending order (sorted in place once; a view, not a copy). */
  ascending(): Float64Array {
    const view = this.data.subarray(0, this.n);
    if (!this.sorted) {
      view.sort();
      this.sorted = true;
    }
    return view;
  }

  /** The q-quantile (0..1) as k6 computes a Trend's p(100·q); NaN without samples. */
  quantile(q: number): number {
    return quantileSorted(this.ascending(), q);
  }

  /**
   * k6's Trend values (count, avg, min, med, max, p(90), p(95), p(99)) plus
   * p(N) for each N in `more`; null without samples (k6 has no such metric then).
   */
  trendValues(more: readonly number[] = []): Record<string, number> | null {
    if (this.n === 0) return null;
    const sorted = this.ascending();
    const values: Record<string, number> = {
      count: this.n,
      avg: this.sum / this.n,
      min: sorted[0] as number,
      med: quantileSorted(sorted, 0.5),
      max: sorted[this.n - 1] as number,
    };
    for (const p of [90, 95, 99, ...more]) values[`p(${p})`] = quantileSorted(sorted, p / 100);
    return values;
  }
}
