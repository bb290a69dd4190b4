// k6 hands handleSummary one of two shapes; this reads either into the
// classic one the reports use (k6-summary-data.ts).
//   - Classic: `metrics` by name, sub-metrics (`llm_ttft{workload:chat}`)
//     and threshold verdicts included, trend statistics as summaryTrendStats
//     asks. Every k6 v1.x and v2.x by default.
//   - Machine-readable: k6 v1.5 and later with --new-machine-readable-summary
//     or K6_NEW_MACHINE_READABLE_SUMMARY=true ("will become the default",
//     say k6's v1.5.0 release notes). Schema 1.0.0 of grafana/k6-summary,
//     built by k6's internal/lib/summary/machine_readable.go: `version`,
//     `metadata`, `config.duration` in seconds and `results.metrics`, a list
//     of the top-level metrics that had samples. A trend there has avg, min,
//     med, max, p90 and p95 only (no p99, no count); there are no
//     sub-metrics and no thresholds, so those figures cannot be had from it,
//     and the report says so (`missing`).

import type { K6Metric, K6SummaryData } from './k6-summary-data.ts';
import { workloadKey } from './measure/metric-key.ts';

/** One metric of the machine-readable summary (`results.metrics[]`). */
interface MachineReadableMetric {
  name: string;
  type: string;
  contains?: string;
  values: Record<string, number | null | undefined>;
}

/** The part of the machine-readable summary read here. */
interface MachineReadableSummary {
  version: string;
  config: { duration: number };
  results: { metrics: MachineReadableMetric[] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether k6 handed the machine-readable summary (its schema's `version` and `results.metrics`). */
export function isMachineReadableSummary(raw: unknown): raw is MachineReadableSummary {
  return isRecord(raw) && typeof raw.version === 'string' && isRecord(raw.results) && Array.isArray(raw.results.metrics);
}

/** A number, or undefined for what the summary did not carry (k6 leaves a trend statistic it lacks null). */
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** One machine-readable metric's values under the classic names: `p90` → `p(90)`, a rate's matches and total → passes and fails. */
function classicValues(m: MachineReadableMetric): Record<string, number> {
  const v = m.values;
  const named: Record<string, number | undefined> =
    m.type === 'trend'
      ? { avg: num(v.avg), min: num(v.min), med: num(v.med), max: num(v.max), 'p(90)': num(v.p90), 'p(95)': num(v.p95) }
      : m.type === 'rate'
        ? { rate: num(v.rate), passes: num(v.matches), fails: num(v.total) !== undefined && num(v.matches) !== undefined ? (v.total as number) - (v.matches as number) : undefined }
        : m.type === 'gauge'
          ? { value: num(v.value), min: num(v.min), max: num(v.max) }
          : { count: num(v.count) };
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(named)) if (n !== undefined) out[k] = n;
  return out;
}

/** The warning a report built from the machine-readable summary carries: what it lacks, and how to get it. */
export function machineReadableGaps(errors: number): string {
  return (
    'k6 handed handleSummary its machine-readable summary (K6_NEW_MACHINE_READABLE_SUMMARY): it carries no p99 and no sample counts of ' +
    `latencies, no errors by kind (${errors} errors in all), no sub-metrics (estimated tokens, probes, ramp levels, each workload of a ` +
    "mixed run) and no threshold verdicts (k6's exit code still judges them), so those figures are missing from this report; " +
    'run k6 without K6_NEW_MACHINE_READABLE_SUMMARY (npx k6-llm run does) for all of them'
  );
}

/**
 * The classic shape of a machine-readable summary. A run of one workload
 * tags every llm_* sample with it, so its metrics are also that workload's
 * sub-metrics (`llm_ttft{workload:chat}`); with several workloads, no
 * per-workload figure can be had.
 */
export function fromMachineReadable(summary: MachineReadableSummary, workloads: readonly string[]): K6SummaryData {
  const metrics: Record<string, K6Metric> = {};
  for (const m of summary.results.metrics) {
    if (!isRecord(m) || typeof m.name !== 'string' || typeof m.type !== 'string' || !isRecord(m.values)) continue;
    const metric: K6Metric = { type: m.type, values: classicValues(m) };
    metrics[m.name] = metric;
    if (workloads.length === 1 && m.name.startsWith('llm_')) metrics[workloadKey(m.name, workloads[0] as string)] = metric;
  }
  const seconds = num(summary.config?.duration);
  return {
    metrics,
    ...(seconds === undefined ? {} : { state: { testRunDurationMs: seconds * 1000 } }),
    missing: machineReadableGaps(metrics.llm_errors?.values.count ?? 0),
  };
}

/** What handleSummary was given, in one line for an error. */
function described(raw: unknown): string {
  if (!isRecord(raw)) return raw === null ? 'null' : typeof raw;
  const keys = Object.keys(raw);
  return keys.length === 0 ? 'an empty object' : `an object with ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
}

/**
 * k6's handleSummary data in the classic shape: as it is when it is
 * classic, converted when it is machine-readable; anything else is refused
 * with one line (handleSummary then fails, and the CLI says no report was
 * written).
 */
export function classicSummaryData(raw: unknown, workloads: readonly string[]): K6SummaryData {
  if (isMachineReadableSummary(raw)) return fromMachineReadable(raw, workloads);
  if (isRecord(raw) && isRecord(raw.metrics)) return raw as unknown as K6SummaryData;
  throw new Error(
    `invalid handleSummary data; expected k6's end-of-test summary (classic: "metrics" by name; machine-readable: "version" and "results.metrics"), got ${described(raw)}`,
  );
}

/** `handler` taking k6's handleSummary data of either shape for a run of `workloads` (see classicSummaryData). */
export function eitherSummaryShape<T>(workloads: readonly string[], handler: (data: K6SummaryData) => T): (raw: unknown) => T {
  return (raw: unknown) => handler(classicSummaryData(raw, workloads));
}
