// Replays a schedule of arrivals in k6: each iteration of a scheduled
// scenario sends its arrival at the intended time, or drops it when no VU
// could start it in time. Lag and drops are metrics: coordinated omission is
// measured, never hidden. (The patterns are src/arrivals/; the schedule and
// its scenario, src/load/arrivals.ts.)
import { sleep } from 'k6';
import exec from 'k6/execution';
import type { Arrival } from '../arrivals/index.ts';
import type { Indexed } from '../workloads/prompts.ts';
import { nowMs } from './clock.ts';
import { llmDroppedArrivals, llmScheduleLag } from './metrics.ts';

/** What setup() hands every iteration: when the scenarios started on this instance's clock. */
export interface RunStart {
  /** When the scenarios started, ms on the instance's clock (k6-llm's nowMs()). */
  startMs: number;
}

/** The setup() result: scenarios start right after setup returns. */
export function runStart(): RunStart {
  return { startMs: nowMs() };
}

/**
 * This iteration's arrival: waits until its intended time, then returns it
 * (recording the lag), or returns null when it is more than maxLagMs late
 * (counted in llm_dropped_arrivals) or the schedule is empty.
 */
export function takeArrival(schedule: Indexed<Arrival>, start: RunStart | undefined, maxLagMs: number): { arrival: Arrival; index: number } | null {
  const index = exec.scenario.iterationInTest;
  if (index >= schedule.length) return null;
  const arrival = schedule[index] as Arrival;
  // Without setup's start, the test's: scenarios start right after setup.
  const intended = (start?.startMs ?? 0) + arrival.atMs;
  let now = nowMs();
  if (intended > now) {
    sleep((intended - now) / 1000);
    now = nowMs();
  }
  const lag = Math.max(0, now - intended);
  if (lag > maxLagMs) {
    llmDroppedArrivals.add(1);
    return null;
  }
  llmScheduleLag.add(lag);
  return { arrival, index };
}
