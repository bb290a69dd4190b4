// Builds the LLM report from k6's end-of-test data: per-workload latency
// percentiles, token totals and rates, success and errors, the schedule and
// batch figures, the generator self-check and threshold results. Pure:
// handleSummary passes k6's data in.

import { availabilityReport } from '../measure/availability.ts';
import { subMetricKey, workloadKey } from '../measure/metric-key.ts';
import { ERROR_KINDS } from '../measure/request-record.ts';
import type { WorkloadRunInfo } from '../run-info.ts';
import { parseExpression, valueOf } from '../thresholds/expression.ts';
import { coldStartReport } from './coldstart-report.ts';
import { promptCacheWarning, promptLostWarning } from './prompt-warnings.ts';
import { round } from './format.ts';
import { percentiles, type K6Metric, type K6SummaryData, type Percentiles } from '../k6-summary-data.ts';
import type { ArrivalsReport, BatchReport, EmbeddingsReport, ImagesReport, LlmReport, PromptCacheReport, ThresholdResult, WorkloadReport } from './schema.ts';

/** Builds the report from k6's data for the named workloads. */
export function buildReport(
  data: K6SummaryData,
  workloads: WorkloadRunInfo[],
  run: Record<string, string | number | null>,
  lagWarnMs: number,
  scheduleLagWarnMs = 25,
  timingFlagMs = 1,
): LlmReport {
  const durationMs = data.state?.testRunDurationMs ?? null;
  const report: LlmReport = {
    tool: 'k6-llm',
    workloads: {},
    generator: {
      lagMs: percentiles(data.metrics.llm_generator_lag),
      readLagMs: percentiles(data.metrics.llm_generator_read_lag),
      sendLagMs: percentiles(data.metrics.llm_generator_send_lag),
      kernelStamps: percentiles(data.metrics.llm_generator_read_lag) !== null,
      warnAboveMs: lagWarnMs,
      timingFlagMs,
      warning: null,
    },
    thresholds: thresholdResults(data),
    run,
    testRunDurationMs: durationMs,
    warnings: [],
  };
  for (const info of workloads) {
    const { workload, spec } = info;
    const w = workloadReport(data, workload, durationMs);
    w.thresholdsSource = spec?.source ?? null;
    w.settings = info.settings ?? {};
    w.errorCauses = (info.causes ?? []).slice(0, 3);
    w.errorCause = causeLine(w.errorCauses, w.requests);
    if (info.arrivals) {
      w.arrivals = arrivalsReport(data, workload, info.arrivals);
      const warning = scheduleWarning(workload, w.arrivals, scheduleLagWarnMs);
      if (warning) report.warnings.push(warning);
    }
    if (info.batch) {
      w.batch = batchReport(data, workload, info.batch.jobSize, w.outputTokens);
      if (!w.batch.complete) {
        report.warnings.push(
          `${workload}: the job did not finish: ${w.batch.finished} of ${w.batch.jobSize} requests done, ${w.batch.notStarted} never started (raise LLM_DURATION or LLM_VUS)`,
        );
      }
    }
    if (info.embeddings) w.embeddings = embeddingsReport(w, info.embeddings.inputsPerRequest, data, workload);
    if (info.windowMs !== undefined) {
      if (info.outcomes) w.availability = availabilityReport(info.outcomes, info.windowMs);
      else report.warnings.push(`${workload}: availability per window needs the stream meter (LLM_METER_URL); only the overall success rate is reported`);
    }
    if (info.probes !== undefined) {
      w.coldStart = coldStartReport(data, workload, info.probes);
      // Cold and warm TTFTs mixed on purpose: their spread is the cold start, reported above, not instability.
      w.ttftSpread = null;
    }
    if (spec?.ttftSpreadMax != null) {
      w.stability = { ttftSpreadMax: spec.ttftSpreadMax, ttftSpread: w.ttftSpread, ok: w.ttftSpread === null || w.ttftSpread <= spec.ttftSpreadMax };
      if (!w.stability.ok) {
        report.warnings.push(`${workload}: TTFT p99/p50 is ${w.ttftSpread?.toFixed(2)}, above the bound of ${spec.ttftSpreadMax}`);
      }
    }
    report.workloads[workload] = w;
  }
  if (data.missing) report.warnings.push(data.missing);
  report.generator.warning = generatorWarning(report.generator);
  if (report.generator.warning) report.warnings.push(report.generator.warning);
  for (const [name, w] of Object.entries(report.workloads)) {
    const timing = timingWarning(name, w, timingFlagMs);
    if (timing) report.warnings.push(timing);
    for (const warning of promptWarnings(data, name, w.promptTokens)) report.warnings.push(warning);
    if (w.outputTokensEstimated > 0) {
      report.warnings.push(
        `${name}: ${w.outputTokensEstimated} output tokens were counted from stream chunks because the server sent no usage; token figures are estimates`,
      );
    }
  }
  return report;
}

