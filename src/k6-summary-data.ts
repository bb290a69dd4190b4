// k6's end-of-test data as handleSummary receives it (the part the reports
// read), and the percentiles of one Trend in it. A leaf: the drivers that
// declare a handleSummary and every report (the run's, the cold-start
// section, the ramp's) read k6's data through these types.

/** The part of k6's handleSummary data the reports read. */
export interface K6SummaryData {
  /** k6's metrics by name, sub-metrics as `name{tag:value}`. */
  metrics: Record<string, K6Metric | undefined>;
  /** The run's state: its length (ms). */
  state?: { testRunDurationMs?: number };
  /** Read from k6's machine-readable summary (k6-summary-shapes.ts): the figures it could not carry, as one warning. */
  missing?: string;
}

/** One metric in k6's summary data. */
export interface K6Metric {
  type: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** Percentiles of one time (or rate) metric. */
export interface Percentiles {
  count: number;
  avg: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The percentiles of a k6 Trend, or null when it has no samples. A figure
 * k6's data did not carry is NaN (the machine-readable summary has no p99
 * and no count: a trend it lists had samples, how many it does not say).
 */
export function percentiles(metric: K6Metric | undefined): Percentiles | null {
  if (!metric || metric.type !== 'trend') return null;
  const v = metric.values;
  if (v.count === 0 || (v.count === undefined && v.med === undefined)) return null;
  return {
    count: v.count ?? NaN,
    avg: v.avg ?? NaN,
    min: v.min ?? NaN,
    p50: v.med ?? NaN,
    p90: v['p(90)'] ?? NaN,
    p95: v['p(95)'] ?? NaN,
    p99: v['p(99)'] ?? NaN,
    max: v.max ?? NaN,
  };
}
