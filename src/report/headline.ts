// A workload's headline figures (straight from llm-summary.json, so the page
// and the summary agree) and each SLO threshold with its verdict. Pure HTML.

import type { EmbeddingsReport, ThresholdResult, WorkloadReport } from '../summary/schema.ts';
import { escapeXml as esc } from './svg.ts';

/** A figure with its unit, or – when unknown. */
export function num(n: number | null | undefined, digits = 1, unit = ''): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : `${n.toFixed(digits)}${unit}`;
}

const pct = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : `${(n * 100).toFixed(2)} %`);

/** The thresholds that judge `workload` (its sub-metrics). */
export function workloadThresholds(thresholds: readonly ThresholdResult[], workload: string): ThresholdResult[] {
  return thresholds.filter((t) => new RegExp(`[{,]workload:${workload.replace(/[^a-z0-9_-]/gi, '')}[,}]`).test(t.metric));
}

/** One headline card; `figure` names it for tests (data-figure). */
function card(name: string, value: string, figure: string, sub = ''): string {
  return `<div class="card" data-figure="${figure}"><div class="name">${esc(name)}</div><div class="value">${esc(value)}</div>${sub ? `<div class="sub">${esc(sub)}</div>` : ''}</div>`;
}

/** The headline cards of one workload. */
export function headlineHtml(w: WorkloadReport): string {
  if (w.embeddings) return embeddingsHeadlineHtml(w, w.embeddings);
  const t = w.ttftMs;
  const cards = [
    card('Requests', String(w.requests), 'requests', w.requestsPerSecond === null ? '' : `${num(w.requestsPerSecond, 2)} per second`),
    card('Success', pct(w.successRate), 'successRate', w.interrupted ? `${w.interrupted} interrupted at the end (not judged)` : ''),
    card('TTFT p50 / p99', t ? `${num(t.p50, 0)} / ${num(t.p99, 0)} ms` : '–', 'ttft', t ? `p95 ${num(t.p95, 0)} ms, max ${num(t.max, 0)} ms` : ''),
    card('ITL p95', num(w.itlMs?.p95, 1, ' ms'), 'itlP95', w.tpotMs ? `TPOT p50 ${num(w.tpotMs.p50, 1)} ms` : ''),
    card('E2E p95', num(w.e2eMs?.p95, 0, ' ms'), 'e2eP95'),
    card('Output tokens/s', num(w.aggregateOutputTokensPerSecond, 1), 'aggregateOutputTokensPerSecond', `${w.outputTokens} output tokens in all`),
    card('SLO attainment', pct(w.sloAttainedRate), 'sloAttainedRate', w.goodputPerSecond === null ? '' : `goodput ${num(w.goodputPerSecond, 2)} req/s`),
    card('TTFT p99/p50', num(w.ttftSpread, 2), 'ttftSpread', w.stability ? `bound ${w.stability.ttftSpreadMax}: ${w.stability.ok ? 'holds' : 'broken'}` : ''),
    ...(w.timing ? [timingCard(w.timing)] : []),
  ];
  return `<div class="cards">${cards.join('')}</div>`;
}

/** What the meter vouches for: the requests whose TTFT or E2E may read late (their first or last token waited unread). */
function timingCard(t: NonNullable<WorkloadReport['timing']>): string {
  const sub = t.flagged === 0 ? `all ${t.measured} within the flag of their kernel receive time` : `of ${t.measured}; may read late by up to ${num(t.boundMs?.max, 1, ' ms')}`;
  return card('Timings flagged', String(t.flagged), 'timingFlagged', sub);
}

/** An embeddings job's cards: inputs/s and input tokens/s over the job; TTFT and ITL do not apply. */
function embeddingsHeadlineHtml(w: WorkloadReport, e: EmbeddingsReport): string {
  const over = e.overMs === null ? '' : `over the job, ${num(e.overMs / 1000, 2)} s`;
  const cards = [
    card('Requests', String(w.requests), 'requests', `${e.inputsPerRequest} inputs each`),
    card('Success', pct(w.successRate), 'successRate', w.interrupted ? `${w.interrupted} interrupted at the end (not judged)` : ''),
    card('Inputs/s', num(e.inputsPerSecond, 1), 'inputsPerSecond', `${e.inputs} inputs embedded ${over}`),
    card('Input tokens/s', num(e.inputTokensPerSecond, 1), 'inputTokensPerSecond', `${e.inputTokens} input tokens ${over}`),
    card('E2E p50 / p95', w.e2eMs ? `${num(w.e2eMs.p50, 0)} / ${num(w.e2eMs.p95, 0)} ms` : '–', 'e2eP95', w.e2eMs ? `max ${num(w.e2eMs.max, 0)} ms` : ''),
    card('TTFT, ITL', 'not applicable', 'ttft', 'embeddings: one body per request'),
    card('SLO attainment', pct(w.sloAttainedRate), 'sloAttainedRate', w.goodputPerSecond === null ? '' : `goodput ${num(w.goodputPerSecond, 2)} req/s`),
  ];
  return `<div class="cards">${cards.join('')}</div>`;
}

/** Each threshold of the workload: metric, bound, measured value, verdict. */
export function sloTableHtml(thresholds: readonly ThresholdResult[], source: string | null): string {
  if (thresholds.length === 0) return `<p class="meta">No SLO thresholds applied${source ? ` (${esc(source)})` : ''}.</p>`;
  const rows = thresholds
    .map(
      (t) =>
        `<tr class="${t.ok ? 'ok' : 'fail'}"><td class="l"><code>${esc(t.metric)}</code></td><td class="l">${esc(t.expression)}</td><td>${num(t.measured, 3)}</td><td class="verdict">${t.ok ? 'holds' : 'BROKEN'}</td></tr>`,
    )
    .join('');
  return `<table class="slo"><thead><tr><th class="l">metric</th><th class="l">threshold</th><th>measured</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>${source ? `<p class="meta">SLOs from ${esc(source)}.</p>` : ''}`;
}

/** Failed requests by kind, as one line. */
export function errorsLine(errors: Record<string, number>): string {
  const kinds = Object.entries(errors).filter(([, n]) => n > 0);
  return kinds.length === 0 ? 'no errors' : kinds.map(([k, n]) => `${esc(k)} ${n}`).join(' · ');
}
