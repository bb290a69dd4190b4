// The merged run as k6's end-of-test data, so the one report builder
// (src/summary/build.ts) and its renderers make the merged summary. Figures
// the meter's records hold are exact over every instance's samples
// (WorkloadFigures); what only k6 measured (its timer lag, the schedule lag,
// dropped arrivals, the run's length) is combined from the instances'
// summaries, conservatively: sums of counts, max of maxes, and for a
// percentile the largest of the instances' percentiles. Thresholds are judged
// here on the merged figures, as k6 would. Pure.

import { availabilityReport } from '../measure/availability.ts';
import { subMetricKey, workloadKey } from '../measure/metric-key.ts';
import type { Percentiles, K6Metric, K6SummaryData } from '../k6-summary-data.ts';
import type { WorkloadRunInfo } from '../run-info.ts';
import { buildReport } from '../summary/build.ts';
import type { LlmReport, MergeSection, ThresholdResult, WorkloadReport } from '../summary/schema.ts';
import { compare, expressionOf, parseExpression, percentileOf, valueOf } from '../thresholds/expression.ts';
import { metricType } from '../thresholds/metric-catalog.ts';
import { percentilesUsed, workloadThresholds, type ThresholdSpec } from '../thresholds/threshold-file.ts';
import type { Samples } from './samples.ts';
import type { WorkloadFigures } from './workload-figures.ts';

/** Figures that come exactly from the meter's records, over all instances' samples. */
export const EXACT_FIGURES = [
  'llm_ttft',
  'llm_ttfo',
  'llm_itl',
  'llm_tpot',
  'llm_e2e',
  'llm_output_tokens_per_second',
  'llm_requests',
  'llm_errors',
  'llm_request_success',
  'llm_slo_attained',
  'llm_output_tokens',
  'llm_reasoning_tokens',
  'llm_answer_tokens',
  'llm_prompt_tokens',
  'llm_cached_prompt_tokens',
  'llm_cache_write_tokens',
  'llm_prompt_cache_hit',
  'llm_images',
  'llm_image_bytes',
  'llm_image_pixels',
  'llm_embedding_inputs',
  'llm_connection_resends',
  'llm_timing_flagged',
  'llm_timing_bound',
  'llm_ttft_spread',
  'llm_availability_worst_window',
  'llm_generator_read_lag',
  'llm_generator_send_lag',
  'error causes',
] as const;

/** Figures only k6 measured, combined from the instances' summaries. */
export const COMBINED_FIGURES = [
  'run duration: the longest instance',
  'llm_generator_lag, llm_schedule_lag: count and min/max exact, each percentile the largest instance percentile (an upper estimate), mean weighted by count',
  'llm_dropped_arrivals, dropped_iterations: sums',
  'llm_batch_job_ms: the longest instance',
  'arrivals scheduled: the largest instance figure (each instance plans the whole schedule); batch job size: the sum of the instances\' shares',
  'availability windows: each instance counts from its own test start',
  'thresholds on any other metric or tag: the worst instance value, failing when any instance failed',
] as const;

/** One instance of the merge: its name (folder) and its llm-summary.json (null when k6 wrote none). */
export interface MergeInstance {
  name: string;
  report: LlmReport | null;
}

/** Everything the merged report is made from. */
export interface MergeInputs {
  instances: MergeInstance[];
  /** Merged per-workload figures, by workload. */
  figures: Map<string, WorkloadFigures>;
  readLag: Samples;
  sendLag: Samples;
  /** The SLO each workload is judged on (null: none). */
  specs: Map<string, ThresholdSpec | null>;
  /** Redacts secrets from error causes. */
  redact?: (text: string) => string;
  /** Requests k6 abandoned at the end of the test, counted as interrupted (MergeSection.cutAtEnd). */
  cutAtEnd?: number;
}

