// Distribution charts: a CDF (one line per series, percentile markers and
// SLO bounds drawn as vertical lines) and a histogram. Pure SVG strings.

import { quantileSorted } from '../measure/quantile.ts';
import { COLORS, emptyChart, escapeXml, fmt, frame, polyline, vMarkers, xScale, yScale } from './svg.ts';

/** A vertical line on a distribution: a percentile or an SLO bound (ms). */
export interface DistributionMark {
  value: number;
  label: string;
  /** p50 | p95 | p99 | slo: class name `mark-<kind>` in the SVG. */
  kind: 'p50' | 'p95' | 'p99' | 'slo';
  /** A worst-case bound (`max<=2000`): left off the axis when far beyond the data. */
  worst?: boolean;
}

const MARK_COLORS = { p50: COLORS.p50, p95: COLORS.p95, p99: COLORS.p99, slo: COLORS.slo };

/** One distribution: its samples (any order). */
export interface DistributionSeries {
  name: string;
  color: string;
  values: readonly number[];
}

/**
 * The x range a distribution chart shows: up to p99.9 of the samples and the
 * marks, with room; a worst-case bound more than 3 times beyond the data
 * (max 2 s over TTFTs of 200 ms) would squash the distribution, so it is
 * left off the axis and named in a note instead. Percentile bounds are
 * always drawn: the headroom to them is the point.
 */
export function distributionRange(series: readonly DistributionSeries[], marks: readonly DistributionMark[]): { max: number; shown: DistributionMark[]; offAxis: DistributionMark[] } {
  let data = 0;
  for (const s of series) {
    const sorted = [...s.values].sort((a, b) => a - b);
    if (sorted.length) data = Math.max(data, quantileSorted(sorted, 0.999));
  }
  const shown = marks.filter((m) => !m.worst || data === 0 || m.value <= data * 3);
  const offAxis = marks.filter((m) => !shown.includes(m));
  return { max: Math.max(data, ...shown.map((m) => m.value)) * 1.05, shown, offAxis };
}

/** The markers of a distribution chart, and a note naming bounds beyond its axis. */
export function markSvg(marks: readonly DistributionMark[], offAxis: readonly DistributionMark[], x: ReturnType<typeof xScale>): string {
  const note = offAxis.length
    ? `<text class="off-axis" x="${x.px(x.max) - 2}" y="${CHART_TOP + 12}" text-anchor="end" font-size="10" fill="${COLORS.slo}">${escapeXml(`${offAxis.map((m) => m.label).join(', ')}: beyond the axis`)}</text>`
    : '';
  return vMarkers(marks.map((m) => ({ value: m.value, label: m.label, color: MARK_COLORS[m.kind], cls: `mark-${m.kind}`, dashed: m.kind === 'slo' })), x) + note;
}

const CHART_TOP = 40;

/** The share of samples at or below each x: a step line per series, with marks. */
export function cdfChart(title: string, xTitle: string, series: readonly DistributionSeries[], marks: readonly DistributionMark[] = []): string {
  if (series.every((s) => s.values.length === 0)) return emptyChart(title, 'no samples');
  const range = distributionRange(series, marks);
  const x = xScale(range.max);
  const y = yScale(1);
  const lines = series
    .map((s) => {
      const sorted = [...s.values].sort((a, b) => a - b);
      const pts: [number, number][] = [[sorted[0], 0]];
      // At most ~400 steps: enough for the eye, small for the file.
      const stride = Math.max(1, Math.floor(sorted.length / 400));
      for (let i = 0; i < sorted.length; i += stride) pts.push([sorted[i], (i + 1) / sorted.length]);
      pts.push([sorted[sorted.length - 1], 1]);
      return polyline(pts, x, y, s.color, 'class="cdf"');
    })
    .join('');
  return frame({
    title,
    xTitle,
    yTitle: 'share of requests at or below',
    x,
    y,
    body: lines + markSvg(range.shown, range.offAxis, x),
    legend: series.length > 1 ? series.map((s) => ({ name: s.name, color: s.color })) : undefined,
    yTicks: (v) => `${fmt(v * 100, 0)} %`,
  });
}

/** A histogram of the samples in about 40 bins from 0, with marks. */
export function histogramChart(title: string, xTitle: string, values: readonly number[], marks: readonly DistributionMark[] = []): string {
  if (values.length === 0) return emptyChart(title, 'no samples');
  const range = distributionRange([{ name: '', color: '', values }], marks);
  const x = xScale(range.max);
  const bins = 40;
  const width = x.max / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(v / width)))]++;
  const y = yScale(Math.max(...counts), undefined, true);
  const bars = counts
    .map((c, i) => {
      if (c === 0) return '';
      const x0 = x.px(i * width);
      const x1 = x.px((i + 1) * width);
      const top = y.px(c);
      return `<rect class="bin" x="${x0.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(0.5, x1 - x0 - 1).toFixed(1)}" height="${(y.px(0) - top).toFixed(1)}" fill="${COLORS.bar}"/>`;
    })
    .join('');
  return frame({ title, xTitle, yTitle: 'samples', x, y, body: bars + markSvg(range.shown, range.offAxis, x) });
}
