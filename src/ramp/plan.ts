// The ramp's plan: it steps load through LLM_LEVELS (concurrent streams, or
// requests/s with LLM_RAMP_BY=rate), one k6 scenario per level started one
// after the other, so every sample carries its level as a tag. The start of
// each level (LLM_WARMUP) is tagged level_phase:warmup and left out of the
// analysis; requests still running when their level ends finish during the
// next level's warm-up (level_phase:drain), which is discarded too. This file
// lays the levels out and names the sub-metrics of each; options.ts builds
// the k6 options, src/k6/drivers/ramp.ts runs them.

import type { RampBy, RampConfig } from '../config/ramp.ts';
import { subMetricKey, workloadKey, type MetricTags } from '../measure/metric-key.ts';
import { PROBE_SCENARIO } from '../workloads/options.ts';

/** The workload's tag value. */
export const RAMP_WORKLOAD = 'ramp';
/** The exported function every level scenario runs. */
export const RAMP_EXEC = 'ramp';

/** Where in its level a sample was taken (by its request's end): the `level_phase` tag. */
export type LevelPhase = 'warmup' | 'steady' | 'drain';

/** One load level and its place in the run. Offsets are from the start of the load. */
export interface RampLevel {
  /** Position in the ramp, from 0. */
  index: number;
  /** Concurrent streams, or requests per second. */
  value: number;
  /** The `level` tag value. */
  label: string;
  /** Name of the level's load scenario. */
  scenario: string;
  /** Name of the level's generator-probe scenario. */
  probeScenario: string;
  /** When the level's load starts, ms since the test started (its warm-up first). */
  startMs: number;
  /** Start of the measured (steady) window. */
  steadyStartMs: number;
  /** End of the level's load (ms since the test started). */
  endMs: number;
}

/** The whole ramp: levels back to back, then one drain. */
export interface RampPlan {
  /** What the levels count: concurrent streams or requests per second. */
  by: RampBy;
  /** The levels, lowest first. */
  levels: RampLevel[];
  /** Each level's length, warm-up included (ms). */
  levelDurationMs: number;
  /** Each level's warm-up, left out of its figures (ms). */
  warmupMs: number;
  /** gracefulStop of every level: in-flight requests finish during the next level's warm-up. */
  drainMs: number;
  /** Load plus the last level's drain. */
  totalMs: number;
}

/** A stop rule on one level: a k6 threshold that aborts the run when it fails. */
export interface StopRule {
  level: string;
  /** The sub-metric key k6 judges, e.g. `llm_request_success{workload:ramp,level:8,level_phase:steady}`. */
  key: string;
  threshold: string;
  /** When k6 first judges it, from the start of the run: just after the level's end. */
  delayAbortEvalMs: number;
}

/** Lays the levels out back to back. */
export function rampPlan(ramp: Pick<RampConfig, 'levels' | 'by' | 'levelDurationMs' | 'warmupMs'>): RampPlan {
  const width = String(ramp.levels.length - 1).length;
  const levels = ramp.levels.map((value, index): RampLevel => {
    const startMs = index * ramp.levelDurationMs;
    const id = String(index).padStart(width, '0');
    return {
      index,
      value,
      label: String(value),
      scenario: `ramp_${id}`,
      probeScenario: `probe_${id}`,
      startMs,
      steadyStartMs: startMs + ramp.warmupMs,
      endMs: startMs + ramp.levelDurationMs,
    };
  });
  return {
    by: ramp.by,
    levels,
    levelDurationMs: ramp.levelDurationMs,
    warmupMs: ramp.warmupMs,
    drainMs: ramp.warmupMs,
    totalMs: levels.length * ramp.levelDurationMs + ramp.warmupMs,
  };
}

/** The level_phase of a request that ended `elapsedMs` after its level's scenario started. */
export function levelPhaseAt(elapsedMs: number, plan: Pick<RampPlan, 'warmupMs' | 'levelDurationMs'>): LevelPhase {
  if (elapsedMs < plan.warmupMs) return 'warmup';
  return elapsedMs <= plan.levelDurationMs ? 'steady' : 'drain';
}

/** Key of a metric's steady-state samples at one level, as registered with k6 and read back. */
export function levelKey(metric: string, label: string, more: MetricTags = {}): string {
  return workloadKey(metric, RAMP_WORKLOAD, { level: label, level_phase: 'steady', ...more });
}

/** Key of a ramp-only counter of one level, over all its level_phases (each request adds its share inside the steady window). */
export function windowKey(metric: 'llm_ramp_window_tokens' | 'llm_ramp_busy_ms', label: string): string {
  return workloadKey(metric, RAMP_WORKLOAD, { level: label });
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
  return workloadKey('llm_generator_lag', PROBE_SCENARIO, { level: label });
}

/** Key of a level's dropped iterations (k6 tags them with the scenario name only). */
export function droppedKey(scenario: string): string {
  return subMetricKey('dropped_iterations', { scenario });
}
