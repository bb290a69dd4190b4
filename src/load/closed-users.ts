// A closed pool of users as a k6 scenario: `vus` users, each sending its
// next request when its last one ended, for the scenario's duration. With it
// the user's number (stable however the test is split over instances) and
// the pause after a failed request, so a failing endpoint is not hammered.

import { sleep } from 'k6';
import exec from 'k6/execution';
import { formatDuration, parseDurationMs } from '../duration.ts';
import { invalid } from '../errors.ts';
import { closedPoolUser } from '../k6/segment.ts';
import { llmBackoffMs } from '../k6/metrics.ts';
import { oneLine } from '../k6/load-config.ts';
import { FailureBackoff } from '../measure/failure-backoff.ts';
import type { RequestRecord } from '../measure/request-record.ts';
import type { ScenarioOptions } from '../workloads/options.ts';

/** A closed pool of users. */
export interface ClosedUsersOptions {
  /** Users (VUs), each with one request in flight at a time. */
  vus: number;
  /** How long the users send: a duration such as '2m', or ms. */
  duration: string | number;
  /** How long in-flight requests may finish after it (default 30s, k6's). */
  gracefulStop?: string | number;
  /** The function each iteration runs (an export of the script; default: the default export). */
  exec?: string;
  /** Tags of every sample of the scenario (e.g. { workload: 'chat' }). */
  tags?: Record<string, string>;
  /** When the scenario starts after the test's start (default 0). */
  startTime?: string | number;
}

/** A constant-vus k6 scenario of `vus` users for `duration`. */
export function closedUsers(options: ClosedUsersOptions): ScenarioOptions {
  return oneLine(() => {
    if (!Number.isInteger(options.vus) || options.vus < 1) throw invalid('vus', 'a whole number of users >= 1', options.vus);
    return {
      executor: 'constant-vus',
      vus: options.vus,
      duration: durationText('duration', options.duration),
      ...(options.gracefulStop !== undefined ? { gracefulStop: durationText('gracefulStop', options.gracefulStop) } : {}),
      ...(options.startTime !== undefined ? { startTime: durationText('startTime', options.startTime) } : {}),
      ...(options.exec !== undefined ? { exec: options.exec } : {}),
      ...(options.tags !== undefined ? { tags: options.tags } : {}),
    };
  });
}

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

/** A duration option as k6 writes it. */
export function durationText(name: string, value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw invalid(name, 'a duration such as "30s", or ms >= 0', value);
    return formatDuration(value);
  }
  if (parseDurationMs(value) === null) throw invalid(name, 'a duration such as 500ms, 30s or 2m', value);
  return value;
}
