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
    description: 'the whole run: load for ¾ of it (at least 1 s), then up to ¼ (1–30 s) for in-flight requests to finish',
    workloads: TIMED,
    parse: (v, env) => duration(env, v, 1000),
  }),
  vus: knob('LLM_VUS', {
    default: '',
    defaultText: 'per workload: chat `8` (closed pool) or `32` (open), realtime `16`, batch `8`, availability `8`',
    description: 'VUs: chat users of the closed pool, batch concurrency, or the pool that sends scheduled arrivals (its size caps concurrency; too small shows as schedule lag and dropped arrivals)',
    workloads: TIMED,
    parse: (v, env) => optional(v, (t) => integer(env, t, 1, 100_000)),
  }),
  rate: knob('LLM_RATE', {
    default: '',
    defaultText: 'per workload: realtime `4`, chat open `0.5` (conversations/s), availability `1`, batch none',
    description: 'arrivals per second of open-model workloads (> 0); for batch, an optional cap on requests per second; setting it makes chat an open model',
    workloads: ['chat', 'realtime', 'batch', 'availability'],
    parse: (v, env) => optional(v, (t) => positive(env, t, 'arrivals per second')),
  }),
  arrival: knob('LLM_ARRIVAL', {
    default: '',
    defaultText: 'realtime and open chat `poisson`; `trace` when `LLM_TRACE` is set',
    description: 'arrival pattern: `constant` (even spacing), `poisson`, `gamma` (burstiness), `linear` (rate from `LLM_RAMP_FROM` to `LLM_RATE`; `ramp`, its old name, still runs it, with a deprecation line), `trace`; setting it makes chat an open model',
    workloads: [...SCHEDULED, 'batch'],
    parse: (v, env) => optional(v, (t) => arrivalName(t, env)),
  }),
  burstiness: knob('LLM_BURSTINESS', {
    default: '1',
    description: 'gamma shape of the gaps (`gamma`, `linear`), > 0: `1` = Poisson, lower = burstier; inter-arrival CV = 1/√b',
    workloads: SCHEDULED,
    parse: (v, env) => positive(env, v, 'gamma shape (1 = Poisson)'),
  }),
  rampFrom: knob('LLM_RAMP_FROM', {
    default: '0',
    description: 'start rate (per second) of the `linear` arrival pattern; it ends at `LLM_RATE`',
    workloads: SCHEDULED,
    parse: (v, env) => number(env, v, 0),
  }),
  seed: knob('LLM_SEED', { default: '1', description: 'seed of schedules, synthetic prompts, lengths, turns and think times (same seed, same run)', workloads: ALL, parse: (v, env) => integer(env, v, 0, 0xffffffff) }),
  trace: knob('LLM_TRACE', {
    default: '',
    description: 'JSONL trace to replay: `{"timestamp": s, "prompt_tokens": n, "output_tokens": n, "conversation_id": id}` per line (id optional: turns of one conversation share their prompt prefix)',
    workloads: ['chat', 'realtime'],
    parse: (v) => v || null,
  }),
  maxLagMs: knob('LLM_MAX_LAG', {
    default: '1s',
    description: 'an arrival no VU could start within this of its intended time is dropped and counted (`none`: never drop; batch never drops)',
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
