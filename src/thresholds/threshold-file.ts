// Per-workload SLO files (thresholds/<workload>.json): parsing, validation
// and translation into k6 thresholds on the workload's tagged sub-metrics.
// A file is either k6-llm's form ({"thresholds": {...}, "perRequest": ...})
// or a bare k6 thresholds map ({"llm_ttft": ["p(95)<300"]}). Pure; the k6
// shell reads the file, Node tools and tests call the same code.

import { ConfigError, quote } from '../errors.ts';
import { subMetricKey } from '../measure/metric-key.ts';
import { closest } from '../suggest.ts';
import { expressionOf, parseExpression, percentileOf } from './expression.ts';
import { AGGREGATIONS, K6_METRICS, LLM_METRICS, metricType } from './metric-catalog.ts';

/** A k6 threshold: an expression, optionally stopping the run when it fails. */
export type ThresholdEntry = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

/** Per-request bounds: a request meeting all of them (and succeeding) is "good". */
export interface PerRequestBounds {
  /** Longest TTFT a request may take and still meet its SLO (ms). */
  ttftMs?: number;
  /** Longest time per output token (ms). */
  tpotMs?: number;
  /** Longest end-to-end latency (ms). */
  e2eMs?: number;
}

/** A validated thresholds file. */
export interface ThresholdSpec {
  /** Where it came from, as printed in every run. */
  source: string;
  /** The file's own description; '' when it has none. */
  description: string;
  /** Metric name → k6 thresholds, applied to the workload's sub-metric. */
  thresholds: Record<string, ThresholdEntry[]>;
  /** Bounds each request must meet, beyond succeeding, to count as good (goodput, llm_slo_attained). */
  perRequest: PerRequestBounds;
  /** Largest allowed TTFT p99/p50, checked at the end of the run. */
  ttftSpreadMax: number | null;
}

const TOP_KEYS = ['$comment', 'description', 'thresholds', 'perRequest', 'stability'];
const TAGGED_KEY = /^([a-z][a-z0-9_]*)(?:\{([a-z_]+:[A-Za-z0-9_.-]+(?:,[a-z_]+:[A-Za-z0-9_.-]+)*)\})?$/;

