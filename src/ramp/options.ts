// The ramp's k6 options: a load scenario and a generator probe per level,
// sub-metric registrations that make k6 compute every level's exact
// percentiles from its own samples, and the stop rules as abortOnFail
// thresholds. The SLO file is not a k6 threshold here: a ramp is meant to go
// past it, so each level is judged apart, after the run (ramp-report.ts).

import type { RampConfig } from '../config/ramp.ts';
import { formatDuration } from '../duration.ts';
import { ERROR_KINDS } from '../measure/request-record.ts';
import { parseExpression } from '../thresholds/expression.ts';
import { percentilesUsed, type ThresholdEntry, type ThresholdSpec } from '../thresholds/threshold-file.ts';
import { NON_TREND_METRICS, PROBE_SCENARIO, TREND_METRICS, type ScenarioOptions, type WorkloadOptions } from '../workloads/options.ts';
import { droppedKey, levelKey, probeKey, RAMP_EXEC, RAMP_WORKLOAD, windowKey, type RampPlan, type StopRule } from './plan.ts';

/** Seconds k6 needs after a level ends before the stop rule can read all its samples. */
const STOP_EVAL_MARGIN_MS = 1000;

/**
 * The stop rules (documented in docs/ramp.md): after each level, k6 stops the
 * run when the level's steady-state error rate exceeded LLM_STOP_ERROR_RATE,
 * or a TTFT or E2E percentile exceeded LLM_STOP_TTFT_FACTOR times the bound
 * the SLO file sets on it.
 */
export function stopRules(ramp: Pick<RampConfig, 'stopErrorRate' | 'stopLatencyFactor'>, plan: RampPlan, spec: ThresholdSpec | null): StopRule[] {
  const rules: StopRule[] = [];
  const latency = ramp.stopLatencyFactor === null ? [] : latencyStopBounds(spec, ramp.stopLatencyFactor);
  for (const level of plan.levels) {
    const delayAbortEvalMs = level.endMs + STOP_EVAL_MARGIN_MS;
    if (ramp.stopErrorRate !== null) {
      const minSuccess = Math.round((1 - ramp.stopErrorRate) * 1e6) / 1e6;
      rules.push({ level: level.label, key: levelKey('llm_request_success', level.label), threshold: `rate>=${minSuccess}`, delayAbortEvalMs });
    }
    for (const { metric, threshold } of latency) {
      rules.push({ level: level.label, key: levelKey(metric, level.label), threshold, delayAbortEvalMs });
    }
  }
  return rules;
}

/** `p(N)<B` bounds on TTFT and E2E, loosened by `factor`: the "far beyond the SLO" of the stop rule. */
export function latencyStopBounds(spec: ThresholdSpec | null, factor: number): { metric: string; threshold: string }[] {
  const out: { metric: string; threshold: string }[] = [];
  for (const metric of ['llm_ttft', 'llm_e2e']) {
    for (const entry of spec?.thresholds[metric] ?? []) {
      const parsed = parseExpression(typeof entry === 'string' ? entry : entry.threshold);
      if (!parsed || !(parsed.operator === '<' || parsed.operator === '<=')) continue;
      if (!parsed.aggregation.startsWith('p(') && parsed.aggregation !== 'med') continue;
      out.push({ metric, threshold: `${parsed.aggregation}<${Math.round(parsed.bound * factor * 1000) / 1000}` });
    }
  }
  return out;
}

/**
 * The ramp's part of the k6 options (runOptions adds the whole run's
 * registrations): every level's scenarios, registrations and stop rules, and
 * the percentiles the SLO file `spec` uses. Not judged by k6 (spec null), and
 * no run-long probe: each level has its own.
 */
export function rampWorkloadOptions(ramp: RampConfig, model: string, plan: RampPlan, spec: ThresholdSpec | null): WorkloadOptions {
  const scenarios: Record<string, ScenarioOptions> = {};
  const drain = formatDuration(plan.drainMs);
  for (const level of plan.levels) {
    const common = {
      startTime: formatDuration(level.startMs),
      gracefulStop: drain,
      exec: RAMP_EXEC,
      tags: { workload: RAMP_WORKLOAD, model, level: level.label },
    };
    const duration = formatDuration(plan.levelDurationMs);
    if (plan.by === 'concurrency') {
      scenarios[level.scenario] = { executor: 'constant-vus', vus: level.value, duration, ...common };
    } else {
      // k6 wants a whole number of iterations per time unit: 2.5/s is 2500 per 1000 s.
      const whole = Number.isInteger(level.value);
      const maxVUs = ramp.maxVus;
      scenarios[level.scenario] = {
        executor: 'constant-arrival-rate',
        rate: whole ? level.value : Math.round(level.value * 1000),
        timeUnit: whole ? '1s' : '1000s',
        duration,
        // Enough for requests of about 2 s without starting VUs mid-level; more start when needed.
        preAllocatedVUs: Math.min(maxVUs, Math.ceil(level.value * 2) + 1),
        maxVUs,
        ...common,
      };
    }
    scenarios[level.probeScenario] = {
      executor: 'constant-vus',
      vus: 1,
      duration,
      startTime: common.startTime,
      gracefulStop: '1s',
      exec: 'generatorProbe',
      tags: { workload: PROBE_SCENARIO, level: level.label },
    };
  }

  const thresholds: Record<string, ThresholdEntry[]> = {};
  for (const level of plan.levels) {
    for (const metric of [...TREND_METRICS, ...NON_TREND_METRICS]) {
      if (metric !== 'llm_ttft_spread') thresholds[levelKey(metric, level.label)] = [];
    }
    for (const kind of ERROR_KINDS) thresholds[levelKey('llm_errors', level.label, { error: kind })] = [];
    thresholds[probeKey(level.label)] = [];
    thresholds[windowKey('llm_ramp_window_tokens', level.label)] = [];
    thresholds[windowKey('llm_ramp_busy_ms', level.label)] = [];
    if (plan.by === 'rate') thresholds[droppedKey(level.scenario)] = [];
  }
  for (const rule of stopRules(ramp, plan, spec)) {
    (thresholds[rule.key] ??= []).push({ threshold: rule.threshold, abortOnFail: true, delayAbortEval: formatDuration(rule.delayAbortEvalMs) });
  }
  return { workload: RAMP_WORKLOAD, spec: null, scenarios, thresholds, trendStats: spec ? percentilesUsed(spec) : [], probe: null };
}
