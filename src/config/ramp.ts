// The ramp workload's own knobs: its levels (streams, or requests/s), how
// long each is held and how much of that is warm-up, the stop rules, the
// saturation rule and whose request shape it sends.

import { invalid } from '../errors.ts';
import { knob, type Knobs } from './knob.ts';
import { duration, factor, fractionBelowOne, integer, nonEmpty, offOr, oneOf, percent } from './values.ts';

/** What the ramp steps: concurrent streams (closed model) or arrival rate in requests/s (open model). */
export type RampBy = 'concurrency' | 'rate';

/** Most levels a ramp may have: each is a k6 scenario with its own sub-metrics. */
export const MAX_LEVELS = 40;

/** The ramp. Durations in ms. */
export interface RampConfig {
  /** The load levels, strictly ascending (streams, or requests/s with by 'rate'). */
  levels: number[];
  /** What the levels are: concurrent streams (concurrency) or requests/s (rate). */
  by: RampBy;
  /** How long each level is held, warm-up included. */
  levelDurationMs: number;
  /** The start of each level left out of the analysis. */
  warmupMs: number;
  /** Stop rule: a level whose error rate exceeds this ends the run; null = never. */
  stopErrorRate: number | null;
  /** Stop rule: a level whose TTFT/E2E percentile exceeds this many times its SLO bound ends the run; null = never. */
  stopLatencyFactor: number | null;
  /** The smallest throughput gain (%) that still counts as scaling. */
  saturationGainPct: number;
  /** Whose request shape and default SLO file the ramp uses (checked where it is looked up: rampShapeByName). */
  shape: string;
  /** With by 'rate': the most requests in flight (VUs) per level. */
  maxVus: number;
}

const ONLY: ['ramp'] = ['ramp'];

/** The ramp's knobs. */
export const RAMP_KNOBS: Knobs<RampConfig> = {
  levels: knob('LLM_LEVELS', {
    default: '1,2,4,8,16,32,64',
    description: 'ramp: ascending load levels (at most 40): concurrent streams, or requests/s (up to 3 decimals) with `LLM_RAMP_BY=rate`',
    workloads: ONLY,
    // Whole numbers or rates depend on LLM_RAMP_BY: checkRamp reads them (and refuses a bad list) once both are known.
    parse: () => [],
  }),
  by: knob('LLM_RAMP_BY', {
    default: 'concurrency',
    description: 'ramp: `concurrency` (closed model: each stream sends its next request when the last ends) or `rate` (open model: arrivals per second)',
    workloads: ONLY,
    parse: (v, env) => oneOf(env, v, ['concurrency', 'rate']) as RampBy,
  }),
  levelDurationMs: knob('LLM_LEVEL_DURATION', { default: '30s', description: 'ramp: how long each level is held, warm-up included (at least 2 s)', workloads: ONLY, parse: (v, env) => duration(env, v, 2000) }),
  warmupMs: knob('LLM_WARMUP', { default: '10s', description: 'ramp: start of each level left out of the analysis; also how long requests of a level may run into the next (at least 1 s shorter than a level)', workloads: ONLY, parse: (v, env) => duration(env, v, 0) }),
  stopErrorRate: knob('LLM_STOP_ERROR_RATE', {
    default: '0.5',
    description: 'ramp stop rule: stop after a level whose steady-state error rate exceeds this (0 ≤ x < 1), or `off`',
    workloads: ONLY,
    parse: (v, env) => offOr(v, (t) => fractionBelowOne(env, t)),
  }),
  stopLatencyFactor: knob('LLM_STOP_TTFT_FACTOR', {
    default: '5',
    description: "ramp stop rule: stop after a level whose steady-state TTFT or E2E percentile exceeds this many times the SLO file's bound on it (≥ 1), or `off`",
    workloads: ONLY,
    parse: (v, env) => offOr(v, (t) => factor(env, t)),
  }),
  saturationGainPct: knob('LLM_SATURATION_GAIN', {
    default: '5%',
    description: 'ramp: smallest aggregate throughput gain that still counts as scaling',
    workloads: ONLY,
    parse: (v, env) => percent(env, v),
  }),
  shape: knob('LLM_RAMP_SHAPE', {
    default: 'chat',
    description: "ramp: request shape and default SLO file: `chat`, `batch` (long synthetic prompts, 256-token outputs) or `realtime` (short prompts, 16-token outputs); each uses its workload's defaults for knobs left unset",
    workloads: ONLY,
    parse: (v, env) => nonEmpty(env, v).trim(),
  }),
  maxVus: knob('LLM_RAMP_MAX_VUS', {
    default: '200',
    description: 'ramp with `LLM_RAMP_BY=rate`: most requests in flight per level (k6 drops arrivals beyond; the report counts them)',
    workloads: ONLY,
    parse: (v, env) => integer(env, v, 1, 100_000),
  }),
};

/**
 * Reads what the ramp's knobs mean together: the levels (whole numbers of
 * streams, or rates, by LLM_RAMP_BY), and at least a second of every level
 * measured at steady state. Throws a ConfigError naming the variable.
 */
export function settleRamp(ramp: RampConfig, text: (env: string) => string): void {
  ramp.levels = levels(text('LLM_LEVELS') || RAMP_KNOBS.levels.default, 'LLM_LEVELS', ramp.by);
  if (ramp.warmupMs > ramp.levelDurationMs - 1000) {
    throw invalid('LLM_WARMUP', `a duration at least 1 s shorter than LLM_LEVEL_DURATION (${ramp.levelDurationMs / 1000}s)`, text('LLM_WARMUP') || RAMP_KNOBS.warmupMs.default);
  }
}

function levels(value: string, env: string, by: RampBy): number[] {
  const expected =
    by === 'concurrency'
      ? `a comma list of ascending whole numbers of streams such as 1,2,4,8,16 (at most ${MAX_LEVELS})`
      : `a comma list of ascending request rates per second such as 0.5,1,2,4 (at most ${MAX_LEVELS}, 3 decimals)`;
  const parts = value.split(',').map((p) => p.trim());
  const out: number[] = [];
  for (const part of parts) {
    const ok = by === 'concurrency' ? /^\d+$/.test(part) : /^\d+(\.\d{1,3})?$/.test(part);
    const n = Number(part);
    if (!ok || !(n > 0) || n > 100_000) throw invalid(env, expected, value);
    if (out.length > 0 && n <= (out[out.length - 1] as number)) throw invalid(env, expected, value);
    out.push(n);
  }
  if (out.length === 0 || out.length > MAX_LEVELS) throw invalid(env, expected, value);
  return out;
}
