// The ramp's per-level report (ramp.json) of several instances. Each
// instance ran its share of every level on its own clock, and the meter's
// record of each request names its level and when it started in it (ctx.l,
// ctx.le: src/k6/drivers/ramp.ts), so every request is placed in its level's
// phases as one k6 process places it (by its end, levelPhaseAt) and adds its
// share of the level's steady window (windowShare). The level rows are then
// built by the ramp's own report builder from those merged figures: exact
// percentiles over every instance's steady-window samples. What only k6
// measured per level is combined from the instances' ramp.json: the
// generator's timer lag (the largest instance p99) and dropped arrivals (the
// sum). Pure.

import type { K6Metric, K6SummaryData } from '../k6-summary-data.ts';
import type { RequestRecord } from '../measure/request-record.ts';
import { stopRules } from '../ramp/options.ts';
import { droppedKey, levelKey, levelPhaseAt, probeKey, rampPlan, windowKey, windowShare, type RampPlan } from '../ramp/plan.ts';
import { buildRampReport, type RampReport } from '../ramp/ramp-report.ts';
import { compare, parseExpression, percentileOf, valueOf } from '../thresholds/expression.ts';
import { percentilesUsed, type PerRequestBounds, type ThresholdSpec } from '../thresholds/threshold-file.ts';
import { counterMetric, maxOf, putFigureMetrics } from './merged-data.ts';
import { WorkloadFigures } from './workload-figures.ts';

/** One level's merged figures: its steady-window requests, and every request's share of that window. */
export class RampLevelFigures {
  readonly steady: WorkloadFigures;
  /** Output tokens that arrived inside the steady window (llm_ramp_window_tokens). */
  windowTokens = 0;
  /** In-flight time inside the steady window, ms (llm_ramp_busy_ms). */
  busyMs = 0;

  constructor(perRequest: PerRequestBounds) {
    this.steady = new WorkloadFigures(perRequest);
  }
}

/** The ramp settings a merge needs from the instances' ramp.json (all instances ran the same). */
export interface RampMergePlan {
  plan: RampPlan;
  stopErrorRate: number | null;
  stopLatencyFactor: number | null;
  saturationGainPct: number;
}

/** The plan an instance's ramp.json was run with; throws a one-line error when its settings lack one. */
export function rampMergePlan(report: RampReport): RampMergePlan {
  const s = report.settings;
  const levels = s.levels;
  const seconds = (name: string): number => {
    const v = s[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`invalid ramp.json settings.${name}; expected a number of seconds, got ${JSON.stringify(v)}`);
    return v;
  };
  if (!Array.isArray(levels) || levels.length === 0 || !levels.every((v) => typeof v === 'number')) {
    throw new Error(`invalid ramp.json settings.levels; expected the list of levels, got ${JSON.stringify(levels)}`);
  }
  const optional = (name: string): number | null => (typeof s[name] === 'number' ? (s[name] as number) : null);
  return {
    plan: rampPlan({ levels, by: report.rampBy, levelDurationMs: seconds('levelDurationSeconds') * 1000, warmupMs: seconds('warmupSeconds') * 1000 }),
    stopErrorRate: optional('stopErrorRate'),
    stopLatencyFactor: optional('stopTtftFactor'),
    saturationGainPct: optional('saturationGainPct') ?? 5,
  };
}

/** Every level's merged figures, filled request by request. */
export class RampMerge {
  readonly levels = new Map<string, RampLevelFigures>();

  constructor(
    readonly settings: RampMergePlan,
    perRequest: PerRequestBounds,
  ) {
    for (const level of settings.plan.levels) this.levels.set(level.label, new RampLevelFigures(perRequest));
  }

