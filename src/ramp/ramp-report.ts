// Builds the ramp's report (written as ramp.json) from k6's end-of-test data:
// one row per level from that level's steady-state sub-metrics (exact
// percentiles k6 computed from the level's own samples), each level judged
// against the SLO file, then the saturation point, the SLO limit and what the
// stop rule did. Pure: the k6 shell passes the data in.

import type { MetricTags } from '../measure/metric-key.ts';
import { ERROR_KINDS } from '../measure/request-record.ts';
import type { K6Metric, K6SummaryData } from '../k6-summary-data.ts';
import { evaluateSpec, type ExpressionVerdict } from '../thresholds/evaluate.ts';
import { expressionOf, parseExpression, percentileOf, valueOf } from '../thresholds/expression.ts';
import { metricType } from '../thresholds/metric-catalog.ts';
import type { ThresholdSpec } from '../thresholds/threshold-file.ts';
import { findSaturation, findSloLimit } from './detect.ts';
import { droppedKey, levelKey, probeKey, windowKey, type RampPlan, type StopRule } from './plan.ts';

/** Latency percentiles of one level (ms). */
export interface LevelLatency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

/** One row of the per-level table. Rates are per second of the level's steady window. */
export interface LevelRow {
  index: number;
  /** Concurrent streams or requests/s, as in LLM_LEVELS. */
  level: number;
  /** Steady-state seconds measured (shorter than planned when the run stopped during the level). */
  measuredSeconds: number;
  /** The whole steady window ran. */
  complete: boolean;
  /** Requests that ended in the steady window (requests cut by the end of the test excluded). */
  requests: number;
  /** Achieved request rate: requests / measured seconds. */
  requestRate: number | null;
  /** Achieved concurrency: time requests were in flight inside the steady window / its length. */
  achievedConcurrency: number | null;
  /** Output tokens of the requests that ended in the steady window. */
  outputTokens: number;
  /** Aggregate output tokens/s: output tokens that arrived inside the steady window / its length. */
  outputTokensPerSecond: number | null;
  /** Per-request decode speed, median. */
  perRequestTokensPerSecondP50: number | null;
  ttftMs: LevelLatency | null;
  itlP95Ms: number | null;
  e2eP95Ms: number | null;
  successRate: number | null;
  errors: Record<string, number>;
  sloAttainedRate: number | null;
  /** Generator self-check during the level: how late a 10 ms timer woke (p99, ms). */
  generatorLagP99Ms: number | null;
  /** Open model only: arrivals k6 could not start (no free VU). */
  droppedIterations: number | null;
  /** Whether every SLO threshold held at this level (null: none could be judged). */
  sloOk: boolean | null;
  slo: ExpressionVerdict[];
}

/** A named result: the level, its load in both units, and how it was found. */
export interface RampPoint {
  level: number | null;
  /** Concurrent streams: the level (concurrency ramp) or achieved by Little's law (rate ramp). */
  concurrency: number | null;
  /** Requests/s: the level (rate ramp) or achieved (concurrency ramp). */
  rate: number | null;
  outputTokensPerSecond: number | null;
  ttftP95Ms: number | null;
  rule: string;
  reason: string;
}

/** What the stop rule did. */
export interface StopReport {
  rule: string;
  /** The level whose stop rule failed, or null when none did. */
  firedAtLevel: number | null;
  breaches: { level: number; key: string; threshold: string; measured: number | null }[];
  /** Levels that never ran (or were cut short) because the run stopped. */
  skippedLevels: number[];
}

/** ramp.json. */
export interface RampReport {
  tool: 'k6-llm';
  report: 'ramp';
  rampBy: 'concurrency' | 'rate';
  /** Unit of a level value. */
  unit: 'streams' | 'requests/s';
  shape: string;
  thresholdsSource: string | null;
  settings: Record<string, string | number | number[] | null>;
  saturationPoint: RampPoint;
  sloLimit: RampPoint & { firstFailingLevel: number | null; atOrAbove: boolean; brokenBy: string[] };
  stop: StopReport;
  levels: LevelRow[];
  /** SLO bounds on TTFT percentiles, for the charts: aggregation → ms. */
  ttftSloBounds: Record<string, number>;
  testRunDurationMs: number | null;
  warnings: string[];
}

/** The rule texts, as documented in docs/ramp.md. */
export const SATURATION_RULE = (gain: number): string =>
  `first level after which no higher level raises aggregate output tokens/s by ${gain} % or more`;
export const SLO_LIMIT_RULE = 'highest level at which every threshold of the SLO file holds, with every lower level holding too';

