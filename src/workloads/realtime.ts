// The real-time API workload: single-shot calls (moderation, classification,
// code completion) with short prompts and short outputs, arriving at a
// constant or Poisson rate. Judged end to end (thresholds/realtime.json).
// Requests are single turns (singleTurnRequest in prompts.ts);
// src/k6/drivers/realtime.ts sends them.

import type { WorkloadDefaults } from './settings.ts';

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
