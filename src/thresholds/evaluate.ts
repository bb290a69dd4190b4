// Evaluates k6 threshold expressions ("p(95)<300", "rate>0.99", "max<=2000")
// against figures we computed ourselves, such as one ramp level's. k6 judges
// thresholds over a whole run only; a ramp needs the same verdict per level.
// Pure.

import type { ThresholdEntry, ThresholdSpec } from './threshold-file.ts';

/** One parsed expression: aggregation, operator and bound. */
export interface ParsedExpression {
  /** As k6 names the value: `p(95)`, `med`, `rate`, `count`, `max`... */
  aggregation: string;
  operator: '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';
  bound: number;
}

/** The verdict on one expression: ok null when the figure was not measured. */
export interface ExpressionVerdict {
  metric: string;
  expression: string;
  aggregation: string;
  measured: number | null;
  ok: boolean | null;
}

const EXPRESSION = /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/;

/** Parses a threshold expression; null when it is not one k6 accepts. */
export function parseExpression(expression: string): ParsedExpression | null {
  const m = EXPRESSION.exec(expression);
  if (!m) return null;
  // k6 names p(50) "med" in some places and "p(50)" in others; keep p(N) canonical.
  const aggregation = m[2] !== undefined ? `p(${Number(m[2])})` : (m[1] as string);
  return { aggregation, operator: m[3] as ParsedExpression['operator'], bound: Number(m[4]) };
}

/** Whether `value <operator> bound` holds, as k6 compares. */
export function compare(value: number, operator: ParsedExpression['operator'], bound: number): boolean {
  switch (operator) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '==':
    case '===':
      return value === bound;
    case '!=':
      return value !== bound;
  }
}

/**
 * Looks an aggregation up in k6-style values: `p(50)` falls back to `med`
 * and `med` to `p(50)`, since k6 reports the median under either name.
 */
export function valueOf(values: Readonly<Record<string, number>>, aggregation: string): number | null {
  const direct = values[aggregation];
  if (typeof direct === 'number' && Number.isFinite(direct)) return direct;
  const alias = aggregation === 'p(50)' ? values.med : aggregation === 'med' ? values['p(50)'] : undefined;
  return typeof alias === 'number' && Number.isFinite(alias) ? alias : null;
}

/** Evaluates one expression against a metric's values (null values: not measured). */
export function evaluateExpression(
  metric: string,
  expression: string,
  values: Readonly<Record<string, number>> | null,
): ExpressionVerdict {
  const parsed = parseExpression(expression);
  if (!parsed) return { metric, expression, aggregation: expression, measured: null, ok: null };
  const measured = values ? valueOf(values, parsed.aggregation) : null;
  return {
    metric,
    expression,
    aggregation: parsed.aggregation,
    measured,
    ok: measured === null ? null : compare(measured, parsed.operator, parsed.bound),
  };
}

/** The expression text of a threshold entry. */
export function expressionOf(entry: ThresholdEntry): string {
  return typeof entry === 'string' ? entry : entry.threshold;
}

/**
 * Every threshold of a spec against per-metric values (`valuesOf(metric)`,
 * null when the metric was not measured). Verdicts with ok null could not be
 * judged and decide nothing.
 */
export function evaluateSpec(
  spec: ThresholdSpec,
  valuesOf: (metric: string) => Readonly<Record<string, number>> | null,
): ExpressionVerdict[] {
  const out: ExpressionVerdict[] = [];
  for (const [metric, entries] of Object.entries(spec.thresholds)) {
    const values = valuesOf(metric);
    for (const entry of entries) out.push(evaluateExpression(metric, expressionOf(entry), values));
  }
  return out;
}
