// The ramp workload: steps load through LLM_LEVELS (concurrent streams, or
// requests/s with LLM_RAMP_BY=rate), one k6 scenario per level started one
// after the other, so every sample carries its level as a tag. The start of
// each level (LLM_WARMUP) is tagged phase:warmup and left out of the
// analysis; requests still running when their level ends finish during the
// next level's warm-up (phase:drain), which is discarded too. This file plans
// the levels and builds the k6 options; scenarios/ramp.ts runs them.

import type { Options } from 'k6/options';
import type { Config, RampBy } from '../config.ts';
import { formatDuration } from '../duration.ts';
import { ERROR_KINDS } from '../measure/request-record.ts';
import { parseExpression } from '../thresholds/expression.ts';
import { percentilesUsed, type ThresholdEntry, type ThresholdSpec } from '../thresholds/threshold-file.ts';
import { COUNT_METRICS, judgedOptions, PROBE_SCENARIO, TREND_METRICS } from './options.ts';

/** The workload's tag value. */
export const RAMP_WORKLOAD = 'ramp';
/** The exported function every level scenario runs. */
export const RAMP_EXEC = 'ramp';

/** Where in its level a sample was taken (by its request's end). */
export type Phase = 'warmup' | 'steady' | 'drain';

/** One load level and its place in the run. Offsets are from the start of the load. */
export interface RampLevel {
  index: number;
  /** Concurrent streams, or requests per second. */
  value: number;
  /** The `level` tag value. */
  label: string;
  /** Names of the level's load scenario and generator-probe scenario. */
  scenario: string;
  probeScenario: string;
  startMs: number;
  /** Start of the measured (steady) window. */
  steadyStartMs: number;
  endMs: number;
}

/** The whole ramp: levels back to back, then one drain. */
export interface RampPlan {
  by: RampBy;
  levels: RampLevel[];
  levelDurationMs: number;
  warmupMs: number;
  /** gracefulStop of every level: in-flight requests finish during the next level's warm-up. */
  drainMs: number;
  /** Load plus the last level's drain. */
  totalMs: number;
}

/** A stop rule on one level: a k6 threshold that aborts the run when it fails. */
export interface StopRule {
  level: string;
  /** The sub-metric key k6 judges, e.g. `llm_request_success{workload:ramp,level:8,phase:steady}`. */
  key: string;
  threshold: string;
  /** When k6 first judges it, from the start of the run: just after the level's end. */
  delayAbortEvalMs: number;
}

/** Seconds k6 needs after a level ends before the stop rule can read all its samples. */
const STOP_EVAL_MARGIN_MS = 1000;

/** Lays the levels out back to back. */
export function rampPlan(config: Pick<Config, 'levels' | 'rampBy' | 'levelDurationMs' | 'warmupMs'>): RampPlan {
  const width = String(config.levels.length - 1).length;
  const levels = config.levels.map((value, index): RampLevel => {
    const startMs = index * config.levelDurationMs;
    const id = String(index).padStart(width, '0');
    return {
      index,
      value,
      label: String(value),
      scenario: `ramp_${id}`,
      probeScenario: `probe_${id}`,
      startMs,
      steadyStartMs: startMs + config.warmupMs,
      endMs: startMs + config.levelDurationMs,
    };
  });
  return {
    by: config.rampBy,
    levels,
    levelDurationMs: config.levelDurationMs,
    warmupMs: config.warmupMs,
    drainMs: config.warmupMs,
    totalMs: levels.length * config.levelDurationMs + config.warmupMs,
  };
}

/** The phase of a request that ended `elapsedMs` after its level's scenario started. */
export function phaseAt(elapsedMs: number, plan: Pick<RampPlan, 'warmupMs' | 'levelDurationMs'>): Phase {
  if (elapsedMs < plan.warmupMs) return 'warmup';
  return elapsedMs <= plan.levelDurationMs ? 'steady' : 'drain';
}

