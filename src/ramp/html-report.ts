// The ramp's HTML report: one offline page (inline CSS and SVG, no scripts,
// fonts or links) with the two named results, the charts, the per-level
// table with each level's SLO verdicts, and what the stop rule did. Pure.

import { escapeXml as esc, rampCharts } from './charts.ts';
import type { LevelRow, RampReport } from './ramp-report.ts';
import { levelText, pointText } from './ramp-text.ts';

function num(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
.meta { color: #666; font-size: 13px; }
.points { display: flex; gap: 16px; flex-wrap: wrap; margin: 18px 0; }
.point { border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px; flex: 1 1 300px; }
.point .name { font-size: 13px; color: #666; text-transform: uppercase; letter-spacing: .04em; }
.point .value { font-size: 26px; font-weight: bold; margin: 4px 0; }
.point.sat .value { color: #7b3294; } .point.slo .value { color: #2ca02c; } .point.stop .value { color: #d62728; }
.point .why { font-size: 13px; color: #444; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 4px 6px; text-align: right; white-space: nowrap; }
th { background: #f6f6f6; } td.l, th.l { text-align: left; white-space: normal; }
tr.fail td { background: #fdecea; } tr.cut td { color: #999; } tr.mark td:first-child { font-weight: bold; }
.warn { background: #fff8e1; border-left: 4px solid #f0b400; padding: 6px 10px; font-size: 13px; margin: 4px 0; }
.charts svg { max-width: 100%; height: auto; display: block; margin: 8px 0 16px; }
code { background: #f3f3f3; padding: 1px 4px; border-radius: 3px; }
`;

function verdicts(row: LevelRow): string {
  if (!row.complete) return 'not measured (run stopped)';
  const failed = row.slo.filter((v) => v.ok === false);
  if (row.slo.length === 0) return '–';
  if (failed.length === 0) return 'all hold';
  return failed.map((v) => `${esc(v.metric)} ${esc(v.expression)} (${num(v.measured, 2)})`).join('<br>');
}

/** Renders the whole report page. */
export function renderRampHtml(report: RampReport): string {
  const charts = rampCharts(report);
  const s = report.settings;
  const sat = report.saturationPoint;
  const limit = report.sloLimit;
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
      return `<tr class="${cls}">${cells.map((c) => `<td>${c}</td>`).join('')}<td class="l">${verdicts(r)}</td></tr>`;
    })
    .join('\n');
  const heads = ['level', 'streams', 'req/s', 'output tok/s', 'tok/s per req p50', 'TTFT p50', 'TTFT p95', 'TTFT p99', 'TTFT max', 'ITL p95', 'E2E p95', 'success', 'requests', 'gen. lag p99'];
  if (report.rampBy === 'rate') heads.push('dropped');
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
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>k6-llm ramp report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>k6-llm ramp: ${esc(report.rampBy)} ${esc(report.levels.map((l) => l.level).join(', '))} ${esc(report.unit)}</h1>
<div class="meta">model ${esc(String(s.model ?? '?'))} at ${esc(String(s.baseUrl ?? '?'))} · shape ${esc(report.shape)} · ${esc(String(s.levelDurationSeconds))} s per level, first ${esc(String(s.warmupSeconds))} s discarded · SLOs ${esc(report.thresholdsSource ?? 'none')} · transport ${esc(String(s.transport ?? '?'))}</div>
<div class="points">
<div class="point sat"><div class="name">Saturation point</div><div class="value">${esc(levelText(report, sat.level))}</div><div class="why">${esc(sat.level === null ? sat.reason : pointText(report, sat))}<br><small>${esc(sat.rule)}</small></div></div>
<div class="point slo"><div class="name">SLO limit</div><div class="value">${esc(levelText(report, limit.level))}${limit.atOrAbove ? ' or more' : ''}</div><div class="why">${limit.level === null ? '' : `${esc(pointText(report, limit))}<br>`}${limitWhy}<br><small>${esc(limit.rule)}</small></div></div>
${stopBox}
</div>
${report.warnings.map((w) => `<div class="warn">${esc(w)}</div>`).join('\n')}
<h2>Charts</h2>
<div class="charts">
${charts.throughput}
${charts.ttft}
${charts.tokenRate}
</div>
<h2>Per level (steady state)</h2>
<table><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}<th class="l">SLO thresholds broken</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p class="meta">Latencies in ms, exact percentiles of each level's own samples. Output tok/s is the level's output tokens over its steady window;
streams in a rate ramp are the achieved concurrency by Little's law. Generator lag is how late a 10 ms timer woke inside k6 during the level.
Stop rule: ${esc(stop.rule)}.</p>
</body></html>
`;
}