/** Options that shape the report without coming from k6's data. */
export interface RampReportInput {
  plan: RampPlan;
  spec: ThresholdSpec | null;
  stopRules: StopRule[];
  saturationGainPct: number;
  shape: string;
  settings: Record<string, string | number | number[] | null>;
  stopRuleText: string;
  generatorLagWarnMs: number;
}

function count(m: K6Metric | undefined): number {
  return m?.values.count ?? 0;
}

function trendValues(m: K6Metric | undefined): Record<string, number> | null {
  return m && m.type === 'trend' && (m.values.count ?? 0) > 0 ? m.values : null;
}

function rateValues(m: K6Metric | undefined): Record<string, number> | null {
  if (!m || m.type !== 'rate') return null;
  const n = (m.values.passes ?? 0) + (m.values.fails ?? 0);
  return n > 0 ? m.values : null;
}

/** One level's row from the k6 data; `runMs` is how long the run lasted (for a stopped run). */
export function levelRow(data: K6SummaryData, plan: RampPlan, index: number, spec: ThresholdSpec | null, runMs: number | null): LevelRow {
  const level = plan.levels[index] as RampPlan['levels'][number];
  const key = (metric: string, more: MetricTags = {}): K6Metric | undefined => data.metrics[levelKey(metric, level.label, more)];
  const end = runMs === null ? level.endMs : Math.min(level.endMs, runMs);
  const seconds = Math.max(0, end - level.steadyStartMs) / 1000;
  const errors: Record<string, number> = {};
  let interrupted = 0;
  for (const kind of ERROR_KINDS) {
    const n = count(key('llm_errors', { error: kind }));
    if (kind === 'interrupted') interrupted = n;
    else if (n > 0) errors[kind] = n;
  }
  const requests = Math.max(0, count(key('llm_requests')) - interrupted);
  const ttft = trendValues(key('llm_ttft'));
  const e2e = trendValues(key('llm_e2e'));
  const perSecond = (n: number): number | null => (seconds > 0 ? n / seconds : null);
  const outputTokens = count(key('llm_output_tokens'));
  const windowTokens = count(data.metrics[windowKey('llm_ramp_window_tokens', level.label)]);
  const successValues = rateValues(key('llm_request_success'));
  const lag = trendValues(data.metrics[probeKey(level.label)]);
  const dropped = plan.by === 'rate' ? count(data.metrics[droppedKey(level.scenario)]) : null;

  const valuesOf = (metric: string): Record<string, number> | null => {
    switch (metricType(metric)) {
      case 'trend':
        return trendValues(key(metric));
      case 'rate':
        return rateValues(key(metric));
      case 'counter': {
        if (!metric.startsWith('llm_')) return null;
        const n = count(key(metric));
        if (!(seconds > 0)) return null;
        // Output tokens/s is the level's throughput, as in the table; other counters: ended in the window.
        return { count: n, rate: metric === 'llm_output_tokens' ? (windowTokens as number) / seconds : n / seconds };
      }
      case 'gauge':
        // The one gauge is TTFT p99/p50, which a level's percentiles give directly.
        return metric === 'llm_ttft_spread' && ttft && (ttft.med ?? 0) > 0 ? { value: (ttft['p(99)'] as number) / (ttft.med as number) } : null;
      default:
        return null;
    }
  };
  const slo = spec ? evaluateSpec(spec, valuesOf) : [];
  const judged = slo.filter((v) => v.ok !== null);
  return {
    index,
    level: level.value,
    measuredSeconds: Math.round(seconds * 1000) / 1000,
    complete: runMs === null || runMs >= level.endMs,
    requests,
    requestRate: perSecond(requests),
    achievedConcurrency: perSecond(count(data.metrics[windowKey('llm_ramp_busy_ms', level.label)]) / 1000),
    outputTokens,
    outputTokensPerSecond: perSecond(windowTokens),
    perRequestTokensPerSecondP50: trendValues(key('llm_output_tokens_per_second'))?.med ?? null,
    ttftMs: ttft
      ? { p50: ttft.med as number, p95: ttft['p(95)'] as number, p99: ttft['p(99)'] as number, max: ttft.max as number, count: ttft.count as number }
      : null,
    itlP95Ms: trendValues(key('llm_itl'))?.['p(95)'] ?? null,
    e2eP95Ms: e2e?.['p(95)'] ?? null,
    successRate: successValues?.rate ?? null,
    errors,
    sloAttainedRate: rateValues(key('llm_slo_attained'))?.rate ?? null,
    generatorLagP99Ms: lag?.['p(99)'] ?? null,
    droppedIterations: dropped,
    sloOk: judged.length === 0 ? null : judged.every((v) => v.ok),
    slo,
  };
}

