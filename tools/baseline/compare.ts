// Regression gating: a baseline of per-workload figures saved from one run,
// compared with a later run under per-figure tolerances. Pure functions; the
// CLI reads and writes the files. A figure measured on too few samples is
// reported as inconclusive, never as a regression.

import type { Percentiles } from '../../src/k6-summary-data.ts';
import type { LlmReport, WorkloadReport } from '../../src/summary/schema.ts';

/** Which way is worse for a figure. */
type Direction = 'lower-is-better' | 'higher-is-better';

interface FigureSpec {
  direction: Direction;
  /** The figure and the number of samples behind it. */
  read(w: WorkloadReport): { value: number | null; samples: number };
}

const pct = (p: Percentiles | null, key: keyof Percentiles): { value: number | null; samples: number } => ({
  value: p ? p[key] : null,
  samples: p?.count ?? 0,
});

/** Every gated figure, by the name tolerances use. */
export const FIGURES: Readonly<Record<string, FigureSpec>> = {
  ttft_p50: { direction: 'lower-is-better', read: (w) => pct(w.ttftMs, 'p50') },
  ttft_p95: { direction: 'lower-is-better', read: (w) => pct(w.ttftMs, 'p95') },
  ttft_p99: { direction: 'lower-is-better', read: (w) => pct(w.ttftMs, 'p99') },
  itl_p95: { direction: 'lower-is-better', read: (w) => pct(w.itlMs, 'p95') },
  tpot_p50: { direction: 'lower-is-better', read: (w) => pct(w.tpotMs, 'p50') },
  e2e_p95: { direction: 'lower-is-better', read: (w) => pct(w.e2eMs, 'p95') },
  aggregate_output_tokens_per_second: {
    direction: 'higher-is-better',
    read: (w) => ({ value: w.aggregateOutputTokensPerSecond, samples: w.requests }),
  },
  success_rate: { direction: 'higher-is-better', read: (w) => ({ value: w.successRate, samples: w.requests }) },
};

/** A saved baseline. */
export interface Baseline {
  version: 1;
  savedAt: string;
  source: string;
  model: string;
  workloads: Record<string, Record<string, { value: number | null; samples: number }>>;
}

/** Figures of one run, per workload. */
export function figuresOf(report: LlmReport): Baseline['workloads'] {
  const out: Baseline['workloads'] = {};
  for (const [name, w] of Object.entries(report.workloads)) {
    out[name] = {};
    for (const [figure, spec] of Object.entries(FIGURES)) out[name][figure] = spec.read(w);
  }
  return out;
}

/** A baseline made from one or more runs' reports (several: the median of each figure). */
export function makeBaseline(reports: LlmReport[], source: string, savedAt: string): Baseline {
  return {
    version: 1,
    savedAt,
    source,
    model: String(reports[0]?.run.model ?? ''),
    workloads: medianFigures(reports.map(figuresOf)),
  };
}

/** Per-figure median across runs; samples add up. */
export function medianFigures(runs: Baseline['workloads'][]): Baseline['workloads'] {
  const out: Baseline['workloads'] = {};
  for (const run of runs) {
    for (const [workload, figures] of Object.entries(run)) {
      for (const figure of Object.keys(figures)) {
        const values = runs.map((r) => r[workload]?.[figure]?.value).filter((v): v is number => typeof v === 'number');
        const samples = runs.reduce((n, r) => n + (r[workload]?.[figure]?.samples ?? 0), 0);
        (out[workload] ??= {})[figure] = { value: values.length ? median(values) : null, samples };
      }
    }
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The verdict on one figure. */
export interface FigureComparison {
  workload: string;
  figure: string;
  baseline: number | null;
  current: number | null;
  /** Relative change, current vs baseline (+0.1 = 10 % higher). */
  change: number | null;
  /** Allowed worsening, as a fraction. */
  tolerance: number;
  samples: { baseline: number; current: number };
  verdict: 'ok' | 'regression' | 'improved' | 'inconclusive' | 'missing';
  reason: string;
}

/** Options of compare(). */
export interface CompareOptions {
  /** Default allowed worsening (0.1 = 10 %). */
  tolerance: number;
  /** Per-figure overrides. */
  tolerances: Record<string, number>;
  /** Fewer samples than this on either side: inconclusive. */
  minSamples: number;
}

/** Compares current figures with a baseline. */
export function compare(baseline: Baseline, current: Baseline['workloads'], options: CompareOptions): FigureComparison[] {
  const rows: FigureComparison[] = [];
  for (const [workload, figures] of Object.entries(baseline.workloads)) {
    for (const [figure, base] of Object.entries(figures)) {
      const spec = FIGURES[figure];
      if (!spec) continue;
      const cur = current[workload]?.[figure] ?? { value: null, samples: 0 };
      const tolerance = options.tolerances[figure] ?? options.tolerance;
      const row: FigureComparison = {
        workload,
        figure,
        baseline: base.value,
        current: cur.value,
        change: null,
        tolerance,
        samples: { baseline: base.samples, current: cur.samples },
        verdict: 'ok',
        reason: '',
      };
      if (base.value === null) continue; // not measured in the baseline: nothing to gate
      if (cur.value === null) {
        row.verdict = 'missing';
        row.reason = 'not measured in the current run';
      } else {
        row.change = base.value === 0 ? (cur.value === 0 ? 0 : Infinity) : (cur.value - base.value) / Math.abs(base.value);
        const worsening = spec.direction === 'lower-is-better' ? row.change : -row.change;
        if (Math.min(base.samples, cur.samples) < options.minSamples) {
          row.verdict = 'inconclusive';
          row.reason = `too few samples (${Math.min(base.samples, cur.samples)} < ${options.minSamples})`;
        } else if (worsening > tolerance) {
          row.verdict = 'regression';
          row.reason = `${spec.direction === 'lower-is-better' ? 'rose' : 'fell'} ${(Math.abs(row.change) * 100).toFixed(1)} %, over the ${(tolerance * 100).toFixed(0)} % allowed`;
        } else if (worsening < -tolerance) {
          row.verdict = 'improved';
        }
      }
      rows.push(row);
    }
  }
  return rows;
}

/** Parses "10%" or "0.1" into 0.1; null when it is neither. */
export function parseTolerance(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === '%' ? n / 100 : n;
}

/** The comparison as a console table. */
export function renderComparison(rows: FigureComparison[]): string {
  const head = ['workload', 'figure', 'baseline', 'current', 'change', 'allowed', 'samples (base/cur)', 'verdict'];
  const body = rows.map((r) => [
    r.workload,
    r.figure,
    r.baseline === null ? '-' : fmt(r.baseline),
    r.current === null ? '-' : fmt(r.current),
    r.change === null ? '-' : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)} %`,
    `${(r.tolerance * 100).toFixed(0)} %`,
    `${r.samples.baseline}/${r.samples.current}`,
    r.verdict === 'ok' || r.verdict === 'improved' ? r.verdict : `${r.verdict.toUpperCase()}${r.reason ? `: ${r.reason}` : ''}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(1) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
}
