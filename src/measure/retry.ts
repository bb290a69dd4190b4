// Retries with backoff for requests an endpoint turns away while it scales up
// (429, 502, 503, 504, or a refused connection). Pure: the k6 shell passes
// the clock, the sleep and the send function in, so Node tests drive it.

import type { ErrorKind, RequestRecord } from './request-record.ts';

/** How retries are spaced and bounded. */
export interface RetryPolicy {
  /** Retries after the first attempt (0: none). */
  maxRetries: number;
  /** First backoff when the server gives no Retry-After (ms); doubles per retry. */
  backoffMs: number;
  /** Longest single wait, Retry-After included (ms). */
  maxWaitMs: number;
}

/** One request sent until it succeeded, was not worth retrying, or ran out of retries. */
export interface RetriedRequest {
  /** Every attempt's record, in order (the last is the final outcome). */
  attempts: RequestRecord[];
  /** When each attempt started, on the caller's clock (ms). */
  startedMs: number[];
  /** attempts.length − 1. */
  retries: number;
  /** First attempt's start → first token of the attempt that succeeded (ms); null when none did. */
  timeToFirstSuccessMs: number | null;
  /** Sum of the waits between attempts (ms). */
  waitedMs: number;
}

/** Error kinds that mean "not now" rather than "never": worth a retry. */
export function isRetryable(record: RequestRecord): boolean {
  const kind: ErrorKind | null = record.error;
  if (kind === 'http_429' || kind === 'connect') return true;
  return kind === 'http_5xx' && (record.status === 502 || record.status === 503 || record.status === 504);
}

/**
 * Retry-After in ms, from its delay-seconds form; null when absent or in the
 * HTTP-date form (reading it would need the wall clock, which k6-llm does not
 * use for timing): the backoff applies then.
 */
export function parseRetryAfterMs(value: string | null): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  return Number(text) * 1000;
}

/** The wait before retry number `retry` (0-based): Retry-After when given, else exponential backoff; capped. */
export function retryDelayMs(policy: RetryPolicy, retry: number, retryAfterMs: number | null): number {
  const backoff = policy.backoffMs * 2 ** Math.min(retry, 30);
  return Math.min(policy.maxWaitMs, retryAfterMs ?? backoff);
}

/**
 * Sends until success or a non-retryable failure, at most 1 + maxRetries
 * times, and never starting a wait that would pass `deadlineMs` (so a run
 * ends on time whatever the endpoint answers).
 */
export function sendWithRetries(
  send: () => RequestRecord,
  clock: { now(): number; sleep(ms: number): void },
  policy: RetryPolicy,
  deadlineMs = Infinity,
): RetriedRequest {
  const attempts: RequestRecord[] = [];
  const startedMs: number[] = [];
  let waitedMs = 0;
  for (let attempt = 0; attempt <= policy.maxRetries; attempt++) {
    const start = clock.now();
    const record = send();
    attempts.push(record);
    startedMs.push(start);
    if (record.success) {
      return {
        attempts,
        startedMs,
        retries: attempt,
        timeToFirstSuccessMs: start - (startedMs[0] as number) + (record.ttftMs ?? record.e2eMs ?? 0),
        waitedMs,
      };
    }
    if (!isRetryable(record) || record.error === 'interrupted' || attempt === policy.maxRetries) break;
    const wait = retryDelayMs(policy, attempt, parseRetryAfterMs(record.retryAfter));
    if (clock.now() + wait >= deadlineMs) break;
    clock.sleep(wait);
    waitedMs += wait;
  }
  return { attempts, startedMs, retries: attempts.length - 1, timeToFirstSuccessMs: null, waitedMs };
}