function fail(source: string, key: string, expected: string, got: unknown): ConfigError {
  return new ConfigError('invalid-value', source, `invalid thresholds file ${source} at ${key}; expected ${expected}, got ${quote(got)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and validates a thresholds file's text; errors name the file and the key. */
export function parseThresholdFile(text: string, source: string): ThresholdSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw fail(source, '(top level)', 'valid JSON', (err as Error).message);
  }
  return validateThresholdSpec(raw, source);
}

/** Whether a top-level key names a metric (optionally with tags) that thresholds may bound. */
function isMetricKey(key: string): boolean {
  const selector = TAGGED_KEY.exec(key);
  return selector !== null && metricType(selector[1] as string) !== undefined;
}

/**
 * Validates an already-parsed thresholds object. An object without any of
 * the file's own keys whose keys name metrics is a bare k6 thresholds map,
 * read as the file's "thresholds".
 */
export function validateThresholdSpec(raw: unknown, source: string): ThresholdSpec {
  if (!isObject(raw)) throw fail(source, '(top level)', 'an object with a "thresholds" key', raw);
  const keys = Object.keys(raw);
  const bare = keys.every((key) => !TOP_KEYS.includes(key)) && keys.some(isMetricKey);
  if (bare) raw = { thresholds: raw };
  for (const key of Object.keys(raw as Record<string, unknown>)) {
    if (TOP_KEYS.includes(key)) continue;
    const err = fail(source, key, `one of the keys ${TOP_KEYS.slice(1).join(', ')}, or a k6 thresholds map of metric names`, key);
    const hint = closest(key, TOP_KEYS.slice(1));
    const metricHint = hint ? null : closest(key.replace(/\{.*$/, ''), [...Object.keys(LLM_METRICS), ...Object.keys(K6_METRICS)]);
    if (hint) err.message += ` (did you mean ${hint}?)`;
    else if (metricHint) err.message += ` (did you mean ${metricHint}? a bare thresholds map's keys are metric names, e.g. {"${metricHint}": ["p(95)<300"]})`;
    else err.message += ' (a bare thresholds map names metrics, e.g. {"llm_ttft": ["p(95)<300"]}; other settings go under "thresholds", "perRequest" or "stability")';
    throw err;
  }
  const file = raw as Record<string, unknown>;
  const spec: ThresholdSpec = {
    source,
    description: typeof file.description === 'string' ? file.description : '',
    thresholds: {},
    perRequest: {},
    ttftSpreadMax: null,
  };
  // Error keys point into the file as written: `llm_ttft[0]` in a bare map, `thresholds.llm_ttft[0]` otherwise.
  const at = bare ? '' : 'thresholds.';
  const thresholds = file.thresholds ?? {};
  if (!isObject(thresholds)) throw fail(source, 'thresholds', 'an object of metric name → list of expressions', thresholds);
  for (const [key, list] of Object.entries(thresholds)) {
    // A key may select tagged samples, e.g. llm_ttft{phase:cold}.
    const selector = TAGGED_KEY.exec(key);
    if (!selector) throw fail(source, `${at}${key}`, 'a metric name, optionally with tags such as llm_ttft{phase:cold}', key);
    const metric = selector[1] as string;
    if (selector[2] !== undefined && /(^|,)workload:/.test(selector[2])) {
      throw fail(source, `${at}${key}`, 'tags other than workload (the workload tag is added for you)', key);
    }
    const type = metricType(metric);
    if (!type) {
      const known = [...Object.keys(LLM_METRICS), ...Object.keys(K6_METRICS)];
      const hint = closest(metric, known);
      const err = fail(source, `${at}${metric}`, `a known metric (${known.join(', ')})`, metric);
      if (hint) err.message += ` (did you mean ${hint}?)`;
      throw err;
    }
    if (!Array.isArray(list)) throw fail(source, `${at}${metric}`, 'a list of expressions such as ["p(95)<500"]', list);
    spec.thresholds[key] = list.map((entry, i) => validateEntry(entry, `${at}${key}[${i}]`, type, source));
  }
  const perRequest = file.perRequest ?? {};
  if (!isObject(perRequest)) throw fail(source, 'perRequest', 'an object with ttftMs, tpotMs and/or e2eMs', perRequest);
  for (const [key, value] of Object.entries(perRequest)) {
    if (key !== 'ttftMs' && key !== 'tpotMs' && key !== 'e2eMs') throw fail(source, `perRequest.${key}`, 'one of ttftMs, tpotMs, e2eMs', key);
    if (value === null) continue;
    if (typeof value !== 'number' || !(value > 0)) throw fail(source, `perRequest.${key}`, 'a positive number of milliseconds', value);
    spec.perRequest[key] = value;
  }
  const stability = file.stability ?? {};
  if (!isObject(stability)) throw fail(source, 'stability', 'an object with ttftSpreadMax and/or ttftWorstMs', stability);
  for (const [key, value] of Object.entries(stability)) {
    if (key === 'ttftSpreadMax') {
      if (typeof value !== 'number' || !(value >= 1)) throw fail(source, 'stability.ttftSpreadMax', 'a number >= 1 (TTFT p99 / p50)', value);
      spec.ttftSpreadMax = value;
    } else if (key === 'ttftWorstMs') {
      if (typeof value !== 'number' || !(value > 0)) throw fail(source, 'stability.ttftWorstMs', 'a positive number of milliseconds', value);
      (spec.thresholds.llm_ttft ??= []).push(`max<=${value}`);
    } else {
      throw fail(source, `stability.${key}`, 'ttftSpreadMax or ttftWorstMs', key);
    }
  }
  if (spec.ttftSpreadMax !== null) (spec.thresholds.llm_ttft_spread ??= []).push(`value<=${spec.ttftSpreadMax}`);
  return spec;
}

function validateEntry(entry: unknown, key: string, type: keyof typeof AGGREGATIONS, source: string): ThresholdEntry {
  const expression = typeof entry === 'string' ? entry : isObject(entry) ? entry.threshold : undefined;
  if (typeof expression !== 'string') {
    throw fail(source, key, 'an expression string or {"threshold": "...", "abortOnFail": true}', entry);
  }
  const parsed = parseExpression(expression);
  if (!parsed) throw fail(source, key, 'an expression like "p(95)<500" or "rate>0.99"', expression);
  const { aggregation } = parsed;
  const p = percentileOf(aggregation);
  if (p !== null) {
    if (type !== 'trend') throw fail(source, key, `an aggregation valid for a ${type} (${AGGREGATIONS[type].join(', ')})`, expression);
    if (!(p > 0 && p <= 100)) throw fail(source, key, 'a percentile between 0 and 100', expression);
  } else if (!AGGREGATIONS[type].includes(aggregation)) {
    throw fail(source, key, `an aggregation valid for a ${type} (${[...AGGREGATIONS[type], ...(type === 'trend' ? ['p(N)'] : [])].join(', ')})`, expression);
  }
  if (typeof entry === 'string') return entry;
  const obj = entry as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!['threshold', 'abortOnFail', 'delayAbortEval'].includes(k)) throw fail(source, `${key}.${k}`, 'threshold, abortOnFail or delayAbortEval', k);
  }
  if (obj.abortOnFail !== undefined && typeof obj.abortOnFail !== 'boolean') throw fail(source, `${key}.abortOnFail`, 'true or false', obj.abortOnFail);
  if (obj.delayAbortEval !== undefined && (typeof obj.delayAbortEval !== 'string' || !/^\d+(ms|s|m|h)$/.test(obj.delayAbortEval))) {
    throw fail(source, `${key}.delayAbortEval`, 'a duration such as "10s"', obj.delayAbortEval);
  }
  const out: ThresholdEntry = { threshold: expression };
  if (obj.abortOnFail !== undefined) out.abortOnFail = obj.abortOnFail as boolean;
  if (obj.delayAbortEval !== undefined) out.delayAbortEval = obj.delayAbortEval as string;
  return out;
}

