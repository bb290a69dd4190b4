// Small building blocks of the report's inline SVG charts: a plot frame with
// round axes, a polyline with gaps, vertical and horizontal markers. No
// scripts, fonts or links: the page works offline and opens anywhere. Pure.

import { escapeXml, formatTick, niceScale } from '../ramp/charts.ts';

export { escapeXml, formatTick, niceScale };

/** Default chart size (px). */
export const CHART = { width: 560, height: 260, left: 62, right: 16, top: 40, bottom: 44 };
/** Colors shared by every chart. */
export const COLORS = {
  p50: '#1f77b4',
  p95: '#ff7f0e',
  p99: '#d62728',
  slo: '#2ca02c',
  bar: '#6baed6',
  line: '#1f77b4',
  grid: '#e5e5e5',
  axis: '#444',
  muted: '#888',
};
/** One color per run or series, in order. */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
/** One color per error kind. */
export const ERROR_COLORS: Record<string, string> = {
  http_429: '#ff7f0e',
  http_4xx: '#bcbd22',
  http_5xx: '#d62728',
  http_other: '#8c564b',
  timeout: '#9467bd',
  stall: '#e377c2',
  connect: '#7f7f7f',
  request: '#17becf',
  truncated: '#1f77b4',
  malformed: '#393b79',
  stream_error: '#843c39',
  empty: '#637939',
  meter: '#000000',
};

const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/** A linear map from data to pixels. */
export interface Scale {
  min: number;
  max: number;
  step: number;
  px(value: number): number;
}

/** The x scale of a chart for values in [0, max]. */
export function xScale(max: number, width = CHART.width): Scale {
  const nice = niceScale(max);
  const span = width - CHART.left - CHART.right;
  return { min: 0, max: nice.max, step: nice.step, px: (v) => CHART.left + (Math.min(Math.max(v, 0), nice.max) / nice.max) * span };
}

/** The y scale of a chart for values in [0, max]; `counts` keeps ticks on whole numbers. */
export function yScale(max: number, height = CHART.height, counts = false): Scale {
  const nice = counts && max <= 5 ? { max: Math.max(1, Math.ceil(max)), step: 1 } : niceScale(max);
  const span = height - CHART.top - CHART.bottom;
  return { min: 0, max: nice.max, step: nice.step, px: (v) => height - CHART.bottom - (Math.min(Math.max(v, 0), nice.max) / nice.max) * span };
}

/** A number with at most `digits` decimals, trailing zeros dropped. */
export function fmt(n: number, digits = 1): string {
  return String(Math.round(n * 10 ** digits) / 10 ** digits);
}

/** The chart's frame: title, grid, ticks and axis titles; `body` is drawn inside. */
export function frame(o: { title: string; xTitle: string; yTitle: string; x: Scale; y: Scale; body: string; legend?: { name: string; color: string }[]; width?: number; height?: number; yTicks?: (v: number) => string; xLabels?: { value: number; text: string }[] }): string {
  const width = o.width ?? CHART.width;
  const height = o.height ?? CHART.height;
  const bottom = height - CHART.bottom;
  const parts: string[] = [];
  for (let v = 0; v <= o.y.max + 1e-9; v += o.y.step) {
    const y = o.y.px(v).toFixed(1);
    parts.push(`<line x1="${CHART.left}" x2="${width - CHART.right}" y1="${y}" y2="${y}" stroke="${COLORS.grid}"/>`);
    parts.push(`<text x="${CHART.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="${COLORS.axis}">${escapeXml(o.yTicks ? o.yTicks(v) : formatTick(v))}</text>`);
  }
  const xTicks = o.xLabels ?? Array.from({ length: Math.floor(o.x.max / o.x.step + 1e-9) + 1 }, (_, i) => ({ value: i * o.x.step, text: formatTick(i * o.x.step) }));
  for (const t of xTicks) {
    const x = o.x.px(t.value).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 4}" stroke="${COLORS.axis}"/>`);
    parts.push(`<text x="${x}" y="${bottom + 16}" text-anchor="middle" font-size="11" fill="${COLORS.axis}">${escapeXml(t.text)}</text>`);
  }
  parts.push(`<line x1="${CHART.left}" x2="${width - CHART.right}" y1="${bottom}" y2="${bottom}" stroke="${COLORS.axis}"/>`);
  parts.push(`<line x1="${CHART.left}" x2="${CHART.left}" y1="${CHART.top}" y2="${bottom}" stroke="${COLORS.axis}"/>`);
  // Legend entries side by side, each as wide as its name (about 6 px a character at 11 px), wrapping to a new row.
  let lx = 0;
  let ly = 0;
  const legend = (o.legend ?? [])
    .map((l) => {
      const w = 24 + l.name.length * 6;
      if (lx > 0 && CHART.left + lx + w > width - CHART.right) {
        lx = 0;
        ly += 13;
      }
      const g = `<g transform="translate(${CHART.left + lx},${CHART.top - 12 + ly})"><rect width="10" height="10" y="-9" fill="${l.color}"/><text x="14" font-size="11" fill="${COLORS.axis}">${escapeXml(l.name)}</text></g>`;
      lx += w;
      return g;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} role="img" aria-label="${escapeXml(o.title)}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<text x="${CHART.left}" y="16" font-size="13" font-weight="bold" fill="#222">${escapeXml(o.title)}</text>` +
    parts.join('') +
    o.body +
    legend +
    `<text x="${(CHART.left + width - CHART.right) / 2}" y="${height - 6}" text-anchor="middle" font-size="11" fill="${COLORS.axis}">${escapeXml(o.xTitle)}</text>` +
    `<text transform="translate(13,${(CHART.top + bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="11" fill="${COLORS.axis}">${escapeXml(o.yTitle)}</text>` +
    `</svg>`
  );
}

