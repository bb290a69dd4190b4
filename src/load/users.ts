// What a closed pool's user does beside sending: its number (stable however
// the test is split over instances) and the pause after a failed request,
// so a failing endpoint is not hammered.

import { sleep } from 'k6';
import exec from 'k6/execution';
import { parseDurationMs } from '../duration.ts';
import { llmBackoffMs } from '../k6/metrics.ts';
import { closedPoolUser } from '../k6/segment.ts';
import { FailureBackoff } from '../measure/failure-backoff.ts';
import type { RequestRecord } from '../measure/request-record.ts';

/**
 * This VU's user number in its closed-pool scenario, global across the
 * instances of a split test (0 … vus − 1 overall): give each user its own
 * prompts and conversations by it.
 */
export function userId(): number {
  return closedPoolUser();
}

// Module state is per VU: every VU has its own JavaScript runtime.
const backoff = new FailureBackoff();

/**
 * After a failed request, pauses this VU (Retry-After when a 429 or 503 says,
 * else a backoff doubling from 250 ms to 5 s; counted in llm_backoff_ms),
 * never past the end of its scenario; after a success, returns at once.
 */
export function pauseAfterFailure(result: RequestRecord): void {
  const remaining = exec.scenario.startTime + scenarioLengthMs() - Date.now();
  const ms = backoff.pauseMs(result, remaining);
  if (ms <= 0) return;
  llmBackoffMs.add(ms);
  sleep(ms / 1000);
}

/** The current scenario's length (its duration or maxDuration) from k6's options; Infinity when it has none. */
function scenarioLengthMs(): number {
  const scenarios = (exec.test.options as { scenarios?: Record<string, { duration?: string; maxDuration?: string }> }).scenarios ?? {};
  const s = scenarios[exec.scenario.name];
  const text = s?.duration ?? s?.maxDuration;
  return (text !== undefined ? parseDurationMs(text) : null) ?? Infinity;
}
