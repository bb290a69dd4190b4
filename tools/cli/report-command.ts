// `report <run-dir>` and `compare <run-dir>... [--out DIR]`: the HTML report
// of a finished run (also one made with plain k6 beside `meter --records`),
// and one page of several runs. `--price` (2.5/h or in=0.5,out=1.5) adds cost.

import { parsePrice, PriceError, type Price } from '../../src/report/cost.ts';
import { RunDirError, writeComparison, writeRunReport } from '../report/run-dir.ts';
import { UsageError } from './args.ts';

/** Removes `NAME VALUE` from argv and returns VALUE; null when absent. */
export function takeFlag(argv: string[], name: string): string | null {
  const at = argv.indexOf(name);
  if (at < 0) return null;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`invalid ${name}; expected a value, got none`);
  argv.splice(at, 2);
  return value;
}

/** Removes `--price VALUE` from argv and parses it; null when absent. */
export function takePrice(argv: string[]): Price | null {
  const at = argv.indexOf('--price');
  if (at < 0) return null;
  const value = argv[at + 1];
  if (value === undefined) throw new UsageError('invalid --price; expected a value (e.g. "2.5/h" or "in=0.5,out=1.5"), got none');
  argv.splice(at, 2);
  try {
    return parsePrice(value);
  } catch (err) {
    if (err instanceof PriceError) throw new UsageError(err.message);
    throw err;
  }
}

function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof RunDirError) throw new UsageError(err.message);
    throw err;
  }
}

/** `report`'s arguments. */
export interface ReportArgs {
  dir: string;
  price: Price | null;
}

/** Parses `report <run-dir> [--price P]`. */
export function parseReportArgs(argv: readonly string[]): ReportArgs {
  const args = [...argv];
  const price = takePrice(args);
  if (args.length !== 1 || args[0]!.startsWith('-')) throw new UsageError(`invalid report arguments; expected k6-llm report <run-dir> [--price 2.5/h], got "${argv.join(' ')}"`);
  return { dir: args[0]!, price };
}

/** `report <run-dir> [--price P]`: writes llm-report.html into the run folder and prints its path. */
export function reportCommand({ dir, price }: ReportArgs): number {
  process.stdout.write(`report: ${guarded(() => writeRunReport(dir, price))}\n`);
  return 0;
}

/** `compare`'s arguments. */
export interface CompareArgs {
  dirs: string[];
  /** Where llm-compare.html goes; null: the first run's folder. */
  out: string | null;
  price: Price | null;
}

/** Parses `compare <run-dir>... [--out DIR] [--price P]`. */
export function parseCompareArgs(argv: readonly string[]): CompareArgs {
  const args = [...argv];
  const price = takePrice(args);
  let out: string | null = null;
  const at = args.indexOf('--out');
  if (at >= 0) {
    out = args[at + 1] ?? null;
    if (out === null) throw new UsageError('invalid --out; expected a folder, got none');
    args.splice(at, 2);
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) throw new UsageError(`invalid compare flag "${unknown}"; expected --out DIR or --price P`);
  if (args.length < 1) throw new UsageError('invalid compare arguments; expected k6-llm compare <run-dir>... [--out DIR], got no run folder');
  return { dirs: args, out, price };
}

/** `compare <run-dir>... [--out DIR] [--price P]`: writes llm-compare.html (default into the first run's folder). */
export function compareCommand({ dirs, out, price }: CompareArgs): number {
  process.stdout.write(`comparison: ${guarded(() => writeComparison(dirs, out ?? dirs[0]!, price))}\n`);
  return 0;
}
