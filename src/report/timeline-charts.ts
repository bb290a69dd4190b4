// The run over time, one small chart per question: was TTFT stable (p50 and
// p99 per window, the SLO bound drawn), did throughput hold, how many
// requests were in flight, and when did errors happen (by kind). Pure.

import type { DistributionMark } from './distribution-chart.ts';
import type { TimeWindow } from './windows.ts';
import { CHART, COLORS, emptyChart, ERROR_COLORS, escapeXml, frame, hMarker, polyline, xScale, yScale } from './svg.ts';

const mid = (w: TimeWindow): number => (w.startMs + w.endMs) / 2000;

/** TTFT p50 and p99 per window, with the TTFT SLO bounds as horizontal lines. */
export function ttftOverTime(windows: readonly TimeWindow[], bounds: readonly DistributionMark[]): string {
  const title = 'TTFT per window (ms)';
  if (!windows.some((w) => w.ttftP50Ms !== null)) return emptyChart(title, 'no TTFT samples');
  const x = xScale(windows[windows.length - 1].endMs / 1000);
  const data = Math.max(...windows.map((w) => w.ttftP99Ms ?? 0));
  // A worst-case bound far above the data (max 2 s over 200 ms TTFTs) would flatten the lines: named, not drawn.
  const shown = bounds.filter((b) => !b.worst || b.value <= data * 3);
  const off = bounds.filter((b) => !shown.includes(b));
  const y = yScale(Math.max(data, ...shown.map((b) => b.value)) * 1.05);
  const body =
    polyline(windows.map((w) => [mid(w), w.ttftP50Ms]), x, y, COLORS.p50, 'class="ttft-p50"') +
    polyline(windows.map((w) => [mid(w), w.ttftP99Ms]), x, y, COLORS.p99, 'class="ttft-p99"') +
    shown.map((b) => hMarker(b.value, y, b.label, COLORS.slo, 'mark-slo')).join('') +
    (off.length ? `<text class="off-axis" x="${x.px(x.max) - 2}" y="${CHART.top + 12}" text-anchor="end" font-size="10" fill="${COLORS.slo}">${escapeXml(`${off.map((b) => b.label).join(', ')}: beyond the axis`)}</text>` : '');
  return frame({ title, xTitle: 'seconds since the first request', yTitle: 'ms', x, y, body, legend: [{ name: 'p50', color: COLORS.p50 }, { name: 'p99', color: COLORS.p99 }] });
}

/** One figure per window as a line. */
function seriesChart(title: string, yTitle: string, windows: readonly TimeWindow[], value: (w: TimeWindow) => number, cls: string): string {
  if (windows.length === 0) return emptyChart(title, 'no requests');
  const x = xScale(windows[windows.length - 1].endMs / 1000);
  const y = yScale(Math.max(...windows.map(value)) * 1.05);
  return frame({ title, xTitle: 'seconds since the first request', yTitle, x, y, body: polyline(windows.map((w) => [mid(w), value(w)]), x, y, COLORS.line, `class="${cls}"`) });
}

/** Output tokens per second per window. */
export function throughputOverTime(windows: readonly TimeWindow[]): string {
  return seriesChart('Output tokens/s per window', 'tokens/s', windows, (w) => w.outputTokensPerSecond, 'throughput');
}

/** Mean requests in flight per window. */
export function inFlightOverTime(windows: readonly TimeWindow[]): string {
  return seriesChart('Requests in flight (mean per window)', 'requests', windows, (w) => w.inFlight, 'in-flight');
}

/** Failed requests per window, stacked by error kind. */
export function errorsOverTime(windows: readonly TimeWindow[]): string {
  const title = 'Errors per window, by kind';
  const kinds = [...new Set(windows.flatMap((w) => Object.keys(w.errors)))].sort();
  if (kinds.length === 0) return emptyChart(title, 'no errors');
  const x = xScale(windows[windows.length - 1].endMs / 1000);
  const y = yScale(Math.max(...windows.map((w) => Object.values(w.errors).reduce((a, b) => a + b, 0))), undefined, true);
  const bars: string[] = [];
  for (const w of windows) {
    let base = 0;
    const x0 = x.px(w.startMs / 1000);
    const x1 = x.px(w.endMs / 1000);
    for (const k of kinds) {
      const n = w.errors[k] ?? 0;
      if (n === 0) continue;
      const top = y.px(base + n);
      bars.push(`<rect class="err-${k}" x="${x0.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(0.5, x1 - x0 - 1).toFixed(1)}" height="${(y.px(base) - top).toFixed(1)}" fill="${ERROR_COLORS[k] ?? '#999'}"/>`);
      base += n;
    }
  }
  return frame({ title, xTitle: 'seconds since the first request', yTitle: 'failed requests', x, y, body: bars.join(''), legend: kinds.map((k) => ({ name: k, color: ERROR_COLORS[k] ?? '#999' })) });
}