/** Key of a metric's steady-state samples at one level, as registered with k6 and read back. */
export function levelKey(metric: string, label: string, extra = ''): string {
  return `${metric}{workload:${RAMP_WORKLOAD},level:${label},phase:steady${extra ? `,${extra}` : ''}}`;
}

/** Key of a ramp-only counter of one level, over all phases (each request adds its share inside the steady window). */
export function windowKey(metric: 'llm_ramp_window_tokens' | 'llm_ramp_busy_ms', label: string): string {
  return `${metric}{workload:${RAMP_WORKLOAD},level:${label}}`;
}

/** What one request contributed to its level's steady window. */
export interface WindowShare {
  /** Output tokens that arrived inside the window. */
  tokens: number;
  /** Time the request was in flight inside the window (ms). */
  busyMs: number;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/**
 * A request's share of its level's steady window [windowStart, windowEnd]
 * (all times in the same clock, ms). Throughput and concurrency measured
 * this way count the tokens and in-flight time that fell inside the window,
 * whenever the request started or ended: counting whole requests by their
 * end instead quantises the figure by whole requests, which in a short
 * window of lock-stepped streams is off by up to a batch. The first token is
 * placed at TTFT and the others spread evenly up to the last (E2E).
 */
export function windowShare(
  record: { ttftMs: number | null; e2eMs: number | null; outputTokens: number },
  startMs: number,
  endMs: number,
  windowStartMs: number,
  windowEndMs: number,
): WindowShare {
  const busyMs = overlap(startMs, endMs, windowStartMs, windowEndMs);
  const n = record.outputTokens;
  if (n <= 0) return { tokens: 0, busyMs };
  const inWindow = (t: number): boolean => t >= windowStartMs && t <= windowEndMs;
  const last = startMs + (record.e2eMs ?? endMs - startMs);
  if (record.ttftMs === null || n === 1 || record.e2eMs === null || record.e2eMs <= record.ttftMs) {
    // Non-streamed, or one token: all of it arrived at the end.
    return { tokens: inWindow(last) ? n : 0, busyMs };
  }
  const first = startMs + record.ttftMs;
  const spread = ((n - 1) * overlap(first, last, windowStartMs, windowEndMs)) / (last - first);
  return { tokens: (inWindow(first) ? 1 : 0) + spread, busyMs };
}

/** Key of the generator probe's lag samples during one level. */
export function probeKey(label: string): string {
  return `llm_generator_lag{workload:${PROBE_SCENARIO},level:${label}}`;
}

/** Key of a level's dropped iterations (k6 tags them with the scenario name only). */
export function droppedKey(scenario: string): string {
  return `dropped_iterations{scenario:${scenario}}`;
}

/**
 * The stop rules (documented in the README): after each level, k6 stops the
 * run when the level's steady-state error rate exceeded LLM_STOP_ERROR_RATE,
 * or a TTFT or E2E percentile exceeded LLM_STOP_TTFT_FACTOR times the bound
 * the SLO file sets on it.
 */
export function stopRules(config: Pick<Config, 'stopErrorRate' | 'stopLatencyFactor'>, plan: RampPlan, spec: ThresholdSpec | null): StopRule[] {
  const rules: StopRule[] = [];
  const latency = config.stopLatencyFactor === null ? [] : latencyStopBounds(spec, config.stopLatencyFactor);
  for (const level of plan.levels) {
    const delayAbortEvalMs = level.endMs + STOP_EVAL_MARGIN_MS;
    if (config.stopErrorRate !== null) {
      const minSuccess = Math.round((1 - config.stopErrorRate) * 1e6) / 1e6;
      rules.push({ level: level.label, key: levelKey('llm_request_success', level.label), threshold: `rate>=${minSuccess}`, delayAbortEvalMs });
    }
    for (const { metric, threshold } of latency) {
      rules.push({ level: level.label, key: levelKey(metric, level.label), threshold, delayAbortEvalMs });
    }
  }
  return rules;
}

/** `p(N)<B` bounds on TTFT and E2E, loosened by `factor`: the "far beyond the SLO" of the stop rule. */
export function latencyStopBounds(spec: ThresholdSpec | null, factor: number): { metric: string; threshold: string }[] {
  const out: { metric: string; threshold: string }[] = [];
  for (const metric of ['llm_ttft', 'llm_e2e']) {
    for (const entry of spec?.thresholds[metric] ?? []) {
      const parsed = parseExpression(typeof entry === 'string' ? entry : entry.threshold);
      if (!parsed || !(parsed.operator === '<' || parsed.operator === '<=')) continue;
      if (!parsed.aggregation.startsWith('p(') && parsed.aggregation !== 'med') continue;
      out.push({ metric, threshold: `${parsed.aggregation}<${Math.round(parsed.bound * factor * 1000) / 1000}` });
    }
  }
  return out;
}

/**
 * k6 options of a ramp: a load scenario and a generator probe per level,
 * sub-metric registrations that make k6 compute every level's exact
 * percentiles from its own samples, and the stop rules as abortOnFail
 * thresholds. The SLO file is not a k6 threshold here: a ramp is meant to go
 * past it, so each level is judged apart, after the run.
 */
export function rampOptions(config: Config, plan: RampPlan, spec: ThresholdSpec | null): Options {
  const scenarios: NonNullable<Options['scenarios']> = {};
  const drain = formatDuration(plan.drainMs);
  for (const level of plan.levels) {
    const common = {
      startTime: formatDuration(level.startMs),
      gracefulStop: drain,
      exec: RAMP_EXEC,
      tags: { workload: RAMP_WORKLOAD, model: config.model, level: level.label },
    };
    const duration = formatDuration(plan.levelDurationMs);
    if (plan.by === 'concurrency') {
      scenarios[level.scenario] = { executor: 'constant-vus', vus: level.value, duration, ...common };
    } else {
      // k6 wants a whole number of iterations per time unit: 2.5/s is 2500 per 1000 s.
      const whole = Number.isInteger(level.value);
      const maxVUs = config.rampMaxVus;
      scenarios[level.scenario] = {
        executor: 'constant-arrival-rate',
        rate: whole ? level.value : Math.round(level.value * 1000),
        timeUnit: whole ? '1s' : '1000s',
        duration,
        // Enough for requests of about 2 s without starting VUs mid-level; more start when needed.
        preAllocatedVUs: Math.min(maxVUs, Math.ceil(level.value * 2) + 1),
        maxVUs,
        ...common,
      };
    }
    scenarios[level.probeScenario] = {
      executor: 'constant-vus',
      vus: 1,
      duration,
      startTime: common.startTime,
      gracefulStop: '1s',
      exec: 'generatorProbe',
      tags: { workload: PROBE_SCENARIO, level: level.label },
    };
  }

  const base = judgedOptions([{ workload: RAMP_WORKLOAD, spec: null }]);
  const thresholds = base.thresholds as Record<string, ThresholdEntry[]>;
  for (const level of plan.levels) {
    for (const metric of [...TREND_METRICS, ...COUNT_METRICS]) {
      if (metric !== 'llm_ttft_spread') thresholds[levelKey(metric, level.label)] = [];
    }
    for (const kind of ERROR_KINDS) thresholds[levelKey('llm_errors', level.label, `error:${kind}`)] = [];
    thresholds[probeKey(level.label)] = [];
    thresholds[windowKey('llm_ramp_window_tokens', level.label)] = [];
    thresholds[windowKey('llm_ramp_busy_ms', level.label)] = [];
    if (plan.by === 'rate') thresholds[droppedKey(level.scenario)] = [];
  }
  for (const rule of stopRules(config, plan, spec)) {
    (thresholds[rule.key] ??= []).push({ threshold: rule.threshold, abortOnFail: true, delayAbortEval: formatDuration(rule.delayAbortEvalMs) });
  }
  const stats = new Set(base.summaryTrendStats);
  for (const p of spec ? percentilesUsed(spec) : []) stats.add(p);
  return { scenarios, thresholds: thresholds as Options['thresholds'], summaryTrendStats: [...stats] };
}