/** The merged report, and whether a threshold failed (exit 99). */
export function mergedReport(inputs: MergeInputs): { report: LlmReport & { merge: MergeSection }; failed: boolean } {
  const reports = inputs.instances.map((i) => i.report).filter((r): r is LlmReport => r !== null);
  const first = reports[0];
  const durationMs = maxOf(reports.map((r) => r.testRunDurationMs));
  const metrics: Record<string, K6Metric | undefined> = {};
  const seconds = durationMs ? durationMs / 1000 : null;
  const put = (key: string, metric: K6Metric | null): void => {
    if (metric) metrics[key] = metric;
  };
  const counter = (n: number): K6Metric => counterMetric(n, seconds);
  const infos: WorkloadRunInfo[] = [];
  for (const [workload, f] of inputs.figures) {
    const spec = inputs.specs.get(workload) ?? null;
    const more = spec ? percentilesUsed(spec).map((p) => percentileOf(p) as number) : [];
    const key = (name: string, tags: Record<string, string> = {}): string => workloadKey(name, workload, tags);
    putFigureMetrics(put, key, f, more, seconds);
    const own = reports.map((r) => r.workloads[workload]).filter((w): w is WorkloadReport => w !== undefined);
    const info: WorkloadRunInfo = { workload, spec, settings: own[0]?.settings ?? {}, causes: f.causesByCount().map((c) => ({ cause: inputs.redact ? inputs.redact(c.cause) : c.cause, count: c.count })) };
    const arrivals = own.map((w) => w.arrivals).filter((a) => a !== null && a !== undefined);
    if (arrivals.length > 0) {
      const a = arrivals[0] as NonNullable<WorkloadReport['arrivals']>;
      info.arrivals = { pattern: a.pattern, ratePerSec: a.ratePerSec, scheduled: maxOf(arrivals.map((x) => x.scheduled)) ?? 0, maxLagMs: a.maxLagMs ?? Infinity };
      put(key('llm_schedule_lag'), combinedTrend(arrivals.map((x) => x.lagMs)));
      put(key('llm_dropped_arrivals'), counter(sum(arrivals.map((x) => x.droppedLate))));
    }
    const embeddings = own.map((w) => w.embeddings).find((e) => e !== null && e !== undefined);
    if (embeddings) info.embeddings = { inputsPerRequest: embeddings.inputsPerRequest };
    const batches = own.map((w) => w.batch).filter((b) => b !== null && b !== undefined);
    if (batches.length > 0) {
      // Each instance reports its share of the job's items as its job (src/k6/drivers/batch.ts): the job is their sum.
      info.batch = { jobSize: sum(batches.map((b) => b.jobSize)) };
      const jobMs = maxOf(batches.map((b) => b.jobMs));
      if (jobMs !== null) put(key('llm_batch_job_ms'), gauge(jobMs));
    }
    const unstarted = sum(arrivals.map((x) => x.droppedUnstarted)) + sum(batches.map((b) => b.notStarted));
    if (unstarted > 0) put(subMetricKey('dropped_iterations', { scenario: workload }), counter(unstarted));
    const windowMs = own.map((w) => w.availability?.windowMs).find((ms) => ms !== undefined);
    if (windowMs !== undefined) {
      info.windowMs = windowMs;
      info.outcomes = f.outcomes;
      const worst = availabilityReport(f.outcomes, windowMs).worstWindow;
      if (worst?.availability != null) put(key('llm_availability_worst_window'), gauge(worst.availability));
    }
    infos.push(info);
  }
  put('llm_generator_read_lag', trendMetric(inputs.readLag, []));
  put('llm_generator_send_lag', trendMetric(inputs.sendLag, []));
  put('llm_generator_lag', combinedTrend(reports.map((r) => r.generator.lagMs)));
  const failed = judge(metrics, inputs, reports);
  const data: K6SummaryData = { metrics, state: durationMs === null ? {} : { testRunDurationMs: durationMs } };
  const run = { ...(first?.run ?? {}), instances: inputs.instances.length };
  const report = buildReport(data, infos, run, first?.generator.warnAboveMs ?? 20, 25, first?.generator.timingFlagMs ?? 1);
  const merged = [...report.warnings];
  for (const i of inputs.instances) {
    if (i.report === null) report.warnings.push(`instance ${i.name}: no llm-summary.json (k6 did not finish): its requests are merged, its k6-only figures (run length, schedule and timer lag) are missing`);
    // An instance's own warning only where the merged figures do not say the same (same opening words).
    for (const w of i.report?.warnings ?? []) if (!merged.some((m) => m.slice(0, 30) === w.slice(0, 30))) report.warnings.push(`instance ${i.name}: ${w}`);
  }
  const merge: MergeSection = { instances: inputs.instances.map((i) => i.name), exact: EXACT_FIGURES, combined: COMBINED_FIGURES, cutAtEnd: inputs.cutAtEnd ?? 0 };
  return { report: { ...report, merge }, failed };
}

/** A sub-metric key of one workload (or ramp level): metric name and extra tags → key. */
export type MetricKeyOf = (name: string, tags?: Record<string, string>) => string;