/** The prompt warnings of a workload (src/summary/prompt-warnings.ts), from llm_prompt_repeated and llm_prompt_chars. */
function promptWarnings(data: K6SummaryData, workload: string, promptTokens: number): string[] {
  const repeated = data.metrics[workloadKey('llm_prompt_repeated', workload)]?.values;
  const cache = promptCacheWarning(workload, { repeated: repeated?.passes ?? 0, requests: (repeated?.passes ?? 0) + (repeated?.fails ?? 0) });
  const lost = promptLostWarning(workload, { promptTokens, promptChars: count(data.metrics[workloadKey('llm_prompt_chars', workload)]) });
  return [cache, lost].filter((w): w is string => w !== null);
}

/** The line about the requests whose TTFT or E2E the meter cannot vouch for; null when there were none. */
export function timingWarning(workload: string, w: WorkloadReport, flagMs: number): string | null {
  const t = w.timing;
  if (!t || t.flagged === 0) return null;
  const b = t.boundMs;
  const bounds = b ? `by up to ${round(b.p50)} ms at p50, ${round(b.p99)} ms at p99, ${round(b.max)} ms at most` : 'by an unknown amount';
  return (
    `${workload}: ${t.flagged} of ${t.measured} requests have a TTFT or E2E the meter cannot vouch for to within ${flagMs} ms (LLM_TIMING_FLAG_MS): ` +
    `their first or last token waited unread behind a busy generator and shares a later read's receive time, so it may read late ${bounds}; ` +
    'they are counted in every figure: use fewer VUs per core or a second k6 instance'
  );
}

/** The self-check's verdict: null when the generator kept up. */
export function generatorWarning(g: LlmReport['generator']): string | null {
  if (g.kernelStamps) {
    // A p99 k6 did not report (its summaryTrendStats lacked p(99)) warns of nothing: NaN is not above the bound.
    const late = Math.max(finiteOr0(g.readLagMs?.p99), finiteOr0(g.sendLagMs?.p99));
    if (late <= g.warnAboveMs) return null;
    return (
      `the load generator was short of CPU: it wrote requests up to ${round(g.sendLagMs?.p99 ?? 0)} ms after its VUs asked ` +
      `and read responses up to ${round(g.readLagMs?.p99 ?? 0)} ms after they arrived (p99 per request). Latencies count ` +
      "from the actual write to the kernel's receive times, which removes most of that delay, but events that queued " +
      'up unread share the receive time of the last of them: a request whose TTFT or E2E that moved is flagged with its bound ' +
      '(the timing line), and ITL gaps around such events may be off by up to the read lag; ' +
      'the offered load was also lower than configured: use fewer VUs per core or a second k6 instance'
    );
  }
  const lag = g.lagMs;
  if (lag && finiteOr0(lag.p99) > g.warnAboveMs) {
    return (
      `the load generator was late by up to ${round(lag.p99)} ms (p99 of its 10 ms timer); ` +
      'latencies may read high by about that much: use fewer VUs per core or a second k6 instance'
    );
  }
  return null;
}

function finiteOr0(n: number | undefined): number {
  return n !== undefined && Number.isFinite(n) ? n : 0;
}

/** The top causes in one line, each with its share of the requests: `401 Unauthorized: "…" (13 of 13 requests)`. */
export function causeLine(causes: { cause: string; count: number }[], requests: number): string | null {
  if (causes.length === 0) return null;
  return causes.map((c) => `${c.cause} (${c.count} of ${requests} requests)`).join('; ');
}

/** A counter's count (0 when k6 has no samples of it). */
function count(metric: K6Metric | undefined): number {
  return metric?.values.count ?? 0;
}

/** k6 tags the iterations it could not start with the scenario only. */
function droppedKey(scenario: string): string {
  return subMetricKey('dropped_iterations', { scenario });
}

