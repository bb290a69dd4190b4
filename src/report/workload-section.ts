// One workload's section of the report: headline figures and SLO verdicts,
// the TTFT distribution with its percentiles and SLO bounds, the run over
// time, the ITL distribution, and the coldstart or availability part. Pure.

import { parseExpression } from '../thresholds/expression.ts';
import { imagesLine, promptCacheLine } from '../summary/format.ts';
import type { ThresholdResult, WorkloadReport } from '../summary/schema.ts';
import { cdfChart, histogramChart, type DistributionMark } from './distribution-chart.ts';
import { errorsLine, headlineHtml, num, sloTableHtml, workloadThresholds } from './headline.ts';
import { availabilityHtml, coldStartHtml } from './probes-section.ts';
import type { RequestPoint } from './requests.ts';
import { escapeXml as esc, fmt, COLORS } from './svg.ts';
import { errorsOverTime, inFlightOverTime, throughputOverTime, ttftOverTime } from './timeline-charts.ts';
import { timeWindows } from './windows.ts';

/** The upper bounds the SLO file puts on a metric (`p(95)<300` → 300 labelled "SLO p95 300"). */
export function sloBounds(thresholds: readonly ThresholdResult[], metric: string): DistributionMark[] {
  const out: DistributionMark[] = [];
  for (const t of thresholds) {
    if (t.metric.split('{')[0] !== metric) continue;
    const e = parseExpression(t.expression);
    if (!e || (e.operator !== '<' && e.operator !== '<=')) continue;
    if (!e.aggregation.startsWith('p(') && e.aggregation !== 'max' && e.aggregation !== 'med' && e.aggregation !== 'avg') continue;
    out.push({ value: e.bound, label: `SLO ${e.aggregation.replace(/^p\((.*)\)$/, 'p$1')} ${fmt(e.bound, 1)}`, kind: 'slo', worst: e.aggregation === 'max' });
  }
  return out;
}

/** p50/p95/p99 markers from the summary's percentiles. */
export function percentileMarks(p: { p50: number; p95: number; p99: number } | null): DistributionMark[] {
  if (!p) return [];
  return [
    { value: p.p50, label: `p50 ${fmt(p.p50, 0)}`, kind: 'p50' },
    { value: p.p95, label: `p95 ${fmt(p.p95, 0)}`, kind: 'p95' },
    { value: p.p99, label: `p99 ${fmt(p.p99, 0)}`, kind: 'p99' },
  ];
}

/** TTFT samples of a workload's requests (interrupted ones left out, as in the summary). */
export function ttftSamples(points: readonly RequestPoint[]): number[] {
  return points.filter((p) => p.record.error !== 'interrupted' && p.record.ttftMs !== null).map((p) => p.record.ttftMs as number);
}

/** The section of workload `name`; `points` are its requests (null: no records file). */
export function workloadSectionHtml(name: string, w: WorkloadReport, allThresholds: readonly ThresholdResult[], points: readonly RequestPoint[] | null, extra = ''): string {
  const thresholds = workloadThresholds(allThresholds, name);
  const failed = thresholds.filter((t) => !t.ok).length;
  const verdict = thresholds.length === 0 ? '' : failed === 0 ? ' <span class="ok-badge">every SLO holds</span>' : ` <span class="fail-badge">${failed} SLO${failed > 1 ? 's' : ''} broken</span>`;
  const parts = [
    `<section class="workload" id="workload-${esc(name)}"><h2>${esc(name)}${verdict}</h2>`,
    headlineHtml(w),
    extra,
    `<p class="meta">errors: ${errorsLine(w.errors)} · ${w.outputTokens} output and ${w.promptTokens} prompt tokens${w.outputTokensEstimated ? ` (${w.outputTokensEstimated} output tokens estimated)` : ''}</p>`,
    ...[promptCacheLine(w), imagesLine(w)].filter((line): line is string => line !== null).map((line) => `<p class="meta">${esc(line)}</p>`),
    sloTableHtml(thresholds, w.thresholdsSource),
  ];
  const ttftBounds = sloBounds(thresholds, 'llm_ttft');
  if (points === null) {
    parts.push('<p class="warn">No per-request records (requests.jsonl) in this run: distributions and the run over time need the stream meter\'s --records file.</p>');
  } else {
    const itl = points.filter((p) => p.record.error !== 'interrupted').flatMap((p) => p.record.itlMs);
    const windows = timeWindows(points);
    const interrupted = points.filter((p) => p.record.error === 'interrupted').length;
    parts.push(
      '<h3>Distributions</h3><div class="charts">',
      cdfChart('TTFT distribution (CDF)', 'TTFT, ms', [{ name: name, color: COLORS.line, values: ttftSamples(points) }], [...percentileMarks(w.ttftMs), ...ttftBounds]),
      histogramChart('Inter-token latency', 'ITL, ms', itl, [...percentileMarks(w.itlMs), ...sloBounds(thresholds, 'llm_itl')]),
      '</div>',
      `<h3>Over time</h3><p class="meta">${windows.length} windows of ${windows.length ? fmt((windows[0].endMs - windows[0].startMs) / 1000, 0) : '–'} s, by send time; ${points.length} requests recorded${interrupted ? `, ${interrupted} of them cut by the end of the test (left out, as in the summary)` : ''}.</p><div class="charts">`,
      ttftOverTime(windows, ttftBounds),
      throughputOverTime(windows),
      inFlightOverTime(windows),
      errorsOverTime(windows),
      '</div>',
    );
  }
  if (w.coldStart) parts.push(coldStartHtml(w.coldStart));
  if (w.availability) parts.push(availabilityHtml(w.availability));
  if (w.batch) parts.push(`<h3>Batch job</h3><p>${w.batch.finished}/${w.batch.jobSize} finished${w.batch.complete ? '' : ` (${w.batch.notStarted} never started)`} · job time ${num(w.batch.jobMs === null ? null : w.batch.jobMs / 1000, 1, ' s')} · ${num(w.batch.outputTokensPerSecond, 1)} output tokens/s</p>`);
  parts.push('</section>');
  return parts.join('\n');
}