  /**
   * Counts one request of level `label` that started `sinceStartMs` after
   * its level's scenario and ended `durationMs` later. Returns false when
   * the label is not one of the plan's levels.
   */
  add(record: RequestRecord, label: string, sinceStartMs: number, durationMs: number): boolean {
    const level = this.levels.get(label);
    if (!level) return false;
    const { plan } = this.settings;
    const endMs = sinceStartMs + durationMs;
    if (levelPhaseAt(endMs, plan) === 'steady') level.steady.add(record, null);
    if (record.error !== 'interrupted') {
      const share = windowShare(record, sinceStartMs, endMs, plan.warmupMs, plan.levelDurationMs);
      level.windowTokens += share.tokens;
      level.busyMs += share.busyMs;
    }
    return true;
  }
}

/** What the merged ramp report is made from. */
export interface MergedRampInputs {
  /** Each instance's ramp.json, in instance order. */
  instances: RampReport[];
  merge: RampMerge;
  spec: ThresholdSpec | null;
  /** The generator-lag bound the instances warned above (ms). */
  generatorLagWarnMs: number;
}

/** The merged ramp.json. */
export function mergedRampReport(inputs: MergedRampInputs): RampReport {
  const { plan, stopErrorRate, stopLatencyFactor, saturationGainPct } = inputs.merge.settings;
  const first = inputs.instances[0] as RampReport;
  const metrics: Record<string, K6Metric | undefined> = {};
  const put = (key: string, metric: K6Metric | null): void => {
    if (metric) metrics[key] = metric;
  };
  const more = inputs.spec ? percentilesUsed(inputs.spec).map((p) => percentileOf(p) as number) : [];
  for (const level of plan.levels) {
    const f = inputs.merge.levels.get(level.label) as RampLevelFigures;
    putFigureMetrics(put, (name, tags = {}) => levelKey(name, level.label, tags), f.steady, more, null);
    put(windowKey('llm_ramp_window_tokens', level.label), counterMetric(f.windowTokens, null));
    put(windowKey('llm_ramp_busy_ms', level.label), counterMetric(f.busyMs, null));
    const rows = inputs.instances.map((r) => r.levels[level.index]).filter((row) => row !== undefined);
    const lagP99 = maxOf(rows.map((row) => row.generatorLagP99Ms));
    if (lagP99 !== null) put(probeKey(level.label), { type: 'trend', values: { count: rows.length, 'p(99)': lagP99 } });
    if (plan.by === 'rate') put(droppedKey(level.scenario), counterMetric(rows.reduce((n, row) => n + (row.droppedIterations ?? 0), 0), null));
  }
  // The stop rules judged on the merged levels, as k6 judges them on one process's.
  const rules = stopRules({ stopErrorRate, stopLatencyFactor }, plan, inputs.spec);
  for (const rule of rules) {
    const metric = metrics[rule.key];
    const parsed = parseExpression(rule.threshold);
    if (!metric || !parsed) continue;
    const measured = valueOf(metric.values, parsed.aggregation);
    metric.thresholds = { ...metric.thresholds, [rule.threshold]: { ok: measured === null || compare(measured, parsed.operator, parsed.bound) } };
  }
  // A level is complete only where every instance ran all of it (one that stopped early cut its share of the later levels).
  const runMs = minOf(inputs.instances.map((r) => r.testRunDurationMs));
  const data: K6SummaryData = { metrics, state: runMs === null ? {} : { testRunDurationMs: runMs } };
  const report = buildRampReport(data, {
    plan,
    spec: inputs.spec,
    stopRules: rules,
    saturationGainPct,
    shape: first.shape,
    settings: { ...first.settings, instances: inputs.instances.length },
    stopRuleText: first.stop.rule,
    generatorLagWarnMs: inputs.generatorLagWarnMs,
  });
  inputs.instances.forEach((r, i) => {
    if (r.stop.firedAtLevel !== null) report.warnings.push(`instance ${i}: its own stop rule fired at level ${r.stop.firedAtLevel} (judged on its share only), so the later levels miss its share`);
  });
  return report;
}

function minOf(values: readonly (number | null | undefined)[]): number | null {
  let min: number | null = null;
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v) && (min === null || v < min)) min = v;
  return min;
}
