// The parts of a run's k6 options every workload shares (llmOptions puts
// them together: src/run/options.ts): the load / graceful-stop split of
// LLM_DURATION, the summary's trend statistics, and the sub-metric
// registrations that make k6 report every llm_* metric per workload.

import type { Options } from 'k6/options';
import { subMetricKey, workloadKey } from '../measure/metric-key.ts';
import { ERROR_KINDS } from '../measure/request-record.ts';
import { percentilesUsed, workloadThresholds, type ThresholdEntry, type ThresholdSpec } from '../thresholds/threshold-file.ts';

/** Trend metrics reported per workload. */
export const TREND_METRICS = [
  'llm_ttft',
  'llm_ttfo',
  'llm_itl',
  'llm_tpot',
  'llm_e2e',
  'llm_output_tokens_per_second',
  'llm_schedule_lag',
  'llm_timing_bound',
  'llm_image_bytes',
  'llm_image_pixels',
] as const;
/** Counter, Rate and Gauge metrics reported per workload (everything that is not a trend). */
export const NON_TREND_METRICS = [
  'llm_output_tokens',
  'llm_reasoning_tokens',
  'llm_answer_tokens',
  'llm_prompt_tokens',
  'llm_cached_prompt_tokens',
  'llm_cache_write_tokens',
  'llm_prompt_cache_hit',
  'llm_images',
  'llm_embedding_inputs',
  'llm_prompt_repeated',
  'llm_prompt_chars',
  'llm_request_success',
  'llm_slo_attained',
  'llm_errors',
  'llm_requests',
  'llm_connection_resends',
  'llm_timing_flagged',
  'llm_ttft_spread',
  'llm_dropped_arrivals',
  'llm_batch_job_ms',
  'llm_retries',
  'llm_time_to_first_success',
  'llm_cold_start_penalty',
  'llm_availability_worst_window',
] as const;
/** The `cache` tag values of llm_ttft: the server reported cached prompt tokens > 0, or 0. */
export const CACHE_TAGS = ['hit', 'miss'] as const;
/** Statistics every Trend reports; p(99) matters most for TTFT stability. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];
/** Name of the generator self-check scenario. */
export const PROBE_SCENARIO = 'generator_probe';

/** How LLM_DURATION is split between load and the graceful stop of in-flight requests. */
export function splitDuration(durationMs: number): { loadMs: number; gracefulStopMs: number } {
  // A quarter of the run, 1 s to 30 s, lets streams started near the end finish.
  const gracefulStopMs = Math.min(30_000, Math.max(1000, Math.round(durationMs / 4)));
  return { loadMs: Math.max(1000, durationMs - gracefulStopMs), gracefulStopMs };
}

/** The thresholds and trend statistics of a run judged by `spec` (null: none). */
export function judgedOptions(workloads: { workload: string; spec: ThresholdSpec | null }[]): Pick<Options, 'thresholds' | 'summaryTrendStats'> {
  const thresholds: Record<string, ThresholdEntry[]> = subMetricRegistrations(workloads.map((w) => w.workload));
  const stats = new Set(SUMMARY_TREND_STATS);
  for (const { workload, spec } of workloads) {
    if (!spec) continue;
    Object.assign(thresholds, workloadThresholds(spec, workload));
    for (const p of percentilesUsed(spec)) stats.add(p);
  }
  return { thresholds: thresholds as Options['thresholds'], summaryTrendStats: [...stats] };
}

/** A k6 scenario definition (the subset k6-llm uses). */
export type ScenarioOptions = NonNullable<Options['scenarios']>[string];

/** The pool of a scheduled scenario of `arrivals`: `vus`, but never more VUs than iterations (k6 splits the iterations by them). */
export function scheduledVus(arrivals: number, vus: number): number {
  return Math.max(1, Math.min(vus, Math.max(1, arrivals)));
}

/** What one workload adds to a run's k6 options. */
export interface WorkloadOptions {
  workload: string;
  /** Judged as k6 thresholds on the workload's sub-metrics; null: not judged by k6 (LLM_THRESHOLDS=none, or a ramp, whose levels are judged after the run). */
  spec: ThresholdSpec | null;
  /** The workload's k6 scenarios by name (one named after the workload; a ramp has one per level). */
  scenarios: Record<string, ScenarioOptions>;
  /** More threshold lists, added after the judged ones: sub-metric registrations (empty lists) and stop rules. */
  thresholds?: Record<string, ThresholdEntry[]>;
  /** More trend statistics its report reads. */
  trendStats?: readonly string[];
  /** The generator probe beside it: the default one (undefined), its own scenario (alone in a run), or none (null). */
  probe?: ScenarioOptions | null;
}

/**
 * Empty threshold lists: they judge nothing, but make k6 keep the tagged
 * sub-metrics so the summary can report each workload and error kind apart.
 */
export function subMetricRegistrations(workloads: string[]): Record<string, ThresholdEntry[]> {
  const keys: Record<string, ThresholdEntry[]> = {};
  for (const workload of workloads) {
    for (const metric of [...TREND_METRICS, ...NON_TREND_METRICS]) keys[workloadKey(metric, workload)] = [];
    for (const kind of ERROR_KINDS) keys[workloadKey('llm_errors', workload, { error: kind })] = [];
    for (const metric of ['llm_output_tokens', 'llm_reasoning_tokens', 'llm_answer_tokens']) keys[workloadKey(metric, workload, { tokens: 'estimated' })] = [];
    // TTFT of the requests the server said its prompt cache answered, and of those it said it did not.
    for (const cache of CACHE_TAGS) keys[workloadKey('llm_ttft', workload, { cache })] = [];
    // k6 tags dropped_iterations with the scenario name only (not its tags).
    keys[subMetricKey('dropped_iterations', { scenario: workload })] = [];
  }
  return keys;
}
