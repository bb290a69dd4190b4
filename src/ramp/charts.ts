// Self-contained SVG charts of a ramp (no scripts, fonts or links): aggregate
// throughput, per-request token rate and TTFT percentiles against the load
// level, with the saturation point and the SLO limit marked and the levels
// past the SLO limit shaded, so the knee shows at a glance. Pure strings.

import type { RampReport } from './ramp-report.ts';

/** One line on a panel; null values leave a gap. */
export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

/** A horizontal reference line, e.g. an SLO bound. */
export interface ReferenceLine {
  value: number;
  label: string;
  color: string;
}

/** One chart panel: a title, a y axis and its lines. */
export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
  references?: ReferenceLine[];
}

/** What the x axis shows and which levels are marked. Indices are into the levels. */
export interface Axis {
  labels: string[];
  title: string;
  saturation: number | null;
  sloLimit: number | null;
  /** Levels from this index on broke an SLO (shaded). */
  sloBrokenFrom: number | null;
  /** Levels not measured (the run stopped first): labelled "not run". */
  notRun: boolean[];
}

const WIDTH = 760;
const PANEL_HEIGHT = 290;
const M = { left: 72, right: 24, top: 64, bottom: 58 };
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const COLORS = {
  throughput: '#1f77b4',
  perRequest: '#17becf',
  p50: '#1f77b4',
  p95: '#ff7f0e',
  p99: '#d62728',
  saturation: '#7b3294',
  sloLimit: '#2ca02c',
  broken: '#d62728',
  grid: '#e5e5e5',
  axis: '#444',
  text: '#222',
  muted: '#888',
};

/** Escapes text for SVG and HTML. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round axis maximum and step for values up to `max` (about 5 ticks). */
export function niceScale(max: number): { max: number; step: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, step: 0.2 };
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

/** A tick label: whole numbers plain, large ones in k, small ones with up to 2 decimals. */
export function formatTick(n: number): string {
  if (Math.abs(n) >= 10_000) return `${Math.round(n / 100) / 10}k`;
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}

