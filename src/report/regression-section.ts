// The regression gate's section of llm-report.html: the verdict, how the
// intervals were made, and per figure its values, the difference with its
// interval (as text and drawn against the tolerance band) and its verdict.
// Pure.

import { changeText, differenceText, failsGate, figureValue, gateHeadline, methodText, toleranceText, verdictText } from '../summary/regression-format.ts';
import type { RegressionRow, RegressionSection } from '../summary/schema.ts';
import { escapeXml as esc } from './svg.ts';

const WIDTH = 160;
const HEIGHT = 16;

/**
 * The relative change's interval drawn on an axis around 0: the tolerance
 * band shaded (the worse side red), the interval as a bar, the point as a dot.
 */
function intervalSvg(row: RegressionRow): string {
  if (row.change === null || !row.changeInterval) return '';
  const [lo, hi] = row.changeInterval;
  const t = row.tolerance;
  const span = Math.max(Math.abs(lo), Math.abs(hi), t, 0.01) * 1.1;
  const x = (v: number): number => WIDTH / 2 + (v / span) * (WIDTH / 2);
  // Which side is worse: above 0 for latencies, below for rates.
  const worse = row.direction === 'lower-is-better' ? [x(t), WIDTH] : [0, x(-t)];
  const colour = row.verdict === 'regressed' ? '#d62728' : row.verdict === 'improved' ? '#2ca02c' : '#555';
  return (
    `<svg width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(`change ${changeText(row)}, tolerance ${toleranceText(row)}`)}">` +
    `<rect x="${x(-t).toFixed(1)}" y="2" width="${(x(t) - x(-t)).toFixed(1)}" height="${HEIGHT - 4}" fill="#eef3f8"/>` +
    `<rect x="${(worse[0] as number).toFixed(1)}" y="2" width="${((worse[1] as number) - (worse[0] as number)).toFixed(1)}" height="${HEIGHT - 4}" fill="#fdecea"/>` +
    `<line x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="0" y2="${HEIGHT}" stroke="#999"/>` +
    `<line x1="${x(lo).toFixed(1)}" x2="${x(hi).toFixed(1)}" y1="${HEIGHT / 2}" y2="${HEIGHT / 2}" stroke="${colour}" stroke-width="3"/>` +
    `<circle cx="${x(row.change).toFixed(1)}" cy="${HEIGHT / 2}" r="3" fill="${colour}"/></svg>`
  );
}

/** The section; empty when the run was not gated. */
export function regressionSectionHtml(s: RegressionSection | undefined): string {
  if (!s) return '';
  const badge = s.failed ? '<span class="fail-badge">regression</span>' : '<span class="ok-badge">no regression</span>';
  const rows = s.rows.map((r) => {
    const cls = failsGate(r) ? 'fail' : r.verdict === 'improved' ? 'ok' : '';
    return (
      `<tr class="${cls}" data-figure="${esc(`${r.workload}:${r.figure}`)}" data-verdict="${esc(r.verdict)}"><td class="l">${esc(r.workload)}</td><td class="l"><code>${esc(r.figure)}</code></td>` +
      `<td>${esc(figureValue(r.baseline, r.unit))}</td><td>${esc(figureValue(r.current, r.unit))}</td><td>${esc(differenceText(r))}</td><td>${esc(changeText(r))}</td>` +
      `<td>${intervalSvg(r)}</td><td>${esc(toleranceText(r))}</td><td>${r.samples.baseline}/${r.samples.current}</td><td class="l verdict">${esc(verdictText(r))}</td></tr>`
    );
  });
  return [
    `<section class="regression" id="regression"><h2>Regression gate${badge}</h2>`,
    `<div class="meta">against <code>${esc(s.baseline)}</code> · ${esc(gateHeadline(s))}</div>`,
    `<div class="meta">${esc(methodText(s))}. A figure regressed only when its whole interval is worse than its tolerance (the red side).</div>`,
    '<table><tr><th class="l">workload</th><th class="l">figure</th><th>baseline</th><th>current</th><th>difference [interval]</th><th>change [interval]</th><th>interval vs tolerance</th><th>allowed</th><th>samples (base/cur)</th><th class="l">verdict</th></tr>',
    ...rows,
    '</table></section>',
  ].join('\n');
}