function workloadReport(data: K6SummaryData, workload: string, durationMs: number | null): WorkloadReport {
  const m = (name: string): K6Metric | undefined => data.metrics[workloadKey(name, workload)];
  const estimated = (name: string): number => data.metrics[workloadKey(name, workload, { tokens: 'estimated' })]?.values.count ?? 0;
  const errors: Record<string, number> = {};
  let interrupted = 0;
  for (const kind of ERROR_KINDS) {
    const n = data.metrics[workloadKey('llm_errors', workload, { error: kind })]?.values.count ?? 0;
    if (kind === 'interrupted') interrupted = n;
    else if (n > 0) errors[kind] = n;
  }
  const ttft = percentiles(m('llm_ttft'));
  const outputTokens = count(m('llm_output_tokens'));
  const requests = count(m('llm_requests'));
  const seconds = durationMs ? durationMs / 1000 : null;
  return {
    requests,
    interrupted,
    connectionResends: count(m('llm_connection_resends')),
    timing: timingReport(m('llm_timing_flagged'), m('llm_timing_bound')),
    successRate: m('llm_request_success')?.values.rate ?? null,
    errors,
    errorCauses: [],
    errorCause: null,
    ttftMs: ttft,
    ttfoMs: percentiles(m('llm_ttfo')),
    itlMs: percentiles(m('llm_itl')),
    tpotMs: percentiles(m('llm_tpot')),
    e2eMs: percentiles(m('llm_e2e')),
    outputTokensPerSecondPerRequest: percentiles(m('llm_output_tokens_per_second')),
    ttftSpread: ttftSpread(ttft, m('llm_ttft_spread')),
    outputTokens,
    outputTokensEstimated: estimated('llm_output_tokens'),
    reasoningTokens: count(m('llm_reasoning_tokens')),
    reasoningTokensEstimated: estimated('llm_reasoning_tokens'),
    answerTokens: count(m('llm_answer_tokens')),
    answerTokensEstimated: estimated('llm_answer_tokens'),
    promptTokens: count(m('llm_prompt_tokens')),
    promptCache: promptCacheReport(data, workload),
    images: imagesReport(data, workload),
    aggregateOutputTokensPerSecond: seconds ? outputTokens / seconds : null,
    requestsPerSecond: seconds ? requests / seconds : null,
    sloAttainedRate: m('llm_slo_attained')?.values.rate ?? null,
    goodputPerSecond: seconds && m('llm_slo_attained') ? (m('llm_slo_attained')?.values.passes ?? 0) / seconds : null,
    thresholdsSource: null,
    stability: null,
    availability: null,
    coldStart: null,
    settings: {},
    arrivals: null,
    batch: null,
  };
}

/** The prompt cache's figures from llm_prompt_cache_hit and its neighbours; null when no request reported the cache. */
function promptCacheReport(data: K6SummaryData, workload: string): PromptCacheReport | null {
  const m = (name: string, tags = {}): K6Metric | undefined => data.metrics[workloadKey(name, workload, tags)];
  const hit = m('llm_prompt_cache_hit')?.values;
  const hits = hit?.passes ?? 0;
  const reported = hits + (hit?.fails ?? 0);
  if (reported === 0) return null;
  const cachedTokens = count(m('llm_cached_prompt_tokens'));
  const promptTokens = count(m('llm_prompt_tokens'));
  return {
    reported,
    hits,
    hitRatio: hits / reported,
    cachedTokens,
    cachedTokenShare: promptTokens > 0 ? cachedTokens / promptTokens : null,
    writeTokens: count(m('llm_cache_write_tokens')),
    ttftHitMs: percentiles(m('llm_ttft', { cache: 'hit' })),
    ttftMissMs: percentiles(m('llm_ttft', { cache: 'miss' })),
  };
}

/** The images sent, from llm_images and the size trends; null when none was. */
function imagesReport(data: K6SummaryData, workload: string): ImagesReport | null {
  const m = (name: string): K6Metric | undefined => data.metrics[workloadKey(name, workload)];
  const images = count(m('llm_images'));
  if (images === 0) return null;
  return { count: images, bytes: percentiles(m('llm_image_bytes')), pixels: percentiles(m('llm_image_pixels')) };
}

/** TTFT p99/p50; without a p99 (k6's machine-readable summary), the spread the script measured itself at teardown. */
function ttftSpread(ttft: Percentiles | null, gauge: K6Metric | undefined): number | null {
  if (!ttft) return null;
  if (!Number.isFinite(ttft.p99)) return gauge?.values.value ?? null;
  return ttft.p50 > 0 ? ttft.p99 / ttft.p50 : null;
}

/** Flagged requests and their bounds; null when no request had kernel stamps (the figure was not measured). */
function timingReport(flagged: K6Metric | undefined, bound: K6Metric | undefined): WorkloadReport['timing'] {
  const passes = flagged?.values.passes;
  const fails = flagged?.values.fails;
  if (passes === undefined || fails === undefined) return null;
  return { flagged: passes, measured: passes + fails, boundMs: percentiles(bound) };
}

function arrivalsReport(data: K6SummaryData, workload: string, info: NonNullable<WorkloadRunInfo['arrivals']>): ArrivalsReport {
  const lag = percentiles(data.metrics[workloadKey('llm_schedule_lag', workload)]);
  return {
    pattern: info.pattern,
    ratePerSec: info.ratePerSec,
    scheduled: info.scheduled,
    sent: lag?.count ?? 0,
    droppedLate: data.metrics[workloadKey('llm_dropped_arrivals', workload)]?.values.count ?? 0,
    droppedUnstarted: count(data.metrics[droppedKey(workload)]),
    lagMs: lag,
    maxLagMs: Number.isFinite(info.maxLagMs) ? info.maxLagMs : null,
  };
}

