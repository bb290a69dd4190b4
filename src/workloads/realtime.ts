// The real-time API workload: single-shot calls (moderation, classification,
// code completion) with short prompts and short outputs, arriving at a
// constant or Poisson rate. Judged end to end (thresholds/realtime.json).
// This file shapes the requests; src/k6/drivers/realtime.ts sends them.

import type { Arrival } from '../arrivals/pattern.ts';
import type { Config } from '../config.ts';
import type { GenerationRequest } from '../protocols/protocol.ts';
import { lengthControl, type PromptSource } from './prompts.ts';
import type { WorkloadDefaults, WorkloadSettings } from './settings.ts';

/** The workload's tag value and scenario name. */
export const REALTIME_WORKLOAD = 'realtime';

/** Short prompts, short answers, Poisson arrivals at 4/s, a pool of 16 VUs. */
export const REALTIME_DEFAULTS: WorkloadDefaults = {
  vus: 16,
  maxTokens: 16,
  rate: 4,
  arrival: 'poisson',
  promptTokens: { kind: 'uniform', min: 16, max: 64 },
  turns: { kind: 'fixed', value: 1 },
  thinkTime: { kind: 'fixed', value: 0 },
};

/** The request of arrival `index`: a trace's lengths when it has them. */
export function realtimeRequest(config: Config, settings: WorkloadSettings, prompts: PromptSource, index: number, arrival: Arrival): GenerationRequest {
  const maxTokens = arrival.outputTokens ?? settings.maxTokens;
  return {
    model: config.model,
    messages: prompts.messages(index, arrival),
    maxTokens,
    stream: config.stream,
    extraBody: lengthControl(config, maxTokens),
  };
}