/**
 * Puts one set of merged figures as the k6 metrics createRecorder emits
 * (requests, errors by kind, success and SLO rates, the trends with the
 * percentiles `more` adds, token counters with their reported/estimated
 * parts, the TTFT spread), each under `key(name, tags)`. Counter rates are
 * per second of `seconds` (the run's length).
 */
export function putFigureMetrics(put: (key: string, metric: K6Metric | null) => void, key: MetricKeyOf, f: WorkloadFigures, more: readonly number[], seconds: number | null): void {
  const counter = (n: number): K6Metric => counterMetric(n, seconds);
  const rate = (r: { passes: number; fails: number }): K6Metric | null =>
    r.passes + r.fails === 0 ? null : { type: 'rate', values: { rate: r.passes / (r.passes + r.fails), passes: r.passes, fails: r.fails } };
  const trend = (samples: Samples): K6Metric | null => trendMetric(samples, more);
  /** A token counter as k6 keeps it: the total, and its `tokens:reported` / `tokens:estimated` parts. */
  const putTokens = (name: string, reported: number, estimated: number): void => {
    if (reported + estimated > 0) put(key(name), counter(reported + estimated));
    if (estimated > 0) put(key(name, { tokens: 'estimated' }), counter(estimated));
    if (reported > 0) put(key(name, { tokens: 'reported' }), counter(reported));
  };
  put(key('llm_requests'), counter(f.requests));
  for (const [kind, n] of f.errors) put(key('llm_errors', { error: kind }), counter(n));
  const errors = [...f.errors.values()].reduce((a, b) => a + b, 0);
  if (errors > 0) put(key('llm_errors'), counter(errors));
  put(key('llm_request_success'), rate(f.success));
  if (f.timingFlagged.passes + f.timingFlagged.fails > 0) put(key('llm_timing_flagged'), rate(f.timingFlagged));
  put(key('llm_timing_bound'), trend(f.timingBound));
  put(key('llm_slo_attained'), rate(f.sloAttained));
  put(key('llm_ttft'), trend(f.ttft));
  put(key('llm_ttft', { cache: 'hit' }), trend(f.ttftCacheHit));
  put(key('llm_ttft', { cache: 'miss' }), trend(f.ttftCacheMiss));
  put(key('llm_ttfo'), trend(f.ttfo));
  put(key('llm_itl'), trend(f.itl));
  put(key('llm_tpot'), trend(f.tpot));
  put(key('llm_e2e'), trend(f.e2e));
  put(key('llm_output_tokens_per_second'), trend(f.tokensPerSecond));
  putTokens('llm_output_tokens', f.outputTokensReported, f.outputTokensEstimated);
  putTokens('llm_reasoning_tokens', f.reasoningTokensReported, f.reasoningTokensEstimated);
  putTokens('llm_answer_tokens', f.answerTokensReported, f.answerTokensEstimated);
  if (f.promptTokens > 0) put(key('llm_prompt_tokens'), counter(f.promptTokens));
  if (f.cachedPromptTokens > 0) put(key('llm_cached_prompt_tokens'), counter(f.cachedPromptTokens));
  if (f.cacheWriteTokens > 0) put(key('llm_cache_write_tokens'), counter(f.cacheWriteTokens));
  put(key('llm_prompt_cache_hit'), rate(f.cacheHit));
  if (f.images > 0) put(key('llm_images'), counter(f.images));
  put(key('llm_image_bytes'), trend(f.imageBytes));
  put(key('llm_image_pixels'), trend(f.imagePixels));
  if (f.embeddingInputs > 0) put(key('llm_embedding_inputs'), counter(f.embeddingInputs));
  if (f.connectionResends > 0) put(key('llm_connection_resends'), counter(f.connectionResends));
  if (f.ttft.count > 0) {
    const p50 = f.ttft.quantile(0.5);
    if (p50 > 0) put(key('llm_ttft_spread'), gauge(f.ttft.quantile(0.99) / p50));
  }
}

/** A k6 Trend of the samples with the percentiles `more` adds; null without samples. */
function trendMetric(samples: Samples, more: readonly number[]): K6Metric | null {
  const values = samples.trendValues(more);
  return values ? { type: 'trend', values } : null;
}

/** A k6 Counter's values: its count and its rate per second of `seconds`. */
export function counterMetric(n: number, seconds: number | null): K6Metric {
  return { type: 'counter', values: { count: n, rate: seconds ? n / seconds : 0 } };
}

export function gauge(value: number): K6Metric {
  return { type: 'gauge', values: { value, min: value, max: value } };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function maxOf(values: readonly (number | null | undefined)[]): number | null {
  let max: number | null = null;
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v) && (max === null || v > max)) max = v;
  return max;
}

