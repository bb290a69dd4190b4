// How long a VU pauses after a failed request, so a broken endpoint (a wrong
// API key, a closed port, an overloaded server) gets a few requests per
// second per VU instead of thousands. Pure: the k6 shell sleeps. The waits
// are coldstart's retry policy (retry.ts): Retry-After when a 429 or 503
// gives one, else exponential backoff; a success resets it.

import { parseRetryAfterMs, retryDelayMs, type RetryPolicy } from './retry.ts';
import type { RequestRecord } from './request-record.ts';

/** First pause after a failure without Retry-After (ms); doubles per consecutive failure. */
export const FAILURE_BACKOFF_MS = 250;
/** Longest exponential pause (ms). */
export const FAILURE_BACKOFF_MAX_MS = 5000;
/** Longest pause a server's Retry-After can ask for (ms). */
export const FAILURE_RETRY_AFTER_MAX_MS = 30_000;

/** One VU's pauses after failed requests. */
export class FailureBackoff {
  private failures = 0;

  constructor(private readonly policy: Pick<RetryPolicy, 'backoffMs' | 'maxWaitMs'> = { backoffMs: FAILURE_BACKOFF_MS, maxWaitMs: FAILURE_BACKOFF_MAX_MS }) {}

  /**
   * The pause after `record` (ms), never longer than `remainingMs` (the time
   * left in the VU's scenario): 0 after a success or a request cut by the
   * end of the test.
   */
  pauseMs(record: RequestRecord, remainingMs = Infinity): number {
    if (record.success) {
      this.failures = 0;
      return 0;
    }
    if (record.error === 'interrupted') return 0;
    const retryAfter = record.status === 429 || record.status === 503 ? parseRetryAfterMs(record.retryAfter) : null;
    const policy = retryAfter === null ? { ...this.policy, maxRetries: 0 } : { backoffMs: this.policy.backoffMs, maxWaitMs: FAILURE_RETRY_AFTER_MAX_MS, maxRetries: 0 };
    const wait = retryDelayMs(policy, this.failures, retryAfter);
    this.failures++;
    return Math.max(0, Math.min(wait, remainingMs));
  }
}
