// Replays a schedule of arrivals in k6: the schedule is built once per
// process in the init context (SharedArray), and each iteration of a
// scheduled scenario sends its arrival at the intended time, or drops it when
// no VU could start it in time. Lag and drops are metrics: coordinated
// omission is measured, never hidden. (The patterns themselves are
// src/arrivals/.)
import { sleep } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { buildSchedule, type Arrival } from '../arrivals/index.ts';
import type { Config } from '../config/config.ts';
import { splitDuration } from '../workloads/options.ts';
import type { Indexed } from '../workloads/prompts.ts';
import type { WorkloadSettings } from '../workloads/settings.ts';
import { nowMs } from './clock.ts';
import { oneLine } from './load-config.ts';
import { llmDroppedArrivals, llmScheduleLag } from './metrics.ts';

/** What setup() hands every iteration: when the scenarios started on this instance's clock. */
export interface RunStart {
  startMs: number;
}

/** The setup() result: scenarios start right after setup returns. */
export function runStart(): RunStart {
  return { startMs: nowMs() };
}

/** The workload's schedule over the load window, generated once per process. */
export function loadSchedule(config: Config, settings: WorkloadSettings, trace: Arrival[] | null): Indexed<Arrival> {
  const { loadMs } = splitDuration(config.load.durationMs);
  return oneLine(
    () =>
      new SharedArray(`k6-llm schedule ${settings.workload}`, () =>
        buildSchedule(settings.arrival, {
          ratePerSec: settings.rate,
          durationMs: loadMs,
          seed: settings.seed,
          burstiness: config.load.burstiness,
          rampFromPerSec: config.load.rampFrom,
          // SharedArray hands out frozen copies; the pattern filters, never mutates.
          trace: trace ? Array.from({ length: trace.length }, (_, i) => trace[i] as Arrival) : null,
        }),
      ) as unknown as Indexed<Arrival>,
  );
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
