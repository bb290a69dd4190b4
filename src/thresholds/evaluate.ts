// Evaluates k6 threshold expressions (parsed by expression.ts) against
// figures we computed ourselves, such as one ramp level's. k6 judges
// thresholds over a whole run only; a ramp needs the same verdict per level.
// Pure.

import { compare, expressionOf, parseExpression, valueOf } from './expression.ts';
import type { ThresholdSpec } from './threshold-file.ts';

/** The verdict on one expression: ok null when the figure was not measured. */
export interface ExpressionVerdict {
  metric: string;
  expression: string;
  aggregation: string;
  measured: number | null;
  ok: boolean | null;
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