/** The spec's thresholds keyed by the workload's sub-metrics, e.g. `llm_ttft{workload:chat}`. */
export function workloadThresholds(spec: ThresholdSpec, workload: string): Record<string, ThresholdEntry[]> {
  const out: Record<string, ThresholdEntry[]> = {};
  for (const [key, entries] of Object.entries(spec.thresholds)) {
    // k6's built-in metrics carry the scenario's tags too, so the same key form works.
    const m = TAGGED_KEY.exec(key) as RegExpExecArray;
    const tags: Record<string, string> = { workload };
    for (const pair of m[2]?.split(',') ?? []) {
      const colon = pair.indexOf(':');
      tags[pair.slice(0, colon)] = pair.slice(colon + 1);
    }
    out[subMetricKey(m[1] as string, tags)] = entries;
  }
  return out;
}

/** Percentiles the thresholds use, so the summary reports the measured value of each. */
export function percentilesUsed(spec: ThresholdSpec): string[] {
  const out = new Set<string>();
  for (const entries of Object.values(spec.thresholds)) {
    for (const entry of entries) {
      const parsed = parseExpression(expressionOf(entry));
      if (parsed && percentileOf(parsed.aggregation) !== null) out.add(parsed.aggregation);
    }
  }
  return [...out];
}

/** Whether a request meets every per-request bound (bounds on unmeasured figures are skipped). */
export function meetsPerRequestBounds(
  bounds: PerRequestBounds,
  figures: { ttftMs: number | null; tpotMs: number | null; e2eMs: number | null },
): boolean {
  if (bounds.ttftMs !== undefined && figures.ttftMs !== null && figures.ttftMs > bounds.ttftMs) return false;
  if (bounds.tpotMs !== undefined && figures.tpotMs !== null && figures.tpotMs > bounds.tpotMs) return false;
  if (bounds.e2eMs !== undefined && figures.e2eMs !== null && figures.e2eMs > bounds.e2eMs) return false;
  return true;
}
