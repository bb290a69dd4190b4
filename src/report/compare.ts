// One page of several runs of the same workload (endpoints, models,
// providers, builds): headline figures side by side, TTFT distributions
// overlaid, throughput and cost side by side, and which run meets which
// SLO. Pure: every figure is its run's own summary figure.

import { costFigures, dollars, type Price } from './cost.ts';
import { cdfChart } from './distribution-chart.ts';
import { num, workloadThresholds } from './headline.ts';
import { runTotals, type RunData } from './run-report.ts';
import { page } from './style.ts';
import { escapeXml as esc, PALETTE } from './svg.ts';
import { ttftSamples } from './workload-section.ts';
import type { WorkloadReport } from '../summary/schema.ts';

/** The workloads every run has, in the first run's order. */
export function sharedWorkloads(runs: readonly RunData[]): string[] {
  if (runs.length === 0) return [];
  return Object.keys(runs[0].summary.workloads).filter((w) => runs.every((r) => w in r.summary.workloads));
}

const pct = (n: number | null): string => (n === null ? '–' : `${(n * 100).toFixed(2)} %`);

/** The figures compared, by row: label, value of a run's workload, and whether lower is better. */
const ROWS: { label: string; value: (w: WorkloadReport) => number | null; text: (w: WorkloadReport) => string; lower: boolean }[] = [
  { label: 'requests', value: (w) => w.requests, text: (w) => String(w.requests), lower: false },
  { label: 'success', value: (w) => w.successRate, text: (w) => pct(w.successRate), lower: false },
  { label: 'TTFT p50 (ms)', value: (w) => w.ttftMs?.p50 ?? null, text: (w) => num(w.ttftMs?.p50, 1), lower: true },
  { label: 'TTFT p95 (ms)', value: (w) => w.ttftMs?.p95 ?? null, text: (w) => num(w.ttftMs?.p95, 1), lower: true },
  { label: 'TTFT p99 (ms)', value: (w) => w.ttftMs?.p99 ?? null, text: (w) => num(w.ttftMs?.p99, 1), lower: true },
  { label: 'ITL p95 (ms)', value: (w) => w.itlMs?.p95 ?? null, text: (w) => num(w.itlMs?.p95, 2), lower: true },
  { label: 'TPOT p50 (ms)', value: (w) => w.tpotMs?.p50 ?? null, text: (w) => num(w.tpotMs?.p50, 2), lower: true },
  { label: 'E2E p95 (ms)', value: (w) => w.e2eMs?.p95 ?? null, text: (w) => num(w.e2eMs?.p95, 0), lower: true },
  { label: 'output tokens/s (aggregate)', value: (w) => w.aggregateOutputTokensPerSecond, text: (w) => num(w.aggregateOutputTokensPerSecond, 1), lower: false },
  { label: 'tokens/s per request p50', value: (w) => w.outputTokensPerSecondPerRequest?.p50 ?? null, text: (w) => num(w.outputTokensPerSecondPerRequest?.p50, 1), lower: false },
  { label: 'requests/s', value: (w) => w.requestsPerSecond, text: (w) => num(w.requestsPerSecond, 2), lower: false },
  { label: 'SLO attainment', value: (w) => w.sloAttainedRate, text: (w) => pct(w.sloAttainedRate), lower: false },
  { label: 'TTFT p99/p50', value: (w) => w.ttftSpread, text: (w) => num(w.ttftSpread, 2), lower: true },
];

