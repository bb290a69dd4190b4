// k6 threshold expressions ("p(95)<300", "rate>0.99", "max<=2000"): the one
// parser every reader of them uses (thresholds files, the report's measured
// values, the ramp's per-level verdicts, stop rules and chart bounds), and
// the comparison k6 applies. Pure.

/** The comparison operators k6 accepts. */
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/** One parsed expression: aggregation, operator and bound. */
export interface ParsedExpression {
  /** As k6 names the value: `p(95)`, `med`, `rate`, `count`, `max`... (percentiles canonical: `p( 95.0 )` is `p(95)`). */
  aggregation: string;
  operator: Operator;
  bound: number;
}

const EXPRESSION = /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/;

/** Parses a threshold expression; null when it is not one k6 accepts. */
export function parseExpression(expression: string): ParsedExpression | null {
  const m = EXPRESSION.exec(expression);
  if (!m) return null;
  // k6 names p(50) "med" in some places and "p(50)" in others; keep p(N) canonical.
  const aggregation = m[2] !== undefined ? `p(${Number(m[2])})` : (m[1] as string);
  return { aggregation, operator: m[3] as Operator, bound: Number(m[4]) };
}

/** The N of a canonical `p(N)` aggregation; null for any other. */
export function percentileOf(aggregation: string): number | null {
  return aggregation.startsWith('p(') ? Number(aggregation.slice(2, -1)) : null;
}

/** The expression text of a threshold entry (a string, or k6's object form). */
export function expressionOf(entry: string | { threshold: string }): string {
  return typeof entry === 'string' ? entry : entry.threshold;
}

/** Whether `value <operator> bound` holds, as k6 compares. */
export function compare(value: number, operator: Operator, bound: number): boolean {
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
