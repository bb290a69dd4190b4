// How much load and in what shape: the run's length, the closed pool's size,
// and the open model's arrivals (rate, pattern, burstiness, a trace), with
// the lateness past which an arrival is dropped, and the seed every random
// choice of the run derives from.

import { ARRIVAL_NAMES } from '../arrivals/index.ts';
import { ConfigError, invalid } from '../errors.ts';
import { closest } from '../suggest.ts';
import { ALL, knob, SCHEDULED, TIMED, type Knobs } from './knob.ts';
import { duration, integer, number, optional, positive } from './values.ts';

/** The load model. Durations in ms. */
export interface LoadConfig {
  /** The whole run, including the graceful stop of in-flight requests. */
  durationMs: number;
  /** VUs; null: the workload's default. */
  vus: number | null;
  /** Arrivals per second; null: the workload's default. */
  rate: number | null;
  /** The arrival pattern; null: the workload's default (trace when a trace is given). */
  arrival: string | null;
  /** Gamma shape of the gaps, > 0 (1 = Poisson). */
  burstiness: number;
  /** Start rate of the linear pattern, per second. */
  rampFrom: number;
  /** Seed of schedules, prompts, lengths and think times. */
  seed: number;
  /** JSONL trace file to replay, or null. */
  trace: string | null;
  /** An arrival no VU could start within this many ms of its time is dropped (Infinity: never). */
  maxLagMs: number;
}

/** The linear arrival pattern's old name: still accepted (as linear), with a notice. */
export const DEPRECATED_LINEAR = 'ramp';

/** The load model's knobs. */
export const LOAD_KNOBS: Knobs<LoadConfig> = {
  durationMs: knob('LLM_DURATION', {
    default: '30s',
    description: 'whole run, including the graceful stop of in-flight requests',
    workloads: TIMED,
    parse: (v, env) => duration(env, v, 1000),
  }),
  vus: knob('LLM_VUS', {
    default: '',
    description: 'VUs: chat users (closed pool), batch concurrency, or the pool that sends open-model arrivals (default per workload)',
    workloads: TIMED,
    parse: (v, env) => optional(v, (t) => integer(env, t, 1, 100_000)),
  }),
  rate: knob('LLM_RATE', {
    default: '',
    description: 'arrivals per second of open-model workloads (default per workload)',
    workloads: ['chat', 'realtime', 'batch', 'availability'],
    parse: (v, env) => optional(v, (t) => positive(env, t, 'arrivals per second')),
  }),
  arrival: knob('LLM_ARRIVAL', {
    default: '',
    description: `arrival pattern: ${ARRIVAL_NAMES.join(', ')}`,
    workloads: [...SCHEDULED, 'batch'],
    parse: (v, env) => optional(v, (t) => arrivalName(t, env)),
  }),
  burstiness: knob('LLM_BURSTINESS', {
    default: '1',
    description: 'gamma shape of gaps (gamma, linear): 1 = Poisson, lower = burstier (CV 1/sqrt(b))',
    workloads: SCHEDULED,
    parse: (v, env) => positive(env, v, 'gamma shape (1 = Poisson)'),
  }),
  rampFrom: knob('LLM_RAMP_FROM', {
    default: '0',
    description: 'start rate (per second) of the linear arrival pattern; it ends at LLM_RATE',
    workloads: SCHEDULED,
    parse: (v, env) => number(env, v, 0),
  }),
  seed: knob('LLM_SEED', { default: '1', description: 'seed of schedules, prompts, lengths and think times', workloads: ALL, parse: (v, env) => integer(env, v, 0, 0xffffffff) }),
  trace: knob('LLM_TRACE', {
    default: '',
    description: 'JSONL trace to replay (timestamp, prompt_tokens, output_tokens[, conversation_id])',
    workloads: ['chat', 'realtime'],
    parse: (v) => v || null,
  }),
  maxLagMs: knob('LLM_MAX_LAG', {
    default: '1s',
    description: 'drop an arrival no VU could start within this of its time (none: never drop)',
    workloads: SCHEDULED,
    parse: (v, env) => (v.trim() === 'none' ? Infinity : duration(env, v, 0)),
  }),
};

function arrivalName(value: string, env: string): string {
  if (value === DEPRECATED_LINEAR) return 'linear';
  if (!ARRIVAL_NAMES.includes(value)) {
    const hint = closest(value, ARRIVAL_NAMES);
    throw invalid(env, `one of ${ARRIVAL_NAMES.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`, value);
  }
  return value;
}

/** A trace sets the arrival pattern to trace, and only a trace can: fills in or throws a ConfigError. */
export function settleTrace(load: LoadConfig): void {
  if (load.trace !== null && load.arrival === null) load.arrival = 'trace';
  if (load.arrival === 'trace' && load.trace === null) {
    throw new ConfigError('missing-value', 'LLM_TRACE', 'invalid LLM_TRACE; expected a JSONL trace file for LLM_ARRIVAL=trace, got nothing');
  }
  if (load.trace !== null && load.arrival !== 'trace') throw invalid('LLM_ARRIVAL', 'trace (or unset) when LLM_TRACE is given', load.arrival);
}
