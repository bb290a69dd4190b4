// How the regression gate's figures read in every output (console, Markdown,
// JUnit, HTML): values with their unit, differences with their interval,
// the verdict, the method in one line. Pure.

import type { RegressionRow, RegressionSection } from './schema.ts';

function digits(n: number): string {
  const a = Math.abs(n);
  return a >= 100 ? n.toFixed(1) : a >= 1 ? n.toFixed(2) : n.toFixed(3);
}

function signed(text: string, n: number): string {
  return n > 0 || Object.is(n, 0) ? `+${text}` : text.replace(/^-/, '−');
}

/** A figure's value with its unit: `101.08 ms`, `99.71 %`, `2345.6 tokens/s`; `–` when absent. */
export function figureValue(value: number | null, unit: string): string {
  if (value === null) return '–';
  if (unit === '') return `${(value * 100).toFixed(2)} %`;
  return `${digits(value)} ${unit}`;
}

/** A difference with its unit and sign: `+15.21 ms`, `−0.29 pp` (a share's difference, in percentage points). */
export function amount(value: number, unit: string): string {
  if (unit === '') return `${signed((value * 100).toFixed(2), value)} pp`;
  return `${signed(digits(value), value)} ${unit}`;
}

function percent(value: number): string {
  return `${signed((value * 100).toFixed(1), value)} %`;
}

/** The absolute difference and its interval: `+15.21 ms [+14.20, +16.93]`; `–` when not judged. */
export function differenceText(row: RegressionRow): string {
  if (row.difference === null) return '–';
  const d = amount(row.difference, row.unit);
  if (!row.differenceInterval) return d;
  const [lo, hi] = row.differenceInterval;
  const bare = (v: number): string => amount(v, row.unit).replace(/ (ms|tokens\/s|pp)$/, '');
  return `${d} [${bare(lo)}, ${bare(hi)}]`;
}

/** The relative change and its interval: `+15.0 % [+14.1, +16.8]`; `–` when not judged. */
export function changeText(row: RegressionRow): string {
  if (row.change === null) return '–';
  const c = percent(row.change);
  if (!row.changeInterval) return c;
  const [lo, hi] = row.changeInterval;
  return `${c} [${percent(lo).replace(' %', '')}, ${percent(hi).replace(' %', '')}]`;
}

/** The tolerance as a share: `10 %`. */
export function toleranceText(row: RegressionRow): string {
  return `${Number((row.tolerance * 100).toFixed(2))} %`;
}

/** The verdict, with its note: `regressed (worse than the tolerance allows)`. */
export function verdictText(row: RegressionRow): string {
  return row.note ? `${row.verdict} (${row.note})` : row.verdict;
}

/** True when the row fails the gate. */
export function failsGate(row: RegressionRow): boolean {
  return row.verdict === 'regressed' || row.verdict === 'missing';
}

function pct(share: number): string {
  return `${Number((share * 100).toFixed(2))} %`;
}

/** How the intervals were made, in one sentence. */
export function methodText(s: RegressionSection): string {
  const runs = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;
  return (
    `${pct(s.confidence)} confidence for the ${s.judged} figure${s.judged === 1 ? '' : 's'} judged together (each interval at ${pct(s.figureConfidence)}): ` +
    `block bootstrap over time windows, ${s.resamples} resamples; success rate by Newcombe's interval; ` +
    `baseline of ${runs(s.baselineRuns)} (saved ${s.savedAt}), current ${runs(s.currentRuns)}`
  );
}

/** The gate's outcome in one line. */
export function gateHeadline(s: RegressionSection): string {
  const failing = s.rows.filter(failsGate);
  if (failing.length > 0) return `regression: ${failing.map((r) => `${r.workload} ${r.figure} ${r.verdict === 'missing' ? 'missing' : changeText(r)}`).join(', ')}`;
  const inconclusive = s.rows.filter((r) => r.verdict === 'inconclusive').length;
  return `no regression${inconclusive ? ` (${inconclusive} figure${inconclusive === 1 ? '' : 's'} inconclusive: see ${inconclusive === 1 ? 'its note' : 'their notes'})` : ''}`;
}
