// The coldstart workload's own knobs: how long the endpoint idles before each
// cold probe, how many probes and warm requests, and how a probe the
// endpoint turns away is retried.

import { knob, type Knobs } from './knob.ts';
import { duration, integer } from './values.ts';

/** The cold-start probes. Durations in ms. */
export interface ColdstartConfig {
  /** Idle gap before each cold probe. */
  idleMs: number;
  /** How many cold probes the run sends. */
  probes: number;
  /** Warm requests after each cold probe. */
  warmRequests: number;
  /** Retries of a cold probe answered 429/502/503/504 or refused. */
  maxRetries: number;
  /** First retry's backoff without Retry-After; doubles each retry. */
  retryBackoffMs: number;
  /** Longest wait before one retry, Retry-After included. */
  retryMaxWaitMs: number;
}

const ONLY: ['coldstart'] = ['coldstart'];

/** Coldstart's knobs. */
export const COLDSTART_KNOBS: Knobs<ColdstartConfig> = {
  idleMs: knob('LLM_IDLE', {
    default: '15m',
    description: "coldstart: idle gap before each cold probe; longer than the provider's scale-down window",
    workloads: ONLY,
    parse: (v, env) => duration(env, v, 0),
  }),
  probes: knob('LLM_PROBES', { default: '3', description: 'coldstart: number of cold probes (1–100)', workloads: ONLY, parse: (v, env) => integer(env, v, 1, 100) }),
  warmRequests: knob('LLM_WARM_REQUESTS', { default: '5', description: 'coldstart: warm requests after each cold probe', workloads: ONLY, parse: (v, env) => integer(env, v, 1, 1000) }),
  maxRetries: knob('LLM_MAX_RETRIES', {
    default: '5',
    description: 'coldstart: retries of a cold probe answered 429/502/503/504 or refused',
    workloads: ONLY,
    parse: (v, env) => integer(env, v, 0, 100),
  }),
  retryBackoffMs: knob('LLM_RETRY_BACKOFF', {
    default: '500ms',
    description: 'coldstart: first backoff when no `Retry-After` is given; doubles per retry',
    workloads: ONLY,
    parse: (v, env) => duration(env, v, 1),
  }),
  retryMaxWaitMs: knob('LLM_RETRY_MAX_WAIT', {
    default: '30s',
    description: 'coldstart: longest single wait before a retry (caps `Retry-After` too)',
    workloads: ONLY,
    parse: (v, env) => duration(env, v, 1),
  }),
};
