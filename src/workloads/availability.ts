// The availability workload (also the soak mode): a low, steady request rate
// (an open model, so a slow or failing endpoint does not slow the offered
// load down) over a long run, reported per time window. Requests are single
// turns (singleTurnRequest in prompts.ts: the demo prompts unless a prompt
// knob says otherwise). This file shapes the run; src/k6/drivers/availability.ts
// runs it.

import type { Config } from '../config/config.ts';
import { formatDuration } from '../duration.ts';
import { splitDuration, type ScenarioOptions } from './options.ts';
import type { WorkloadDefaults, WorkloadSettings } from './settings.ts';

/** The workload's tag value and scenario name. */
export const AVAILABILITY_WORKLOAD = 'availability';

/** k6's arrival rate for `perSecond` requests/s: an integer count per time unit. */
export function arrivalRate(perSecond: number): { rate: number; timeUnit: string } {
  if (Number.isInteger(perSecond)) return { rate: perSecond, timeUnit: '1s' };
  // Fractional rates (0.2/s = one every 5 s) as a count per 1000 s.
  return { rate: Math.max(1, Math.round(perSecond * 1000)), timeUnit: '1000s' };
}

/** A low, steady probe rate (1/s), room for 8 slow answers at once, chat-sized requests on the demo prompts. */
export const AVAILABILITY_DEFAULTS: WorkloadDefaults = {
  vus: 8,
  maxTokens: 128,
  rate: 1,
  // Not a schedule: k6's constant-arrival-rate spaces the requests evenly.
  arrival: 'constant',
  promptTokens: null,
  turns: { kind: 'fixed', value: 1 },
  thinkTime: { kind: 'fixed', value: 0 },
};

/** The k6 scenario: LLM_RATE requests/s for the load part of LLM_DURATION, at most LLM_VUS in flight. */
export function availabilityScenario(config: Config, settings: WorkloadSettings): ScenarioOptions {
  const { loadMs, gracefulStopMs } = splitDuration(config.load.durationMs);
  return {
    executor: 'constant-arrival-rate',
    ...arrivalRate(settings.rate),
    duration: formatDuration(loadMs),
    // Requests in flight at once; a stalled endpoint can hold each for up to LLM_TIMEOUT.
    preAllocatedVUs: settings.vus,
    maxVUs: settings.vus,
    gracefulStop: formatDuration(gracefulStopMs),
    exec: AVAILABILITY_WORKLOAD,
    tags: { workload: AVAILABILITY_WORKLOAD, model: config.endpoint.model },
  };
}