/** The warning for a schedule that was not kept, or null. */
export function scheduleWarning(workload: string, a: ArrivalsReport, lagWarnMs: number): string | null {
  const dropped = a.droppedLate + a.droppedUnstarted;
  const late = a.lagMs !== null && a.lagMs.p99 > lagWarnMs;
  if (dropped === 0 && !late) return null;
  const parts: string[] = [];
  if (late && a.lagMs) parts.push(`sends were late by up to ${round(a.lagMs.p99)} ms (p99; max ${round(a.lagMs.max)} ms)`);
  if (dropped > 0) {
    parts.push(`${dropped} of ${a.scheduled} arrivals were not sent (${a.droppedLate} later than LLM_MAX_LAG, ${a.droppedUnstarted} never started)`);
  }
  return `${workload}: the arrival schedule was not kept: ${parts.join('; ')}; too few VUs for the rate: raise LLM_VUS. Latencies below exclude that queueing`;
}

function batchReport(data: K6SummaryData, workload: string, jobSize: number, outputTokens: number): BatchReport {
  const job = data.metrics[workloadKey('llm_batch_job_ms', workload)];
  const jobMs = job && job.values.max !== undefined ? job.values.max : null;
  const finished = count(data.metrics[workloadKey('llm_requests', workload)]);
  const notStarted = count(data.metrics[droppedKey(workload)]);
  return {
    jobSize,
    finished,
    notStarted,
    jobMs,
    outputTokensPerSecond: jobMs ? outputTokens / (jobMs / 1000) : null,
    complete: finished >= jobSize && notStarted === 0,
  };
}

/** TTFT, ITL and TPOT are not measured for embeddings: the summary says why instead of showing them empty. */
export const EMBEDDINGS_NOT_APPLICABLE = 'not applicable (embeddings)';

/** Inputs and input tokens of an embeddings job, per second of its job time (the batch report's jobMs). */
function embeddingsReport(w: WorkloadReport, inputsPerRequest: number, data: K6SummaryData, workload: string): EmbeddingsReport {
  const inputs = count(data.metrics[workloadKey('llm_embedding_inputs', workload)]);
  const overMs = w.batch?.jobMs ?? null;
  const seconds = overMs ? overMs / 1000 : null;
  return {
    inputsPerRequest,
    inputs,
    inputTokens: w.promptTokens,
    overMs,
    inputsPerSecond: seconds ? inputs / seconds : null,
    inputTokensPerSecond: seconds ? w.promptTokens / seconds : null,
    notApplicable: `TTFT, ITL and TPOT: ${EMBEDDINGS_NOT_APPLICABLE}; embeddings are not streamed and generate no tokens`,
  };
}

/** Gauges emitted once at teardown from another metric's samples: no samples there, no data here. */
const GAUGE_SOURCES: Record<string, string> = { llm_ttft_spread: 'llm_ttft', llm_availability_worst_window: 'llm_requests' };

/** How many samples a threshold was judged on; null when k6's data cannot say (a counter's 0 is a measured 0). */
export function thresholdSamples(data: K6SummaryData, key: string): number | null {
  const metric = data.metrics[key];
  if (!metric) return 0;
  const v = metric.values;
  if (metric.type === 'trend') return v.count ?? null;
  if (metric.type === 'rate') return (v.passes ?? 0) + (v.fails ?? 0);
  if (metric.type === 'gauge') {
    const brace = key.indexOf('{');
    const name = brace < 0 ? key : key.slice(0, brace);
    const source = GAUGE_SOURCES[name];
    if (!source) return null;
    return data.metrics[source + (brace < 0 ? '' : key.slice(brace))]?.values.count ?? 0;
  }
  return null;
}

function thresholdResults(data: K6SummaryData): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const [metric, value] of Object.entries(data.metrics)) {
    for (const [expression, result] of Object.entries(value?.thresholds ?? {})) {
      const parsed = parseExpression(expression);
      const samples = thresholdSamples(data, metric);
      const measured = parsed && value && samples !== 0 ? valueOf(value.values, parsed.aggregation) : null;
      // A bound judged on no samples held nothing: k6 passes it, the report says "no data".
      const verdict = samples === 0 ? 'no data' : result.ok ? 'ok' : 'fail';
      results.push({ metric, expression, ok: result.ok, verdict, samples, aggregation: parsed?.aggregation ?? expression, measured });
    }
  }
  // k6's data is a map: sort fully so every run lists its thresholds in the same order.
  return results.sort((a, b) => a.metric.localeCompare(b.metric) || a.expression.localeCompare(b.expression));
}