function r1(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Renders one panel at vertical offset `top` of the image. */
export function renderPanel(panel: Panel, axis: Axis, top: number): string {
  const x0 = M.left;
  const x1 = WIDTH - M.right;
  const y0 = top + M.top;
  const y1 = top + PANEL_HEIGHT - M.bottom;
  const n = axis.labels.length;
  const slot = (x1 - x0) / Math.max(1, n);
  const xAt = (i: number): number => x0 + slot * (i + 0.5);
  const all = panel.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  for (const ref of panel.references ?? []) all.push(ref.value);
  const { max, step } = niceScale(Math.max(0, ...all) * 1.05);
  const yAt = (v: number): number => y1 - (v / max) * (y1 - y0);
  const out: string[] = [];

  out.push(`<text x="${x0}" y="${top + 24}" font-size="15" font-weight="bold" fill="${COLORS.text}">${escapeXml(panel.title)}</text>`);
  // The region past the SLO limit, shaded first so everything else draws over it.
  if (axis.sloBrokenFrom !== null && axis.sloBrokenFrom < n) {
    const from = x0 + slot * axis.sloBrokenFrom;
    out.push(`<rect x="${r1(from)}" y="${y0}" width="${r1(x1 - from)}" height="${y1 - y0}" fill="${COLORS.broken}" fill-opacity="0.07"/>`);
    out.push(
      `<text x="${r1(x1 - 6)}" y="${y0 + 14}" font-size="11" text-anchor="end" fill="${COLORS.broken}">SLO broken</text>`,
    );
  }
  for (let v = 0; v <= max + step / 2; v += step) {
    const y = r1(yAt(v));
    out.push(`<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="${COLORS.grid}"/>`);
    out.push(`<text x="${x0 - 8}" y="${y}" dy="4" font-size="12" text-anchor="end" fill="${COLORS.axis}">${formatTick(v)}</text>`);
  }
  out.push(`<line x1="${x0}" y1="${y1}" x2="${x1}" y2="${y1}" stroke="${COLORS.axis}"/>`);
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="${COLORS.axis}"/>`);
  for (let i = 0; i < n; i++) {
    const x = r1(xAt(i));
    const color = axis.notRun[i] ? COLORS.muted : COLORS.axis;
    out.push(`<line x1="${x}" y1="${y1}" x2="${x}" y2="${y1 + 5}" stroke="${COLORS.axis}"/>`);
    out.push(`<text x="${x}" y="${y1 + 19}" font-size="12" text-anchor="middle" fill="${color}">${escapeXml(axis.labels[i] as string)}</text>`);
    if (axis.notRun[i]) out.push(`<text x="${x}" y="${y1 + 32}" font-size="10" text-anchor="middle" fill="${COLORS.muted}">not run</text>`);
  }
  out.push(
    `<text x="${r1((x0 + x1) / 2)}" y="${top + PANEL_HEIGHT - 12}" font-size="12" text-anchor="middle" fill="${COLORS.axis}">${escapeXml(axis.title)}</text>`,
  );
  out.push(
    `<text transform="translate(${16} ${r1((y0 + y1) / 2)}) rotate(-90)" font-size="12" text-anchor="middle" fill="${COLORS.axis}">${escapeXml(panel.yLabel)}</text>`,
  );
  // A reference line close below another gets its label at the other end, under the line: labels never overlap.
  const refs = [...(panel.references ?? [])].sort((a, b) => b.value - a.value);
  let previousY = -Infinity;
  let right = true;
  for (const ref of refs) {
    const y = yAt(ref.value);
    right = y - previousY < 14 ? !right : false;
    previousY = y;
    out.push(`<line x1="${x0}" y1="${r1(y)}" x2="${x1}" y2="${r1(y)}" stroke="${ref.color}" stroke-width="1.5" stroke-dasharray="2 3"/>`);
    out.push(
      `<text x="${right ? x1 - 6 : x0 + 6}" y="${r1(y)}" dy="${right ? 12 : -4}" font-size="11" text-anchor="${right ? 'end' : 'start'}" fill="${ref.color}">${escapeXml(ref.label)}</text>`,
    );
  }
  // Markers: vertical lines with their labels on two rows, so they never overlap.
  const markers: Array<[number | null, string, string, number]> = [
    [axis.saturation, `saturation ${axis.saturation === null ? '' : axis.labels[axis.saturation]}`, COLORS.saturation, 0],
    [axis.sloLimit, `SLO limit ${axis.sloLimit === null ? '' : axis.labels[axis.sloLimit]}`, COLORS.sloLimit, 1],
  ];
  for (const [index, label, color, row] of markers) {
    if (index === null) continue;
    const x = xAt(index);
    const right = x + 150 < x1;
    const ly = y0 - 22 + row * 14;
    out.push(`<line x1="${r1(x)}" y1="${ly + 3}" x2="${r1(x)}" y2="${y1}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    out.push(
      `<text x="${r1(x + (right ? 5 : -5))}" y="${ly}" font-size="12" font-weight="bold" text-anchor="${right ? 'start' : 'end'}" fill="${color}">${escapeXml(label)}</text>`,
    );
  }
  for (const s of panel.series) {
    let path = '';
    let pen = false;
    for (let i = 0; i < n; i++) {
      const v = s.values[i];
      if (v === null || v === undefined || !Number.isFinite(v)) {
        pen = false;
        continue;
      }
      path += `${pen ? 'L' : 'M'}${r1(xAt(i))} ${r1(yAt(v))}`;
      pen = true;
    }
    if (path) out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2.5" stroke-linejoin="round"/>`);
    for (let i = 0; i < n; i++) {
      const v = s.values[i];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      out.push(`<circle cx="${r1(xAt(i))}" cy="${r1(yAt(v))}" r="3.5" fill="#fff" stroke="${s.color}" stroke-width="2"><title>${escapeXml(`${s.name} at ${axis.labels[i]}: ${formatTick(v)}`)}</title></circle>`);
    }
  }
  // Legend, top right, one entry per series.
  let lx = x1;
  for (const s of [...panel.series].reverse()) {
    // Text width estimated at 7 px a character (12 px Helvetica averages less): never overlaps.
    const w = 34 + s.name.length * 7;
    lx -= w;
    out.push(`<line x1="${r1(lx)}" y1="${top + 20}" x2="${r1(lx + 18)}" y2="${top + 20}" stroke="${s.color}" stroke-width="3"/>`);
    out.push(`<text x="${r1(lx + 22)}" y="${top + 24}" font-size="12" fill="${COLORS.text}">${escapeXml(s.name)}</text>`);
  }
  return out.join('\n');
}

