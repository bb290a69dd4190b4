// The sections only some workloads have: coldstart's cold versus warm
// probes, and availability's per-window timeline. Both read the summary's own
// figures. Pure HTML and SVG.

import type { AvailabilityReport } from '../measure/availability.ts';
import type { ColdStartReport } from '../summary/coldstart-report.ts';
import { num } from './headline.ts';
import { COLORS, emptyChart, ERROR_COLORS, escapeXml as esc, fmt, frame, xScale, yScale } from './svg.ts';

/** Cold TTFT and warm TTFT median per probe, as paired bars, and the table. */
export function coldStartHtml(c: ColdStartReport): string {
  const title = 'Cold vs warm TTFT per probe (ms)';
  let chart: string;
  if (c.probes.length === 0) chart = emptyChart(title, 'no probes');
  else {
    const x = xScale(c.probes.length);
    const y = yScale(Math.max(...c.probes.map((p) => Math.max(p.coldTtftMs ?? 0, p.warmTtftMedianMs ?? 0))) * 1.05);
    const slot = x.px(1) - x.px(0);
    const bars = c.probes
      .map((p, i) => {
        const out: string[] = [];
        for (const [j, value, color, cls] of [
          [0, p.coldTtftMs, COLORS.p99, 'cold'],
          [1, p.warmTtftMedianMs, COLORS.p50, 'warm'],
        ] as const) {
          if (value === null) continue;
          const x0 = x.px(i) + slot * (0.15 + j * 0.35);
          out.push(`<rect class="${cls}" data-value="${fmt(value, 3)}" x="${x0.toFixed(1)}" y="${y.px(value).toFixed(1)}" width="${(slot * 0.33).toFixed(1)}" height="${(y.px(0) - y.px(value)).toFixed(1)}" fill="${color}"/>`);
        }
        return out.join('');
      })
      .join('');
    chart = frame({ title, xTitle: 'probe', yTitle: 'ms', x, y, body: bars, xLabels: c.probes.map((p, i) => ({ value: i + 0.5, text: String(p.probe) })), legend: [{ name: 'cold', color: COLORS.p99 }, { name: 'warm median', color: COLORS.p50 }] });
  }
  const rows = c.probes
    .map((p) => `<tr><td>${p.probe}</td><td>${num(p.coldTtftMs, 0)}</td><td>${num(p.warmTtftMedianMs, 0)}</td><td>${num(p.penaltyMs, 0)}</td><td>${num(p.timeToFirstSuccessMs, 0)}</td><td>${p.retries}</td></tr>`)
    .join('');
  return (
    `<h3>Cold start</h3><p>cold-start penalty (median) <b>${num(c.penaltyMs, 0, ' ms')}</b> · cold TTFT p50 ${num(c.coldTtftMs?.p50, 0, ' ms')} · warm TTFT p50 ${num(c.warmTtftMs?.p50, 0, ' ms')} · retries ${c.retries}</p>` +
    `<div class="charts">${chart}</div>` +
    `<table><thead><tr><th>probe</th><th>cold TTFT</th><th>warm TTFT median</th><th>penalty</th><th>time to first success</th><th>retries</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

/** Availability per window as bars (red below 100 %), and the worst window. */
export function availabilityHtml(a: AvailabilityReport): string {
  const title = `Availability per ${fmt(a.windowMs / 1000, 1)} s window`;
  let chart: string;
  const windows = a.windows;
  if (windows.length === 0) chart = emptyChart(title, 'no windows');
  else {
    const x = xScale(windows[windows.length - 1].endMs / 1000);
    const y = yScale(1);
    const bars = windows
      .map((w) => {
        if (w.availability === null) return '';
        const x0 = x.px(w.startMs / 1000);
        const x1 = x.px(w.endMs / 1000);
        const kinds = Object.keys(w.errors);
        const color = w.availability >= 1 ? COLORS.slo : (ERROR_COLORS[kinds[0] ?? ''] ?? COLORS.p99);
        return `<rect class="window" data-value="${fmt(w.availability, 4)}" x="${x0.toFixed(1)}" y="${y.px(w.availability).toFixed(1)}" width="${Math.max(0.5, x1 - x0 - 1).toFixed(1)}" height="${(y.px(0) - y.px(w.availability)).toFixed(1)}" fill="${color}"><title>${esc(`${fmt(w.startMs / 1000)}–${fmt(w.endMs / 1000)} s: ${w.successes}/${w.requests}`)}</title></rect>`;
      })
      .join('');
    chart = frame({ title, xTitle: 'seconds since the test started', yTitle: 'availability', x, y, body: bars, yTicks: (v) => `${fmt(v * 100, 0)} %` });
  }
  const worst = a.worstWindow;
  const run = a.longestFailureRun;
  return (
    `<h3>Availability</h3><p>overall <b>${a.availability === null ? '–' : `${(a.availability * 100).toFixed(3)} %`}</b> (${a.successes}/${a.requests})` +
    (worst ? ` · worst window ${fmt(worst.startMs / 1000)}–${fmt(worst.endMs / 1000)} s: ${worst.availability === null ? '–' : `${(worst.availability * 100).toFixed(2)} %`}` : '') +
    (run ? ` · longest failure run ${run.requests} requests` : '') +
    `</p><div class="charts">${chart}</div>`
  );
}
