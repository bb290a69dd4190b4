// Turns k6's end-of-test data into the LLM report: per-workload latency
// percentiles, token totals and rates, success and errors, the generator
// self-check and threshold results. Pure: handleSummary passes k6's data in.

import { ERROR_KINDS } from '../measure/request-record.ts';
import type { ThresholdSpec } from '../thresholds/threshold-file.ts';
import { availabilityReport, type AvailabilityReport, type Outcome } from './availability.ts';
import { coldStartReport, type ColdStartReport } from './coldstart-report.ts';

/** The part of k6's handleSummary data this module reads. */
export interface K6SummaryData {
  metrics: Record<string, K6Metric | undefined>;
  state?: { testRunDurationMs?: number };
}

/** One metric in k6's summary data. */
export interface K6Metric {
  type: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** Percentiles of one time (or rate) metric. */
export interface Percentiles {
  count: number;
  avg: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/** What a workload's driver tells the report beyond k6's metrics. */
export interface WorkloadRunInfo {
  workload: string;
  spec: ThresholdSpec | null;
  /** The workload's resolved settings (no secrets). */
  settings?: Record<string, string | number>;
  /** Scheduled (open-model) workloads. */
  arrivals?: { pattern: string; ratePerSec: number | null; scheduled: number; maxLagMs: number };
  /** The batch job. */
  batch?: { jobSize: number };
  /** Request outcomes for the availability timeline (null: not recorded, e.g. without the stream meter). */
  outcomes?: Outcome[] | null;
  /** Reporting window of the availability timeline (ms). */
  windowMs?: number;
  /** Number of cold probes, for the cold-start section. */
  probes?: number;
}

/** What a scenario tells the report about one of its workloads (the same as WorkloadRunInfo). */
export type WorkloadInput = WorkloadRunInfo;

/** How a scheduled workload kept its schedule. */
export interface ArrivalsReport {
  pattern: string;
  /** Intended mean rate (null for a trace). */
  ratePerSec: number | null;
  /** Arrivals in the schedule (all instances together). */
  scheduled: number;
  /** Arrivals sent. */
  sent: number;
  /** Dropped because no VU could start them within LLM_MAX_LAG. */
  droppedLate: number;
  /** Never started: the load window closed first (k6's dropped_iterations). */
  droppedUnstarted: number;
  /** Actual − intended send time of the arrivals sent. */
  lagMs: Percentiles | null;
  /** Drop threshold (ms); null when arrivals are never dropped. */
  maxLagMs: number | null;
}

/** The batch job's figures. */
export interface BatchReport {
  jobSize: number;
  /** Requests that finished (successfully or not). */
  finished: number;
  /** Items never started: the job ran out of time (k6's dropped_iterations). */
  notStarted: number;
  /** Job start → last request end, ms. */
  jobMs: number | null;
  /** Output tokens / job time. */
  outputTokensPerSecond: number | null;
  /** Whether every item finished. */
  complete: boolean;
}

/** The headline figures of one workload. */
export interface WorkloadReport {
  requests: number;
  /** Requests cut by the end of the test: not counted in the success rate. */
  interrupted: number;
  successRate: number | null;
  errors: Record<string, number>;
  ttftMs: Percentiles | null;
  itlMs: Percentiles | null;
  tpotMs: Percentiles | null;
  e2eMs: Percentiles | null;
  outputTokensPerSecondPerRequest: Percentiles | null;
  /** TTFT p99 / p50: 1 is perfectly stable. */
  ttftSpread: number | null;
  outputTokens: number;
  /** Output tokens counted from chunks because the server sent no usage. */
  outputTokensEstimated: number;
  promptTokens: number;
  /** Output tokens over the whole test run, per second. */
  aggregateOutputTokensPerSecond: number | null;
  requestsPerSecond: number | null;
  /** Share of judged requests that succeeded and met every per-request bound. */
  sloAttainedRate: number | null;
  /** Good requests per second (over the whole test run). */
  goodputPerSecond: number | null;
  /** Where this workload's thresholds came from; null when none applied. */
  thresholdsSource: string | null;
  /** The TTFT p99/p50 bound and whether the run met it (null: no bound). */
  stability: { ttftSpreadMax: number; ttftSpread: number | null; ok: boolean } | null;
  /** Availability per window (availability workload, with the stream meter); null otherwise. */
  availability: AvailabilityReport | null;
  /** Cold versus warm figures (coldstart workload); null otherwise. */
  coldStart: ColdStartReport | null;
  settings: Record<string, string | number>;
  /** Schedule keeping of an open-model workload; null for closed pools. */
  arrivals: ArrivalsReport | null;
  batch: BatchReport | null;
}

/** One threshold and whether it held. */
export interface ThresholdResult {
  /** The metric key as k6 names it, e.g. `llm_ttft{workload:chat}`. */
  metric: string;
  expression: string;
  ok: boolean;
  /** The aggregation the expression tests, e.g. `p(95)`, and its measured value. */
  aggregation: string;
  measured: number | null;
}

/** The whole report, written as JSON and rendered as text. */
export interface LlmReport {
  tool: 'k6-llm';
  workloads: Record<string, WorkloadReport>;
  generator: {
    /** How late a 10 ms timer woke up in a dedicated VU. */
    lagMs: Percentiles | null;
    /** Per request, the longest wait between the kernel receiving data and k6 reading it. */
    readLagMs: Percentiles | null;
    /** Per request, how long after its VU asked it was written to the connection. */
    sendLagMs: Percentiles | null;
    /** Whether event times are the kernel's receive times (then read lag does not distort them). */
    kernelStamps: boolean;
    warnAboveMs: number;
    warning: string | null;
  };
  thresholds: ThresholdResult[];
  run: Record<string, string | number | null>;
  testRunDurationMs: number | null;
  warnings: string[];
}

/** Builds the report from k6's data for the named workloads. */
export function buildReport(
  data: K6SummaryData,
  workloads: WorkloadRunInfo[],
  run: Record<string, string | number | null>,
  lagWarnMs: number,
  scheduleLagWarnMs = 25,
): LlmReport {
  const durationMs = data.state?.testRunDurationMs ?? null;
  const report: LlmReport = {
    tool: 'k6-llm',
    workloads: {},
    generator: {
      lagMs: percentiles(data.metrics.llm_generator_lag),
      readLagMs: percentiles(data.metrics.llm_generator_read_lag),
      sendLagMs: percentiles(data.metrics.llm_generator_send_lag),
      kernelStamps: (data.metrics.llm_generator_read_lag?.values.count ?? 0) > 0,
      warnAboveMs: lagWarnMs,
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
  report.generator.warning = generatorWarning(report.generator);
  if (report.generator.warning) report.warnings.push(report.generator.warning);
  for (const [name, w] of Object.entries(report.workloads)) {
    if (w.outputTokensEstimated > 0) {
      report.warnings.push(
        `${name}: ${w.outputTokensEstimated} output tokens were counted from stream chunks because the server sent no usage; token figures are estimates`,
      );
    }
  }
  return report;
}

/** The self-check's verdict: null when the generator kept up. */
export function generatorWarning(g: LlmReport['generator']): string | null {
  if (g.kernelStamps) {
    const late = Math.max(g.readLagMs?.p99 ?? 0, g.sendLagMs?.p99 ?? 0);
    if (late <= g.warnAboveMs) return null;
    return (
      `the load generator was short of CPU: it wrote requests up to ${round(g.sendLagMs?.p99 ?? 0)} ms after its VUs asked ` +
      `and read responses up to ${round(g.readLagMs?.p99 ?? 0)} ms after they arrived (p99 per request). Latencies count ` +
      "from the actual write to the kernel's receive times, which removes most of that delay, but events that queued " +
      'up unread share the receive time of the last of them, so TTFT and ITL tails may read high by up to the read lag, ' +
      'and the offered load was lower than configured: use fewer VUs per core or a second k6 instance'
    );
  }
  const lag = g.lagMs;
  if (lag && lag.p99 > g.warnAboveMs) {
    return (
      `the load generator was late by up to ${round(lag.p99)} ms (p99 of its 10 ms timer); ` +
      'latencies may read high by about that much: use fewer VUs per core or a second k6 instance'
    );
  }
  return null;
}

function workloadReport(data: K6SummaryData, workload: string, durationMs: number | null): WorkloadReport {
  const m = (name: string): K6Metric | undefined => data.metrics[`${name}{workload:${workload}}`];
  const count = (name: string): number => m(name)?.values.count ?? 0;
  const errors: Record<string, number> = {};
  let interrupted = 0;
  for (const kind of ERROR_KINDS) {
    const n = data.metrics[`llm_errors{workload:${workload},error:${kind}}`]?.values.count ?? 0;
    if (kind === 'interrupted') interrupted = n;
    else if (n > 0) errors[kind] = n;
  }
  const ttft = percentiles(m('llm_ttft'));
  const outputTokens = count('llm_output_tokens');
  const requests = count('llm_requests');
  const seconds = durationMs ? durationMs / 1000 : null;
  return {
    requests,
    interrupted,
    successRate: m('llm_request_success')?.values.rate ?? null,
    errors,
    ttftMs: ttft,
    itlMs: percentiles(m('llm_itl')),
    tpotMs: percentiles(m('llm_tpot')),
    e2eMs: percentiles(m('llm_e2e')),
    outputTokensPerSecondPerRequest: percentiles(m('llm_output_tokens_per_second')),
    ttftSpread: ttft && ttft.p50 > 0 ? ttft.p99 / ttft.p50 : null,
    outputTokens,
    outputTokensEstimated: data.metrics[`llm_output_tokens{workload:${workload},tokens:estimated}`]?.values.count ?? 0,
    promptTokens: count('llm_prompt_tokens'),
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

function arrivalsReport(data: K6SummaryData, workload: string, info: NonNullable<WorkloadRunInfo['arrivals']>): ArrivalsReport {
  const lag = percentiles(data.metrics[`llm_schedule_lag{workload:${workload}}`]);
  return {
    pattern: info.pattern,
    ratePerSec: info.ratePerSec,
    scheduled: info.scheduled,
    sent: lag?.count ?? 0,
    droppedLate: data.metrics[`llm_dropped_arrivals{workload:${workload}}`]?.values.count ?? 0,
    droppedUnstarted: data.metrics[`dropped_iterations{scenario:${workload}}`]?.values.count ?? 0,
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
  const job = data.metrics[`llm_batch_job_ms{workload:${workload}}`];
  const jobMs = job && job.values.max !== undefined ? job.values.max : null;
  const finished = data.metrics[`llm_requests{workload:${workload}}`]?.values.count ?? 0;
  const notStarted = data.metrics[`dropped_iterations{scenario:${workload}}`]?.values.count ?? 0;
  return {
    jobSize,
    finished,
    notStarted,
    jobMs,
    outputTokensPerSecond: jobMs ? outputTokens / (jobMs / 1000) : null,
    complete: finished >= jobSize && notStarted === 0,
  };
}

/** The percentiles of a k6 Trend, or null when it has no samples. */
export function percentiles(metric: K6Metric | undefined): Percentiles | null {
  if (!metric || metric.type !== 'trend') return null;
  const v = metric.values;
  if (!v.count) return null;
  return {
    count: v.count ?? 0,
    avg: v.avg ?? NaN,
    min: v.min ?? NaN,
    p50: v.med ?? NaN,
    p90: v['p(90)'] ?? NaN,
    p95: v['p(95)'] ?? NaN,
    p99: v['p(99)'] ?? NaN,
    max: v.max ?? NaN,
  };
}

function thresholdResults(data: K6SummaryData): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const [metric, value] of Object.entries(data.metrics)) {
    for (const [expression, result] of Object.entries(value?.thresholds ?? {})) {
      const aggregation = aggregationOf(expression);
      const key = aggregation.startsWith('p(') ? `p(${Number(aggregation.slice(2, -1))})` : aggregation;
      const measured = value?.values[key === 'p(50)' ? 'med' : key];
      results.push({ metric, expression, ok: result.ok, aggregation, measured: typeof measured === 'number' ? measured : null });
    }
  }
  return results.sort((a, b) => a.metric.localeCompare(b.metric));
}

/** The aggregation a k6 threshold expression tests (`p(95)`, `rate`, `max`...). */
export function aggregationOf(expression: string): string {
  const m = /^\s*(p\(\s*[\d.]+\s*\)|[a-z]+)/.exec(expression);
  return m ? (m[1] as string).replace(/\s+/g, '') : expression;
}

function round(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** Renders the report as the console summary. */
export function renderText(report: LlmReport): string {
  const lines: string[] = [];
  const run = report.run;
  lines.push('');
  lines.push(
    `k6-llm summary · model ${run.model ?? '?'} · transport ${run.transport ?? '?'} · ` +
      `${round((report.testRunDurationMs ?? 0) / 1000)} s run`,
  );
  for (const [name, w] of Object.entries(report.workloads)) {
    lines.push('');
    lines.push(`workload ${name}`);
    lines.push(`  ${pad('', 22)}${['p50', 'p90', 'p95', 'p99', 'max', 'mean', 'n'].map((h) => pad(h, 10, true)).join('')}`);
    const row = (label: string, p: Percentiles | null): void => {
      if (!p) {
        lines.push(`  ${pad(label, 22)}${pad('not measured', 10, true)}`);
        return;
      }
      const cells = [p.p50, p.p90, p.p95, p.p99, p.max, p.avg].map((v) => pad(round(v), 10, true));
      lines.push(`  ${pad(label, 22)}${cells.join('')}${pad(String(p.count), 10, true)}`);
    };
    row('TTFT (ms)', w.ttftMs);
    row('ITL (ms)', w.itlMs);
    row('TPOT (ms)', w.tpotMs);
    row('E2E (ms)', w.e2eMs);
    row('tokens/s per request', w.outputTokensPerSecondPerRequest);
    if (w.arrivals) row('schedule lag (ms)', w.arrivals.lagMs);
    const success = w.successRate === null ? 'n/a' : `${(w.successRate * 100).toFixed(2)} %`;
    const errors = Object.entries(w.errors).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    lines.push(
      `  requests ${w.requests} (${round(w.requestsPerSecond ?? NaN, 2)}/s) · success ${success} · errors: ${errors}` +
        (w.interrupted ? ` · ${w.interrupted} cut by the end of the test (not counted)` : ''),
    );
    const estimated = w.outputTokensEstimated > 0 ? ` (${w.outputTokensEstimated} estimated)` : '';
    lines.push(
      `  output tokens ${w.outputTokens}${estimated} · aggregate ${round(w.aggregateOutputTokensPerSecond ?? NaN)} tokens/s · prompt tokens ${w.promptTokens}`,
    );
    if (w.arrivals) {
      const a = w.arrivals;
      const rate = a.ratePerSec === null ? '' : ` at ${a.ratePerSec}/s`;
      lines.push(
        `  arrivals ${a.pattern}${rate}: ${a.scheduled} scheduled, ${a.sent} sent, ` +
          `dropped ${a.droppedLate + a.droppedUnstarted} (${a.droppedLate} too late${a.maxLagMs === null ? '' : ` > ${a.maxLagMs} ms`}, ${a.droppedUnstarted} never started)`,
      );
    }
    if (w.batch) {
      const b = w.batch;
      lines.push(
        `  batch job: ${b.finished}/${b.jobSize} requests in ${round((b.jobMs ?? NaN) / 1000, 2)} s · ` +
          `${round(b.outputTokensPerSecond ?? NaN)} output tokens/s over the job${b.complete ? '' : ` · INCOMPLETE (${b.notStarted} never started)`}`,
      );
    }
    const settings = Object.entries(w.settings).map(([k, v]) => `${k} ${v}`).join(' · ');
    if (settings) lines.push(`  settings: ${settings}`);
    if (w.ttftSpread !== null) {
      const bound = w.stability ? ` (bound ${w.stability.ttftSpreadMax}: ${w.stability.ok ? 'ok' : 'FAIL'})` : '';
      lines.push(`  TTFT stability: p99/p50 ${w.ttftSpread.toFixed(2)}${bound}, worst ${round(w.ttftMs?.max ?? NaN)} ms`);
    }
    if (w.sloAttainedRate !== null) {
      lines.push(`  SLO attainment ${(w.sloAttainedRate * 100).toFixed(2)} % · goodput ${round(w.goodputPerSecond ?? NaN, 2)} good requests/s`);
    }
    if (w.coldStart) lines.push(...renderColdStart(w.coldStart));
    if (w.availability) lines.push(...renderAvailability(w.availability));
    lines.push(`  thresholds: ${w.thresholdsSource ?? 'none'}`);
  }
  const g = report.generator;
  lines.push('');
  const timer = g.lagMs ? `timer lag p50 ${round(g.lagMs.p50, 2)} ms, p99 ${round(g.lagMs.p99, 2)} ms` : 'no timer samples';
  const read = g.readLagMs ? `, read lag p50 ${round(g.readLagMs.p50, 2)} ms, p99 ${round(g.readLagMs.p99, 2)} ms` : '';
  const send = g.sendLagMs ? `, send lag p50 ${round(g.sendLagMs.p50, 2)} ms, p99 ${round(g.sendLagMs.p99, 2)} ms` : '';
  const stamps = g.kernelStamps ? "; event times are the kernel's receive times" : '; event times are read times';
  lines.push(`generator self-check: ${timer}${send}${read}${stamps}${g.warning ? '' : ' (ok)'}`);
  const judged = report.thresholds;
  if (judged.length > 0) {
    lines.push('');
    lines.push('thresholds');
    for (const t of judged) {
      const measured = t.measured === null ? '' : ` (measured ${t.aggregation} = ${formatMeasured(t.measured)})`;
      lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric}: ${t.expression}${measured}`);
    }
  }
  for (const warning of report.warnings) lines.push(`WARNING: ${warning}`);
  lines.push('');
  return lines.join('\n');
}

function pct(rate: number | null): string {
  return rate === null ? 'n/a' : `${(rate * 100).toFixed(2)} %`;
}

function ms(n: number | null): string {
  return n === null ? '-' : round(n);
}

function renderColdStart(c: ColdStartReport): string[] {
  const lines = ['  cold start'];
  lines.push(
    `    cold TTFT p50 ${ms(c.coldTtftMs?.p50 ?? null)} ms · warm TTFT p50 ${ms(c.warmTtftMs?.p50 ?? null)} ms · ` +
      `penalty ${ms(c.penaltyMs)} ms · retries ${c.retries} · time to first success p50 ${ms(c.timeToFirstSuccessMs?.p50 ?? null)} ms`,
  );
  lines.push(`    ${pad('probe', 7)}${['cold TTFT', 'warm p50', 'penalty', 'first ok', 'retries'].map((h) => pad(h, 11, true)).join('')}`);
  for (const p of c.probes) {
    const cells = [ms(p.coldTtftMs), ms(p.warmTtftMedianMs), ms(p.penaltyMs), ms(p.timeToFirstSuccessMs), String(p.retries)];
    lines.push(`    ${pad(String(p.probe), 7)}${cells.map((v) => pad(v, 11, true)).join('')}`);
  }
  return lines;
}

/** At most this many windows are printed; the JSON report has them all. */
const MAX_PRINTED_WINDOWS = 30;

function renderAvailability(a: AvailabilityReport): string[] {
  const lines = ['  availability'];
  const run = a.longestFailureRun;
  const worst = a.worstWindow;
  lines.push(
    `    overall ${pct(a.availability)} (${a.successes}/${a.requests}) · worst ${round(a.windowMs / 1000, 0)} s window ` +
      `${worst ? `${pct(worst.availability)} at ${round(worst.startMs / 1000, 0)} s` : 'n/a'} · longest failure run ` +
      `${run ? `${run.requests} requests (${round(run.fromMs / 1000)}–${round(run.toMs / 1000)} s)` : 'none'}`,
  );
  const shown = a.windows.length > MAX_PRINTED_WINDOWS ? a.windows.filter((w) => w.requests > w.successes) : a.windows;
  for (const w of shown.slice(0, MAX_PRINTED_WINDOWS)) {
    const errors = Object.entries(w.errors).map(([k, n]) => `${k} ${n}`).join(', ') || '-';
    lines.push(`    ${pad(`${round(w.startMs / 1000, 0)} s`, 8, true)}  ${pad(pct(w.availability), 9, true)} of ${pad(String(w.requests), 5, true)}  ${errors}`);
  }
  if (shown.length > MAX_PRINTED_WINDOWS || shown.length < a.windows.length) {
    lines.push(`    (${a.windows.length} windows in the JSON report${shown.length < a.windows.length ? '; only windows with failures printed' : ''})`);
  }
  return lines;
}

/** A measured value with sensible precision for its size. */
export function formatMeasured(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(1) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}
