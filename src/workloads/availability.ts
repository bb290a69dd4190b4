// The availability workload (also the soak mode): a low, steady request rate
// (an open model, so a slow or failing endpoint does not slow the offered
// load down) over a long run, reported per time window. This file shapes the
// run; scenarios/availability.ts runs it.

import type { Options } from 'k6/options';
import type { Config } from '../config.ts';
import { formatDuration } from '../duration.ts';
import type { ThresholdSpec } from '../thresholds/threshold-file.ts';
import { judgedOptions, probeScenario, PROBE_SCENARIO, splitDuration, transportOptions } from './options.ts';

/** The workload's tag value and scenario name. */
export const AVAILABILITY_WORKLOAD = 'availability';

/** k6's arrival rate for `perSecond` requests/s: an integer count per time unit. */
export function arrivalRate(perSecond: number): { rate: number; timeUnit: string } {
  if (Number.isInteger(perSecond)) return { rate: perSecond, timeUnit: '1s' };
  // Fractional rates (0.2/s = one every 5 s) as a count per 1000 s.
  return { rate: Math.max(1, Math.round(perSecond * 1000)), timeUnit: '1000s' };
}

/** Defaults when LLM_RATE / LLM_VUS are unset: a low, steady probe rate, room for slow answers. */
export const AVAILABILITY_DEFAULTS = { rate: 1, vus: 8 } as const;

/** The request rate and in-flight limit an availability run uses. */
export function availabilityLoad(config: Config): { rate: number; vus: number } {
  return { rate: config.rate ?? AVAILABILITY_DEFAULTS.rate, vus: config.vus ?? AVAILABILITY_DEFAULTS.vus };
}

/** k6 options: LLM_RATE requests/s for the load part of LLM_DURATION, at most LLM_VUS in flight. */
export function availabilityOptions(config: Config, exec: string, spec: ThresholdSpec | null): Options {
  const { loadMs, gracefulStopMs } = splitDuration(config.durationMs);
  const load = availabilityLoad(config);
  return {
    scenarios: {
      [AVAILABILITY_WORKLOAD]: {
        executor: 'constant-arrival-rate',
        ...arrivalRate(load.rate),
        duration: formatDuration(loadMs),
        // Requests in flight at once; a stalled endpoint can hold each for up to LLM_TIMEOUT.
        preAllocatedVUs: load.vus,
        maxVUs: load.vus,
        gracefulStop: formatDuration(gracefulStopMs),
        exec,
        tags: { workload: AVAILABILITY_WORKLOAD, model: config.model },
      },
      [PROBE_SCENARIO]: probeScenario(config),
    },
    ...judgedOptions([{ workload: AVAILABILITY_WORKLOAD, spec }]),
    ...transportOptions(config),
  };
}