/**
 * A Trend only k6 measured, over several instances: count summed, min and
 * max exact, mean weighted by count, each percentile the largest of the
 * instances' (the union's percentile lies between the smallest and the
 * largest of them). Null without samples.
 */
export function combinedTrend(list: readonly (Percentiles | null | undefined)[]): K6Metric | null {
  const parts = list.filter((p): p is Percentiles => p !== null && p !== undefined && p.count > 0);
  if (parts.length === 0) return null;
  const count = sum(parts.map((p) => p.count));
  const most = (f: (p: Percentiles) => number): number => Math.max(...parts.map(f));
  return {
    type: 'trend',
    values: {
      count,
      avg: sum(parts.map((p) => p.avg * p.count)) / count,
      min: Math.min(...parts.map((p) => p.min)),
      med: most((p) => p.p50),
      'p(90)': most((p) => p.p90),
      'p(95)': most((p) => p.p95),
      'p(99)': most((p) => p.p99),
      max: most((p) => p.max),
    },
  };
}

/** Whether a threshold key is one the records give exactly: an exact figure of a workload, no other tag but error/tokens/cache. */
function exactKey(key: string, workloads: Iterable<string>): boolean {
  const brace = key.indexOf('{');
  const name = brace < 0 ? key : key.slice(0, brace);
  if (!(EXACT_FIGURES as readonly string[]).includes(name)) return false;
  const tags = brace < 0 ? [] : key.slice(brace + 1, -1).split(',');
  const workload = tags[0]?.startsWith('workload:') ? tags[0].slice('workload:'.length) : null;
  return workload !== null && [...workloads].includes(workload) && tags.slice(1).every((t) => t.startsWith('error:') || t.startsWith('tokens:') || t.startsWith('cache:'));
}

/** The bounds k6 applies where no sample came: a metric of the right type with nothing in it (the report says "no data"). */
function emptyMetric(key: string): K6Metric {
  const brace = key.indexOf('{');
  const type = metricType(brace < 0 ? key : key.slice(0, brace)) ?? 'trend';
  const values: Record<string, number> = type === 'rate' ? { rate: 0, passes: 0, fails: 0 } : type === 'gauge' ? { value: 0 } : type === 'counter' ? { count: 0, rate: 0 } : { count: 0 };
  return { type, values };
}

/**
 * Judges every workload's SLO on the merged metrics (writing k6's
 * `thresholds` verdicts into them) and returns whether one failed. A bound
 * on no samples passes, as in k6; a bound the records cannot give is the
 * worst instance's value and fails when any instance failed it.
 */
function judge(metrics: Record<string, K6Metric | undefined>, inputs: MergeInputs, reports: readonly LlmReport[]): boolean {
  let failed = false;
  for (const [workload, spec] of inputs.specs) {
    if (!spec) continue;
    for (const [key, entries] of Object.entries(workloadThresholds(spec, workload))) {
      for (const entry of entries) {
        const expression = expressionOf(entry);
        const parsed = parseExpression(expression);
        if (!parsed) continue;
        let ok: boolean;
        if (exactKey(key, inputs.figures.keys())) {
          // Only metrics with samples are put: a missing one held no sample.
          const empty = metrics[key] === undefined;
          const metric = (metrics[key] ??= emptyMetric(key));
          const measured = valueOf(metric.values, parsed.aggregation);
          ok = empty || measured === null ? true : compare(measured, parsed.operator, parsed.bound);
        } else {
          const seen = reports.flatMap((r) => r.thresholds.filter((t) => t.metric === key && t.expression === expression)) as ThresholdResult[];
          const measured = seen.map((t) => t.measured).filter((m): m is number => m !== null);
          const worst = measured.length === 0 ? null : parsed.operator.startsWith('>') ? Math.min(...measured) : Math.max(...measured);
          ok = seen.every((t) => t.ok) && (worst === null || compare(worst, parsed.operator, parsed.bound));
          // Judged by the instances: how many samples it had is theirs to say (none in the values).
          const metric = (metrics[key] ??= worst === null ? emptyMetric(key) : { type: emptyMetric(key).type, values: {} });
          if (worst !== null) metric.values[parsed.aggregation] = worst;
        }
        const metric = metrics[key] as K6Metric;
        metric.thresholds = { ...metric.thresholds, [expression]: { ok } };
        if (!ok) failed = true;
      }
    }
  }
  return failed;
}
