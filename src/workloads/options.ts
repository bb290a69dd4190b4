// Builds the k6 options of a run: the workload's scenario, the generator
// probe, the summary's trend statistics, and the sub-metric registrations
// that make k6 report every llm_* metric per workload.

import type { Options } from 'k6/options';
import type { Config } from '../config.ts';
import { formatDuration } from '../duration.ts';
import { ERROR_KINDS } from '../measure/request-record.ts';
import { percentilesUsed, workloadThresholds, type ThresholdEntry, type ThresholdSpec } from '../thresholds/threshold-file.ts';

/** Trend metrics reported per workload. */
export const TREND_METRICS = ['llm_ttft', 'llm_itl', 'llm_tpot', 'llm_e2e', 'llm_output_tokens_per_second'] as const;
/** Other metrics reported per workload. */
export const COUNT_METRICS = [
  'llm_output_tokens',
  'llm_prompt_tokens',
  'llm_request_success',
  'llm_slo_attained',
  'llm_errors',
  'llm_requests',
  'llm_ttft_spread',
  'llm_retries',
  'llm_time_to_first_success',
  'llm_cold_start_penalty',
  'llm_availability_worst_window',
] as const;
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

/** Options every workload shares: TLS verification is off only when asked for explicitly. */
export function transportOptions(config: Config): Pick<Options, 'insecureSkipTLSVerify'> {
  return config.insecureTls ? { insecureSkipTLSVerify: true } : {};
}

/** The generator self-check scenario, running for `loadMs`. */
export function probeScenario(loadMs: number): NonNullable<Options['scenarios']>[string] {
  return {
    executor: 'constant-vus',
    vus: 1,
    duration: formatDuration(loadMs),
    gracefulStop: '1s',
    exec: 'generatorProbe',
    tags: { workload: PROBE_SCENARIO },
  };
}

/** k6 options for a closed-model workload: LLM_VUS users sending back-to-back. */
export function closedWorkloadOptions(config: Config, workload: string, exec: string, spec: ThresholdSpec | null): Options {
  const { loadMs, gracefulStopMs } = splitDuration(config.durationMs);
  return {
    scenarios: {
      [workload]: {
        executor: 'constant-vus',
        vus: config.vus,
        duration: formatDuration(loadMs),
        gracefulStop: formatDuration(gracefulStopMs),
        exec,
        tags: { workload, model: config.model },
      },
      [PROBE_SCENARIO]: probeScenario(loadMs),
    },
    ...judgedOptions([{ workload, spec }]),
    ...transportOptions(config),
  };
}

/**
 * Empty threshold lists: they judge nothing, but make k6 keep the tagged
 * sub-metrics so the summary can report each workload and error kind apart.
 */
export function subMetricRegistrations(workloads: string[]): Record<string, ThresholdEntry[]> {
  const keys: Record<string, ThresholdEntry[]> = {};
  for (const workload of workloads) {
    for (const metric of [...TREND_METRICS, ...COUNT_METRICS]) keys[`${metric}{workload:${workload}}`] = [];
    for (const kind of ERROR_KINDS) keys[`llm_errors{workload:${workload},error:${kind}}`] = [];
    keys[`llm_output_tokens{workload:${workload},tokens:estimated}`] = [];
  }
  return keys;
}
