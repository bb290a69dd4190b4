// What a closed pool's user does beside sending: its number (stable however
// the test is split over instances) and the pause after a failed request,
// so a failing endpoint is not hammered.

import { sleep } from 'k6';
import exec from 'k6/execution';
import { setTimeout } from 'k6/timers';
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

/** What closedUserLoops runs: how many users the pool has, and how many of them each VU holds. */
export interface UserLoopsOptions {
  /** Users in the pool, over every instance. */
  users: number;
  /** Users each VU holds at once (its scenario has ⌈users / perVu⌉ VUs). */
  perVu: number;
}

/**
 * One VU's users of a closed pool that holds several users per VU (fewer
 * VUs, less memory per user: each VU is a whole JavaScript runtime): `perVu`
 * users at once, each a loop of `iteration(user, n)`, its n-th conversation
 * (or request), until its scenario's load window ends. Users are numbered
 * across instances: this VU's userId() × perVu + its place, those past
 * `users` not run. `iteration` resolves to a failed result to pause that
 * user alone after it (as pauseAfterFailure), else to null. Make it the
 * scenario's async iteration; every request in it must be asynchronous
 * (Client.chatAsync, Session.sendAsync), or the VU's other users wait.
 */
export async function closedUserLoops(options: UserLoopsOptions, iteration: (user: number, n: number) => Promise<RequestRecord | null>): Promise<void> {
  const endMs = exec.scenario.startTime + scenarioLengthMs();
  const first = userId() * options.perVu;
  const loops: Promise<void>[] = [];
  for (let place = 0; place < options.perVu && first + place < options.users; place++) {
    const user = first + place;
    loops.push(
      (async () => {
        const userBackoff = new FailureBackoff();
        for (let n = 0; Date.now() < endMs; n++) {
          const failed = await iteration(user, n);
          if (failed === null) continue;
          const ms = userBackoff.pauseMs(failed, endMs - Date.now());
          if (ms <= 0) continue;
          llmBackoffMs.add(ms);
          await new Promise<void>((resolve) => setTimeout(resolve, ms));
        }
      })(),
    );
  }
  await Promise.all(loops);
}

/** The current scenario's length (its duration or maxDuration) from k6's options; Infinity when it has none. */
function scenarioLengthMs(): number {
  const scenarios = (exec.test.options as { scenarios?: Record<string, { duration?: string; maxDuration?: string }> }).scenarios ?? {};
  const s = scenarios[exec.scenario.name];
  const text = s?.duration ?? s?.maxDuration;
  return (text !== undefined ? parseDurationMs(text) : null) ?? Infinity;
}
