// The shape of the load the mock received: mean and spread of the gaps
// between chat-request arrivals, kept in O(1) memory (Welford's method), so a
// test can check that an arrival pattern reached the server as intended.

/** Inter-arrival figures of the requests the mock received: the load's true shape. */
export interface ArrivalStats {
  /** Requests counted (gaps = count − 1). */
  count: number;
  meanGapMs: number;
  /** Coefficient of variation of the gaps (1 for a Poisson process, 0 for even spacing). */
  cv: number;
  /** First → last arrival, ms. */
  spanMs: number;
}

/** Running mean and variance of inter-arrival gaps (Welford), O(1) memory. */
export class ArrivalGaps {
  private count = 0;
  private first = 0;
  private last = 0;
  private mean = 0;
  private m2 = 0;

  /** Records an arrival at `t` (ms, any monotonic clock). */
  record(t: number): void {
    if (this.count === 0) this.first = t;
    else {
      const gap = t - this.last;
      const n = this.count; // number of gaps after this one
      const delta = gap - this.mean;
      this.mean += delta / n;
      this.m2 += delta * (gap - this.mean);
    }
    this.last = t;
    this.count += 1;
  }

  /** Count, mean gap, CV (sample standard deviation / mean) and span; zeros while there is no gap. */
  summary(): ArrivalStats {
    const gaps = this.count - 1;
    const sd = gaps > 1 ? Math.sqrt(this.m2 / (gaps - 1)) : 0;
    return { count: this.count, meanGapMs: gaps > 0 ? this.mean : 0, cv: gaps > 1 && this.mean > 0 ? sd / this.mean : 0, spanMs: this.count > 0 ? this.last - this.first : 0 };
  }

  /** Forgets every arrival. */
  reset(): void {
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
  }
}