/** A whole SVG image of panels stacked vertically, with an optional heading. */
export function renderSvg(panels: Panel[], axis: Axis, heading: string | null): string {
  const head = heading ? 34 : 0;
  const height = head + panels.length * PANEL_HEIGHT;
  const body = panels.map((p, i) => renderPanel(p, axis, head + i * PANEL_HEIGHT)).join('\n');
  const title = heading ? `<text x="${M.left}" y="24" font-size="17" font-weight="bold" fill="${COLORS.text}">${escapeXml(heading)}</text>\n` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT}>\n` +
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>\n${title}${body}\n</svg>\n`
  );
}

/** The x axis of a ramp report. */
export function rampAxis(report: RampReport): Axis {
  const indexOf = (level: number | null): number | null => {
    if (level === null) return null;
    const i = report.levels.findIndex((l) => l.level === level);
    return i < 0 ? null : i;
  };
  return {
    labels: report.levels.map((l) => String(l.level)),
    title: report.rampBy === 'concurrency' ? 'load level: concurrent streams' : 'load level: arrival rate (requests/s)',
    saturation: indexOf(report.saturationPoint.level),
    sloLimit: indexOf(report.sloLimit.level),
    sloBrokenFrom: indexOf(report.sloLimit.firstFailingLevel),
    notRun: report.levels.map((l) => !l.complete || l.requests === 0),
  };
}

/** The three panels of a ramp report. */
export function rampPanels(report: RampReport): { throughput: Panel; tokenRate: Panel; ttft: Panel } {
  const usable = (l: RampReport['levels'][number]): boolean => l.complete && l.requests > 0;
  const pick = (f: (l: RampReport['levels'][number]) => number | null | undefined): (number | null)[] =>
    report.levels.map((l) => (usable(l) ? (f(l) ?? null) : null));
  const references: ReferenceLine[] = Object.entries(report.ttftSloBounds).map(([agg, ms]) => ({
    value: ms,
    label: `SLO: TTFT ${agg} < ${formatTick(ms)} ms`,
    color: agg === 'p(99)' ? COLORS.p99 : agg === 'p(95)' ? COLORS.p95 : '#555',
  }));
  return {
    throughput: {
      title: 'Aggregate output throughput',
      yLabel: 'output tokens/s',
      series: [{ name: 'output tokens/s', color: COLORS.throughput, values: pick((l) => l.outputTokensPerSecond) }],
    },
    tokenRate: {
      title: 'Per-request token rate (median)',
      yLabel: 'tokens/s per request',
      series: [{ name: 'tokens/s per request (p50)', color: COLORS.perRequest, values: pick((l) => l.perRequestTokensPerSecondP50) }],
    },
    ttft: {
      title: 'Time to first token',
      yLabel: 'TTFT (ms)',
      series: [
        { name: 'p50', color: COLORS.p50, values: pick((l) => l.ttftMs?.p50) },
        { name: 'p95', color: COLORS.p95, values: pick((l) => l.ttftMs?.p95) },
        { name: 'p99', color: COLORS.p99, values: pick((l) => l.ttftMs?.p99) },
      ],
      references,
    },
  };
}

/** The chart files of a ramp: one per figure and an overview with all three. */
export function rampCharts(report: RampReport): Record<'overview' | 'throughput' | 'tokenRate' | 'ttft', string> {
  const axis = rampAxis(report);
  const panels = rampPanels(report);
  const heading = `Ramp by ${report.rampBy}: ${report.levels.map((l) => l.level).join(', ')} ${report.unit}`;
  return {
    overview: renderSvg([panels.throughput, panels.ttft, panels.tokenRate], axis, heading),
    throughput: renderSvg([panels.throughput], axis, null),
    tokenRate: renderSvg([panels.tokenRate], axis, null),
    ttft: renderSvg([panels.ttft], axis, null),
  };
}
