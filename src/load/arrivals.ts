// An open model as a k6 scenario: requests arrive on a seeded schedule
// (constant, poisson, gamma, linear, or a trace's timestamps) whatever the
// endpoint does, each iteration taking the next arrival, waiting for its
// intended time and sending it, or dropping it when no VU could start it
// within `maxLag`. Lag and drops are metrics (llm_schedule_lag,
// llm_dropped_arrivals): coordinated omission is measured, never hidden.
// Make it in the init context (the schedule is built once per process).

import { SharedArray } from 'k6/data';
import { ARRIVAL_NAMES, buildSchedule, type Arrival } from '../arrivals/index.ts';
import { parseDurationMs } from '../duration.ts';
import { invalid } from '../errors.ts';
import { loadTrace } from '../k6/input-files.ts';
import { oneLine } from '../k6/load-config.ts';
import { takeArrival, type RunStart } from '../k6/schedule-replay.ts';
import type { Indexed } from '../workloads/prompts.ts';
import { scheduledVus, type ScenarioOptions } from '../workloads/options.ts';
import { durationText } from './closed-users.ts';

export type { Arrival } from '../arrivals/index.ts';

/** An arrival schedule. */
export interface ArrivalsOptions {
  /** The scenario's name, its exec function and its workload tag. */
  workload: string;
  /** The pattern: constant, poisson (default), gamma, linear or trace. */
  pattern?: string;
  /** Arrivals per second (the end rate of linear). */
  rate?: number;
  /** How long arrivals come: a duration such as '2m', or ms. */
  duration: string | number;
  /** VUs that send the arrivals: enough for the rate × a request's time, or arrivals wait (and are dropped past maxLag). */
  vus: number;
  /** Seed of the schedule (default 1). */
  seed?: number;
  /** Gamma shape of the gaps (gamma, linear): 1 = Poisson, lower = burstier (default 1). */
  burstiness?: number;
  /** Start rate of linear, per second (default 0). */
  rampFrom?: number;
  /** A JSONL trace to replay (timestamp, prompt_tokens, output_tokens[, conversation_id]); pattern trace. */
  trace?: string;
  /** Drop an arrival no VU could start within this of its time: a duration, ms, or Infinity (default 1s). */
  maxLag?: string | number;
  /** How long in-flight requests may finish after the arrivals end (default 30s). */
  gracefulStop?: string | number;
  /** More tags of the scenario's samples (its workload tag is set). */
  tags?: Record<string, string>;
}

/** The schedule's k6 scenario, and the wait of each of its iterations. */
export interface Arrivals {
  /** A shared-iterations scenario with one iteration per arrival. */
  readonly scenario: ScenarioOptions;
  /** Arrivals in the schedule. */
  readonly length: number;
  /** Most lateness before an arrival is dropped (ms; Infinity: never). */
  readonly maxLagMs: number;
  /**
   * This iteration's arrival: waits until its time, then returns it with
   * its index in the schedule (global across instances), or returns null
   * when it was later than maxLag (counted in llm_dropped_arrivals).
   * `start` is setup's result (llmSetup()); without it, the test's start.
   */
  next(start?: RunStart): { arrival: Arrival; index: number } | null;
}

/**
 * The schedule `options` describe, as a k6 scenario and its per-iteration
 * wait: a shared-iterations scenario with one iteration per arrival.
 *
 * Why this executor: k6 has no Poisson executor, and its arrival-rate
 * executors only space starts evenly. Here every iteration takes arrival
 * number exec.scenario.iterationInTest of the seeded schedule, sleeps until
 * that arrival's intended time and sends it. So the send times are exactly
 * the schedule's (lag is measured, not assumed), a VU shortage shows as
 * llm_schedule_lag and dropped arrivals instead of a silently slower rate,
 * and under execution segments k6 gives each instance a disjoint stripe of
 * iteration numbers whose union is the whole schedule (see
 * src/arrivals/segments.ts). Iterations k6 could not start before the load
 * window closed are k6's dropped_iterations{scenario:<workload>}.
 */
export function arrivals(options: ArrivalsOptions): Arrivals {
  return oneLine(() => {
    const pattern = options.pattern ?? (options.trace !== undefined ? 'trace' : 'poisson');
    if (!ARRIVAL_NAMES.includes(pattern)) throw invalid('pattern', `one of ${ARRIVAL_NAMES.join(', ')}`, pattern);
    const durationMs = parseDurationMs(durationText('duration', options.duration)) as number;
    const maxLagMs = options.maxLag === undefined ? 1000 : options.maxLag === Infinity ? Infinity : (parseDurationMs(durationText('maxLag', options.maxLag)) as number);
    if (!Number.isInteger(options.vus) || options.vus < 1) throw invalid('vus', 'a whole number of VUs >= 1', options.vus);
    const trace = options.trace === undefined ? null : loadTrace(options.trace, 'trace');
    const schedule = new SharedArray(`k6-llm schedule ${options.workload}`, () =>
      buildSchedule(pattern, {
        ratePerSec: options.rate ?? 1,
        durationMs,
        seed: options.seed ?? 1,
        burstiness: options.burstiness ?? 1,
        rampFromPerSec: options.rampFrom ?? 0,
        // SharedArray hands out frozen copies; the pattern filters, never mutates.
        trace: trace ? Array.from({ length: trace.length }, (_, i) => trace[i] as Arrival) : null,
      }),
    ) as unknown as Indexed<Arrival>;
    const scenario: ScenarioOptions = {
      executor: 'shared-iterations',
      // k6 rejects 0 iterations; an empty schedule gets one iteration, which next() skips.
      iterations: Math.max(1, schedule.length),
      vus: scheduledVus(schedule.length, options.vus),
      maxDuration: durationText('duration', options.duration),
      ...(options.gracefulStop !== undefined ? { gracefulStop: durationText('gracefulStop', options.gracefulStop) } : {}),
      exec: options.workload,
      tags: { ...options.tags, workload: options.workload },
    };
    return { scenario, length: schedule.length, maxLagMs, next: (start?: RunStart) => takeArrival(schedule, start, maxLagMs) };
  });
}
