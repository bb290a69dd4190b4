// A histogram of seconds with vLLM's TTFT bucket bounds: the mock's server-side
// TTFT, exposed on GET /metrics.

/** Bucket bounds of vllm:time_to_first_token_seconds, as vLLM uses. */
export const TTFT_BUCKETS_S = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];

/** A histogram of seconds with vLLM's TTFT buckets. */
export class SecondsHistogram {
  readonly counts = new Array<number>(TTFT_BUCKETS_S.length).fill(0);
  sum = 0;
  count = 0;

  /** Records one value in seconds. */
  record(seconds: number): void {
    this.sum += seconds;
    this.count += 1;
    const i = TTFT_BUCKETS_S.findIndex((b) => seconds <= b);
    if (i >= 0) this.counts[i] += 1;
  }

  /** Forgets every value. */
  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}