/** A polyline through (x, y) points; a null y breaks the line. */
export function polyline(points: [number, number | null][], x: Scale, y: Scale, color: string, attrs = ''): string {
  const runs: string[][] = [[]];
  for (const [px, py] of points) {
    if (py === null || !Number.isFinite(py)) {
      if (runs[runs.length - 1].length) runs.push([]);
      continue;
    }
    runs[runs.length - 1].push(`${x.px(px).toFixed(1)},${y.px(py).toFixed(1)}`);
  }
  return runs
    .filter((r) => r.length > 0)
    .map((r) => (r.length === 1 ? `<circle cx="${r[0].split(',')[0]}" cy="${r[0].split(',')[1]}" r="2.5" fill="${color}"/>` : `<polyline points="${r.join(' ')}" fill="none" stroke="${color}" stroke-width="1.8" ${attrs}/>`))
    .join('');
}

/** A vertical marker at data x, labelled at the top; `cls` names it for tests and styles. */
export function vMarker(value: number, x: Scale, label: string, color: string, cls: string, height = CHART.height, dashed = false): string {
  const px = x.px(value).toFixed(1);
  return (
    `<g class="${cls}" data-value="${fmt(value, 3)}"><line x1="${px}" x2="${px}" y1="${CHART.top}" y2="${height - CHART.bottom}" stroke="${color}" stroke-width="1.5"${dashed ? ' stroke-dasharray="5 3"' : ''}/>` +
    `<text x="${px}" y="${CHART.top - 2}" text-anchor="middle" font-size="10" fill="${color}">${escapeXml(label)}</text></g>`
  );
}

/** Vertical markers with their labels stacked where they would overlap, inside the plot near its bottom. */
export function vMarkers(marks: readonly { value: number; label: string; color: string; cls: string; dashed?: boolean }[], x: Scale, height = CHART.height): string {
  const sorted = [...marks].sort((a, b) => a.value - b.value);
  const rows: number[] = [];
  let lastPx = -Infinity;
  let row = -1;
  for (const m of sorted) {
    const px = x.px(m.value);
    row = px - lastPx < 56 ? row + 1 : 0;
    rows.push(row);
    lastPx = row === 0 ? px : lastPx;
  }
  return sorted
    .map((m, i) => {
      const px = x.px(m.value).toFixed(1);
      const ly = height - CHART.bottom - 8 - rows[i] * 13;
      return (
        `<g class="${m.cls}" data-value="${fmt(m.value, 3)}"><line x1="${px}" x2="${px}" y1="${CHART.top}" y2="${height - CHART.bottom}" stroke="${m.color}" stroke-width="1.5"${m.dashed ? ' stroke-dasharray="5 3"' : ''}/>` +
        `<text x="${(Number(px) + 3).toFixed(1)}" y="${ly}" font-size="10" fill="${m.color}" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeXml(m.label)}</text></g>`
      );
    })
    .join('');
}

/** A horizontal marker at data y, labelled at the right. */
export function hMarker(value: number, y: Scale, label: string, color: string, cls: string, width = CHART.width): string {
  const py = y.px(value).toFixed(1);
  return (
    `<g class="${cls}" data-value="${fmt(value, 3)}"><line x1="${CHART.left}" x2="${width - CHART.right}" y1="${py}" y2="${py}" stroke="${color}" stroke-width="1.5" stroke-dasharray="5 3"/>` +
    `<text x="${width - CHART.right - 2}" y="${Number(py) - 3}" text-anchor="end" font-size="10" fill="${color}">${escapeXml(label)}</text></g>`
  );
}

/** A chart with nothing to draw: its title and a note, no axes. */
export function emptyChart(title: string, note: string): string {
  const { width, height } = CHART;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} role="img" aria-label="${escapeXml(title)}">` +
    `<rect width="${width}" height="${height}" fill="#fff" stroke="${COLORS.grid}"/>` +
    `<text x="${CHART.left}" y="16" font-size="13" font-weight="bold" fill="#222">${escapeXml(title)}</text>` +
    `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="13" fill="${COLORS.muted}">${escapeXml(note)}</text></svg>`
  );
}
