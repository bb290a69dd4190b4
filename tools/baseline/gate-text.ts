// The regression gate on the console: how the intervals were made, a table
// of every figure with its difference, interval and verdict, and the outcome.
// Pure.

import { changeText, differenceText, failsGate, figureValue, gateHeadline, methodText, toleranceText, verdictText } from '../../src/summary/regression-format.ts';
import type { RegressionSection } from '../../src/summary/schema.ts';

/** The gate's lines for the console. */
export function renderGateText(s: RegressionSection): string {
  const head = ['workload', 'figure', 'baseline', 'current', 'difference [interval]', 'change [interval]', 'allowed', 'samples (base/cur)', 'verdict'];
  const body = s.rows.map((r) => [
    r.workload,
    r.figure,
    figureValue(r.baseline, r.unit),
    figureValue(r.current, r.unit),
    differenceText(r),
    changeText(r),
    toleranceText(r),
    `${r.samples.baseline}/${r.samples.current}`,
    failsGate(r) ? verdictText(r).replace(r.verdict, r.verdict.toUpperCase()) : verdictText(r),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [`regression gate against ${s.baseline}: ${methodText(s)}`, line(head), ...body.map(line), gateHeadline(s)].join('\n');
}
