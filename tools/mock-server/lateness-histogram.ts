// How late the mock's timed sends went out: a bounded histogram (0.1 ms
// buckets up to 1 s) with the exact count, sum and max, so memory stays flat
// over a long run and percentiles are good to a tenth of a millisecond.

/** Send-lateness summary (ms): how long after its scheduled time each timed send went out. */
export interface LatenessStats {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

const BUCKET_MS = 0.1;
const BUCKET_COUNT = 10_000; // 0.1 ms buckets up to 1 s; later sends share an overflow bucket.

/** Bounded lateness recorder: fixed 0.1 ms histogram plus exact max and sum. */
export class LatenessHistogram {
  private counts = new Float64Array(BUCKET_COUNT + 1);
  private count = 0;
  private sum = 0;
  private max = 0;

  /** Records one send `ms` after its due time; an early (negative) value counts as 0. */
  record(ms: number): void {
    const value = ms > 0 ? ms : 0;
    this.counts[Math.min(BUCKET_COUNT, Math.floor(value / BUCKET_MS))]! += 1;
    this.count += 1;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  /** Forgets every recorded send. */
  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }

  /** Upper edge of the bucket holding the q-quantile, capped at the exact max. */
  private quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min((i + 1) / 10, round3(this.max));
    }
    return round3(this.max);
  }

  /** Count, mean, p50, p99 and max (ms, to the microsecond); all 0 before the first send. */
  summary(): LatenessStats {
    return {
      count: this.count,
      mean: this.count === 0 ? 0 : round3(this.sum / this.count),
      p50: this.quantile(0.5),
      p99: this.quantile(0.99),
      max: round3(this.max),
    };
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
