// llm-report.html of one run: a header (model, endpoint, length, cost at the
// given price), then one section per workload (a mixed run has three) and,
// for a ramp, the ramp's section. Pure: tools/report reads the files.

import type { RampReport } from '../ramp/ramp-report.ts';
import { rampSectionHtml } from '../ramp/html-report.ts';
import type { LlmReport } from '../summary/schema.ts';
import { costFigures, dollars, type CostFigures, type Price } from './cost.ts';
import type { RequestPoint } from './requests.ts';
import { page } from './style.ts';
import { escapeXml as esc, fmt } from './svg.ts';
import { workloadSectionHtml } from './workload-section.ts';
import { serverSectionHtml } from './server-section.ts';
import { regressionSectionHtml } from './regression-section.ts';
import type { ServerScrape } from '../server-metrics/snapshot.ts';

/** Everything the report of one run is drawn from. */
export interface RunData {
  /** The run's label (its folder's name). */
  name: string;
  summary: LlmReport;
  /** Its requests from the meter's records; null when the run has no records file. */
  requests: RequestPoint[] | null;
  /** ramp.json of a ramp run. */
  ramp: RampReport | null;
  /** Scrapes of the server's /metrics (server-metrics.jsonl), and when the first request was sent. */
  server?: { scrapes: ServerScrape[]; url: string | null; startUnixMs: number | null } | null;
}

/** The run's totals over every workload. */
export function runTotals(summary: LlmReport): { outputTokens: number; promptTokens: number; requests: number } {
  const ws = Object.values(summary.workloads);
  return {
    outputTokens: ws.reduce((a, w) => a + w.outputTokens, 0),
    promptTokens: ws.reduce((a, w) => a + w.promptTokens, 0),
    requests: ws.reduce((a, w) => a + w.requests, 0),
  };
}

/** The run's cost at `price`; null without a price or a run length. */
export function runCost(summary: LlmReport, price: Price | null): CostFigures | null {
  if (!price) return null;
  return costFigures(price, runTotals(summary), summary.testRunDurationMs === null ? null : summary.testRunDurationMs / 1000);
}

/** The cost cards. */
export function costHtml(cost: CostFigures | null): string {
  if (!cost) return '';
  const card = (name: string, value: string, figure: string) => `<div class="card cost" data-figure="${figure}"><div class="name">${esc(name)}</div><div class="value">${esc(value)}</div><div class="sub">at ${esc(cost.priceText)}</div></div>`;
  return `<div class="cards">${card('Cost per million output tokens', dollars(cost.perMillionOutputTokens), 'costPerMillionOutputTokens')}${card('Cost per request', dollars(cost.perRequest), 'costPerRequest')}${card('Cost of the run', dollars(cost.totalDollars), 'costTotal')}</div>`;
}

/** The run's header line: what ran where. */
export function runMeta(summary: LlmReport): string {
  const r = summary.run;
  const bits = [
    r.model ? `model ${r.model}` : '',
    r.baseUrl ? `at ${r.baseUrl}` : '',
    summary.testRunDurationMs === null ? '' : `${fmt(summary.testRunDurationMs / 1000, 1)} s`,
    r.transport ? `transport ${r.transport}` : '',
    `generator lag p99 ${summary.generator.lagMs ? fmt(summary.generator.lagMs.p99, 2) : '–'} ms`,
  ].filter(Boolean);
  return esc(bits.join(' · '));
}

/** The whole llm-report.html of one run. */
export function renderRunReport(run: RunData, price: Price | null = null): string {
  const s = run.summary;
  const names = Object.keys(s.workloads);
  const sections = names.map((name) =>
    workloadSectionHtml(name, s.workloads[name], s.thresholds, run.requests === null ? null : run.requests.filter((p) => p.workload === name)),
  );
  if (run.ramp) sections.push(`<section class="ramp" id="ramp-levels"><h2>Ramp: ${esc(run.ramp.rampBy)} ${esc(run.ramp.levels.map((l) => l.level).join(', '))} ${esc(run.ramp.unit)}</h2>\n${rampSectionHtml(run.ramp, price, 'h3')}</section>`);
  if (run.server && run.server.scrapes.length > 0) sections.push(serverSectionHtml(run.server.scrapes, run.server.startUnixMs, s, run.server.url));
  const warnings = [...new Set([...s.warnings, ...(s.generator.warning ? [s.generator.warning] : [])])];
  const body = [
    `<h1>k6-llm report: ${esc(names.join(', '))}</h1>`,
    `<div class="meta">${esc(run.name)} · ${runMeta(s)}</div>`,
    warnings.map((w) => `<div class="warn">${esc(w)}</div>`).join('\n'),
    costHtml(runCost(s, price)),
    regressionSectionHtml(s.regression),
    ...sections,
  ];
  return page(`k6-llm report: ${names.join(', ')}`, body.join('\n'));
}