function point(rows: LevelRow[], index: number | null, by: RampPlan['by'], rule: string, reason: string): RampPoint {
  const row = index === null ? null : (rows[index] as LevelRow);
  return {
    level: row?.level ?? null,
    concurrency: row ? (by === 'concurrency' ? row.level : row.achievedConcurrency) : null,
    rate: row ? (by === 'rate' ? row.level : row.requestRate) : null,
    outputTokensPerSecond: row?.outputTokensPerSecond ?? null,
    ttftP95Ms: row?.ttftMs?.p95 ?? null,
    rule,
    reason,
  };
}

/** The SLO file's bounds on TTFT percentiles (`p(95)<300` → {"p(95)": 300}), drawn on the TTFT chart. */
export function ttftSloBounds(spec: ThresholdSpec | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of spec?.thresholds.llm_ttft ?? []) {
    const parsed = parseExpression(expressionOf(entry));
    if (!parsed || !(parsed.operator === '<' || parsed.operator === '<=')) continue;
    if (percentileOf(parsed.aggregation) !== null || parsed.aggregation === 'med') out[parsed.aggregation] = parsed.bound;
  }
  return out;
}

/** Builds ramp.json from k6's end-of-test data. */
export function buildRampReport(data: K6SummaryData, input: RampReportInput): RampReport {
  const { plan, spec } = input;
  const runMs = data.state?.testRunDurationMs ?? null;
  const rows = plan.levels.map((_, i) => levelRow(data, plan, i, spec, runMs));
  const detection = rows.map((r) => ({
    value: r.level,
    throughput: r.outputTokensPerSecond,
    sloOk: r.sloOk,
    usable: r.complete && r.requests > 0,
  }));
  const saturation = findSaturation(detection, input.saturationGainPct);
  const limit = findSloLimit(detection, spec !== null);
  const warnings = [...limit.warnings];

  const breaches: StopReport['breaches'] = [];
  for (const rule of input.stopRules) {
    const metric = data.metrics[rule.key];
    if (metric?.thresholds?.[rule.threshold]?.ok !== false) continue;
    const level = plan.levels.find((l) => l.label === rule.level);
    const parsed = parseExpression(rule.threshold);
    const measured = parsed ? valueOf(metric.values, parsed.aggregation) : null;
    breaches.push({ level: level?.value ?? Number(rule.level), key: rule.key, threshold: rule.threshold, measured });
  }
  const firedAt = breaches.length > 0 ? Math.min(...breaches.map((b) => b.level)) : null;
  const skipped = rows.filter((r) => !r.complete).map((r) => r.level);
  if (skipped.length > 0 && firedAt === null) warnings.push(`the run ended before levels ${skipped.join(', ')} completed (interrupted?)`);

  for (const r of rows) {
    if (r.complete && r.requests === 0) warnings.push(`level ${r.level}: no request ended in the steady window; lengthen LLM_LEVEL_DURATION`);
    if (r.generatorLagP99Ms !== null && r.generatorLagP99Ms > input.generatorLagWarnMs) {
      warnings.push(
        `level ${r.level}: the load generator was late by up to ${Math.round(r.generatorLagP99Ms)} ms (p99 of its 10 ms timer): its latencies may read high`,
      );
    }
    if (r.droppedIterations) warnings.push(`level ${r.level}: k6 dropped ${r.droppedIterations} arrivals for lack of VUs (raise LLM_RAMP_MAX_VUS)`);
  }

  const failingRow = limit.firstFailing === null ? null : rows[limit.firstFailing];
  const brokenBy = (failingRow?.slo ?? [])
    .filter((v) => v.ok === false)
    .map((v) => `${v.metric} ${v.expression} (measured ${v.measured === null ? '-' : Math.round(v.measured * 1000) / 1000})`);
  return {
    tool: 'k6-llm',
    report: 'ramp',
    rampBy: plan.by,
    unit: plan.by === 'concurrency' ? 'streams' : 'requests/s',
    shape: input.shape,
    thresholdsSource: spec?.source ?? null,
    settings: input.settings,
    saturationPoint: point(rows, saturation.index, plan.by, SATURATION_RULE(input.saturationGainPct), saturation.reason),
    sloLimit: {
      ...point(rows, limit.index, plan.by, SLO_LIMIT_RULE, limit.reason),
      firstFailingLevel: failingRow?.level ?? null,
      atOrAbove: limit.atOrAbove,
      brokenBy: brokenBy,
    },
    stop: { rule: input.stopRuleText, firedAtLevel: firedAt, breaches, skippedLevels: skipped },
    levels: rows,
    ttftSloBounds: ttftSloBounds(spec),
    testRunDurationMs: runMs,
    warnings,
  };
}
