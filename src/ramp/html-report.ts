// The ramp's section of the report: the two named results, the charts, the
// per-level table with each level's SLO verdicts (and cost, given a price),
// and what the stop rule did. The same section is ramp.html (written by k6's
// handleSummary) and the ramp part of llm-report.html: one renderer. Pure.

import { escapeXml as esc, rampCharts } from './charts.ts';
import type { LevelRow, RampReport } from './ramp-report.ts';
import { levelText, pointText } from './ramp-text.ts';
import { dollars, hourlyCostPerMillion, type Price } from '../report/cost.ts';
import { page } from '../report/style.ts';

function num(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}

function verdicts(row: LevelRow): string {
  if (!row.complete) return 'not measured (run stopped)';
  const failed = row.slo.filter((v) => v.ok === false);
  if (row.slo.length === 0) return '–';
  if (failed.length === 0) return 'all hold';
  return failed.map((v) => `${esc(v.metric)} ${esc(v.expression)} (${num(v.measured, 2)})`).join('<br>');
}

/** The ramp as one page (ramp.html). */
export function renderRampHtml(report: RampReport, price: Price | null = null): string {
  const title = `k6-llm ramp: ${report.rampBy} ${report.levels.map((l) => l.level).join(', ')} ${report.unit}`;
  return page('k6-llm ramp report', `<h1>${esc(title)}</h1>\n${rampSectionHtml(report, price)}`);
}

/** The ramp's section: everything of ramp.html below its title. */
export function rampSectionHtml(report: RampReport, price: Price | null = null, heading: 'h2' | 'h3' = 'h2'): string {
  const charts = rampCharts(report);
  const s = report.settings;
  const sat = report.saturationPoint;
  const limit = report.sloLimit;
  const hourly = price?.kind === 'hourly';
  const rows = report.levels
    .map((r) => {
      const cls = [!r.complete ? 'cut' : r.sloOk === false ? 'fail' : '', r.level === sat.level || r.level === limit.level ? 'mark' : '']
        .filter(Boolean)
        .join(' ');
      const cells = [
        String(r.level),
        report.rampBy === 'concurrency' ? String(r.level) : num(r.achievedConcurrency),
        num(r.requestRate, 2),
        num(r.outputTokensPerSecond, 0),
        num(r.perRequestTokensPerSecondP50),
        num(r.ttftMs?.p50, 0),
        num(r.ttftMs?.p95, 0),
        num(r.ttftMs?.p99, 0),
        num(r.ttftMs?.max, 0),
        num(r.itlP95Ms),
        num(r.e2eP95Ms, 0),
        r.successRate === null ? '–' : `${(r.successRate * 100).toFixed(1)} %`,
        String(r.requests),
        num(r.generatorLagP99Ms),
      ];
      if (report.rampBy === 'rate') cells.push(r.droppedIterations === null ? '–' : String(r.droppedIterations));
      if (hourly) cells.push(dollars(hourlyCostPerMillion(price as Price, r.outputTokensPerSecond)));
      return `<tr class="${cls}">${cells.map((c) => `<td>${c}</td>`).join('')}<td class="l">${verdicts(r)}</td></tr>`;
    })
    .join('\n');
  const heads = ['level', 'streams', 'req/s', 'output tok/s', 'tok/s per req p50', 'TTFT p50', 'TTFT p95', 'TTFT p99', 'TTFT max', 'ITL p95', 'E2E p95', 'success', 'requests', 'gen. lag p99'];
  if (report.rampBy === 'rate') heads.push('dropped');
  if (hourly) heads.push('$ per M output tokens');
  const limitRow = report.levels.find((l) => l.level === limit.level);
  const limitCost = hourly && limitRow ? hourlyCostPerMillion(price as Price, limitRow.outputTokensPerSecond) : null;
  const costLine =
    limitCost === null
      ? ''
      : `<div class="point cost"><div class="name">Cost at the SLO limit</div><div class="value">${esc(dollars(limitCost))}</div><div class="why">at the highest load that meets the SLOs (${esc(levelText(report, limit.level))}), a million output tokens cost ${esc(dollars(limitCost))} at ${esc(`$${(price as { perHour: number }).perHour}/h`)}</div></div>`;
  const stop = report.stop;
  const stopBox =
    stop.firedAtLevel === null
      ? ''
      : `<div class="point stop"><div class="name">${stop.skippedLevels.length ? 'Stopped early' : 'Stop rule fired (last level)'}</div><div class="value">at ${esc(levelText(report, stop.firedAtLevel))}</div>` +
        `<div class="why">${stop.breaches
          .filter((b) => b.level === stop.firedAtLevel)
          .map((b) => `${esc(b.key)} ${esc(b.threshold)} failed (measured ${num(b.measured, 3)})`)
          .join('<br>')}${stop.skippedLevels.length ? `<br>not run: ${stop.skippedLevels.join(', ')}` : ''}</div></div>`;
  const limitWhy =
    limit.firstFailingLevel !== null
      ? `${esc(levelText(report, limit.firstFailingLevel))} broke: ${limit.brokenBy.map(esc).join('; ')}`
      : esc(limit.reason);
  return `<div class="meta">model ${esc(String(s.model ?? '?'))} at ${esc(String(s.baseUrl ?? '?'))} · shape ${esc(report.shape)} · ${esc(String(s.levelDurationSeconds))} s per level, first ${esc(String(s.warmupSeconds))} s discarded · SLOs ${esc(report.thresholdsSource ?? 'none')} · transport ${esc(String(s.transport ?? '?'))}</div>
<div class="points">
<div class="point sat"><div class="name">Saturation point</div><div class="value">${esc(levelText(report, sat.level))}</div><div class="why">${esc(sat.level === null ? sat.reason : pointText(report, sat))}<br><small>${esc(sat.rule)}</small></div></div>
<div class="point slo"><div class="name">SLO limit</div><div class="value">${esc(levelText(report, limit.level))}${limit.atOrAbove ? ' or more' : ''}</div><div class="why">${limit.level === null ? '' : `${esc(pointText(report, limit))}<br>`}${limitWhy}<br><small>${esc(limit.rule)}</small></div></div>
${stopBox}
${costLine}
</div>
${report.warnings.map((w) => `<div class="warn">${esc(w)}</div>`).join('\n')}
<${heading}>Charts</${heading}>
<div class="charts ramp-charts">
${charts.throughput}
${charts.ttft}
${charts.tokenRate}
</div>
<${heading}>Per level (steady state)</${heading}>
<table><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}<th class="l">SLO thresholds broken</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p class="meta">Latencies in ms, exact percentiles of each level's own samples. Output tok/s is the level's output tokens over its steady window;
streams in a rate ramp are the achieved concurrency by Little's law. Generator lag is how late a 10 ms timer woke inside k6 during the level.
Stop rule: ${esc(stop.rule)}.</p>
`;
}