/** The comparison page of `runs` (at least one). */
export function renderComparison(runs: readonly RunData[], price: Price | null = null): string {
  const workloads = sharedWorkloads(runs);
  const head = `<tr><th class="l">figure</th>${runs.map((r, i) => `<th data-run="${i}"><span style="color:${PALETTE[i % PALETTE.length]}">■</span> ${esc(r.name)}</th>`).join('')}</tr>`;
  const sections = workloads.map((name) => {
    const ws = runs.map((r) => r.summary.workloads[name]);
    const rows = ROWS.map((row) => {
      const values = ws.map(row.value);
      const known = values.filter((v): v is number => v !== null);
      const best = known.length > 1 ? (row.lower ? Math.min(...known) : Math.max(...known)) : null;
      return `<tr><td class="l">${esc(row.label)}</td>${ws.map((w, i) => `<td${best !== null && values[i] === best ? ' class="best"' : ''}>${row.text(w)}</td>`).join('')}</tr>`;
    });
    if (price) {
      const costs = runs.map((r) => {
        const w = r.summary.workloads[name];
        return costFigures(price, { outputTokens: w.outputTokens, promptTokens: w.promptTokens, requests: w.requests }, r.summary.testRunDurationMs === null ? null : r.summary.testRunDurationMs / 1000);
      });
      rows.push(`<tr><td class="l">$ per M output tokens</td>${costs.map((c) => `<td data-figure="costPerMillionOutputTokens">${dollars(c?.perMillionOutputTokens ?? null)}</td>`).join('')}</tr>`);
      rows.push(`<tr><td class="l">$ per request</td>${costs.map((c) => `<td>${dollars(c?.perRequest ?? null)}</td>`).join('')}</tr>`);
    }
    // Which run meets which SLO: the thresholds of every run, by metric and expression.
    const keyOf = (t: { metric: string; expression: string }) => `${t.metric} ${t.expression}`;
    const perRun = runs.map((r) => new Map(workloadThresholds(r.summary.thresholds, name).map((t) => [keyOf(t), t])));
    const keys = [...new Set(perRun.flatMap((m) => [...m.keys()]))];
    const slo = keys
      .map((k) => `<tr><td class="l"><code>${esc(k)}</code></td>${perRun.map((m) => {
        const t = m.get(k);
        return t === undefined ? '<td>–</td>' : `<td class="${t.ok ? 'yes' : 'no'}">${t.ok ? 'holds' : 'broken'} (${num(t.measured, 2)})</td>`;
      }).join('')}</tr>`)
      .join('');
    const chart = cdfChart(
      `TTFT distribution: ${name}`,
      'TTFT, ms',
      runs.map((r, i) => ({ name: r.name, color: PALETTE[i % PALETTE.length], values: r.requests ? ttftSamples(r.requests.filter((p) => p.workload === name)) : [] })),
    );
    return (
      `<section class="workload" id="workload-${esc(name)}"><h2>${esc(name)}</h2>` +
      `<table class="compare"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>` +
      `<h3>SLOs</h3>${keys.length ? `<table class="compare-slo"><thead>${head.replace('>figure<', '>threshold<')}</thead><tbody>${slo}</tbody></table>` : '<p class="meta">No SLO thresholds applied.</p>'}` +
      `<div class="charts">${chart}</div></section>`
    );
  });
  const missing = runs.length ? Object.keys(runs[0].summary.workloads).filter((w) => !workloads.includes(w)) : [];
  const totals = runs.map((r) => runTotals(r.summary));
  const body = [
    `<h1>k6-llm comparison: ${runs.length} runs of ${esc(workloads.join(', ') || '(no shared workload)')}</h1>`,
    `<table class="runs"><thead><tr><th class="l">run</th><th class="l">model</th><th class="l">endpoint</th><th>seconds</th><th>requests</th><th>output tokens</th></tr></thead><tbody>${runs
      .map((r, i) => `<tr><td class="l"><span style="color:${PALETTE[i % PALETTE.length]}">■</span> ${esc(r.name)}</td><td class="l">${esc(String(r.summary.run.model ?? '–'))}</td><td class="l">${esc(String(r.summary.run.baseUrl ?? '–'))}</td><td>${num(r.summary.testRunDurationMs === null ? null : r.summary.testRunDurationMs / 1000, 1)}</td><td>${totals[i].requests}</td><td>${totals[i].outputTokens}</td></tr>`)
      .join('')}</tbody></table>`,
    missing.length ? `<div class="warn">Not in every run, so not compared: ${esc(missing.join(', '))}</div>` : '',
    price ? `<p class="meta">Cost at ${esc(price.kind === 'hourly' ? `$${price.perHour}/h` : `$${price.inPerMillion}/$${price.outPerMillion} per M input/output tokens`)}.</p>` : '',
    `<p class="meta">Best value of each figure in bold.</p>`,
    ...sections,
  ];
  return page('k6-llm comparison', body.join('\n'));
}
