// `k6-llm baseline save|compare`: regression gating against saved runs, and
// the gate `run --baseline` applies after its runs.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Price } from '../../src/report/cost.ts';
import type { RegressionSection } from '../../src/summary/schema.ts';
import { parseBaseline, renderBaseline, BASELINE_VERSION, type BaselineFile } from '../baseline/baseline-file.ts';
import { compare, FIGURES, parseTolerance, type CompareOptions } from '../baseline/compare.ts';
import { renderGateText } from '../baseline/gate-text.ts';
import { readRunSamples, runFolderOf } from '../baseline/run-samples.ts';
import { recordRegression } from '../report/run-dir.ts';
import { UsageError } from './args.ts';

/** Exit code of a run or comparison that found a regression. */
export const REGRESSION_EXIT_CODE = 97;

/** The newest results/<run> folder, for commands given no --from. */
function newestRun(): string {
  const dir = 'results';
  const candidates = existsSync(dir)
    ? readdirSync(dir)
        .map((d) => join(dir, d))
        .filter((d) => existsSync(join(d, 'llm-summary.json')))
        .sort((a, b) => statSync(join(b, 'llm-summary.json')).mtimeMs - statSync(join(a, 'llm-summary.json')).mtimeMs)
    : [];
  if (!candidates[0]) throw new UsageError('invalid baseline command; expected --from <run folder>, and found no run under results/');
  return candidates[0];
}

/** Parsed flags of the baseline commands (also accepted by `run`). */
export interface BaselineFlags {
  /** Run folders (or their llm-summary.json). */
  from: string[];
  out: string;
  baseline: string | null;
  options: CompareOptions;
}

/** Parses --from, --out, --baseline, --tolerance [figure=]N%, --confidence N%, --min-samples; returns the rest. */
export function parseBaselineFlags(argv: readonly string[]): { flags: BaselineFlags; rest: string[] } {
  const flags: BaselineFlags = { from: [], out: 'k6-llm-baseline.json', baseline: null, options: { tolerance: 0.1, tolerances: {}, minSamples: 30, confidence: 0.95 } };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`invalid ${arg}; expected a value after it, got nothing`);
      return v;
    };
    if (arg === '--from') flags.from.push(value());
    else if (arg === '--out') flags.out = value();
    else if (arg === '--baseline') flags.baseline = value();
    else if (arg === '--min-samples') {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid --min-samples; expected a whole number >= 1, got "${v}"`);
      flags.options.minSamples = n;
    } else if (arg === '--confidence') {
      const v = value();
      const c = parseTolerance(v);
      if (c === null || !(c >= 0.5 && c < 1)) throw new UsageError(`invalid --confidence; expected a share from 50% to below 100%, e.g. 95% or 0.99, got "${v}"`);
      flags.options.confidence = c;
    } else if (arg === '--tolerance') {
      const v = value();
      const [figure, amount] = v.includes('=') ? (v.split('=', 2) as [string, string]) : [null, v];
      const t = parseTolerance(amount);
      if (t === null) throw new UsageError(`invalid --tolerance; expected e.g. 10% or ttft_p95=5%, got "${v}"`);
      if (figure === null) flags.options.tolerance = t;
      else if (!(figure in FIGURES)) throw new UsageError(`invalid --tolerance figure "${figure}"; expected one of ${Object.keys(FIGURES).join(', ')}`);
      else flags.options.tolerances[figure] = t;
    } else rest.push(arg);
  }
  return { flags, rest };
}

/** Reads a baseline file; a one-line UsageError when absent or not one. */
export function readBaselineFile(path: string): BaselineFile {
  if (!existsSync(path)) throw new UsageError(`invalid --baseline; expected a file saved by \`k6-llm baseline save\`, got "${path}" (no such file)`);
  return parseBaseline(readFileSync(path, 'utf8'), path);
}

/** Saves the runs at `from` (pooled) as a baseline file; returns it. */
export function saveBaseline(from: readonly string[], out: string, savedAt = new Date().toISOString()): BaselineFile {
  const samples = readRunSamples(from);
  const file: BaselineFile = { tool: 'k6-llm', kind: 'baseline', version: BASELINE_VERSION, savedAt, runs: samples.runs, workloads: samples.workloads };
  writeFileSync(out, renderBaseline(file));
  return file;
}

/**
 * Gates the runs at `runs` (pooled) against the baseline file: prints the
 * table, records the result in each run's reports (at `price`: the run's,
 * for its HTML cost cards), and returns 97 on a regression, else 0.
 */
export function gateRuns(baselinePath: string, runs: readonly string[], options: CompareOptions, print: (s: string) => void, price: Price | null = null): number {
  const baseline = readBaselineFile(baselinePath);
  const current = readRunSamples(runs);
  const most = (runs: readonly { mayReadHighMs: number }[]): number => Math.max(0, ...runs.map((r) => r.mayReadHighMs));
  const result = compare(baseline.workloads, current.workloads, options, { baselineMs: most(baseline.runs), currentMs: most(current.runs) });
  const section: RegressionSection = {
    baseline: baselinePath,
    savedAt: baseline.savedAt,
    baselineRuns: baseline.runs.length,
    currentRuns: current.runs.length,
    confidence: options.confidence,
    figureConfidence: result.figureConfidence,
    judged: result.judged,
    resamples: result.resamples,
    failed: result.rows.some((r) => r.verdict === 'regressed' || r.verdict === 'missing'),
    rows: result.rows,
  };
  print(renderGateText(section));
  for (const dir of current.runs.map((r) => r.source)) {
    try {
      recordRegression(dir, section, price);
    } catch (err) {
      print(`could not add the gate to the reports in ${dir}: ${(err as Error).message}`);
    }
  }
  return section.failed ? REGRESSION_EXIT_CODE : 0;
}

/** `baseline save|compare`'s arguments (compare with the baseline file it compares against). */
export type BaselineCommand = { sub: 'save'; flags: BaselineFlags } | { sub: 'compare'; flags: BaselineFlags; baseline: string };

/** Parses `baseline save|compare [flags]`: the subcommand, its flags, nothing else; compare needs --baseline. */
export function parseBaselineCommand(argv: readonly string[]): BaselineCommand {
  const [sub, ...args] = argv;
  const { flags, rest } = parseBaselineFlags(args);
  if (rest.length > 0) throw new UsageError(`invalid argument "${rest[0]}" for baseline ${sub ?? ''}; see k6-llm --help`);
  if (sub === 'save') return { sub, flags };
  if (sub !== 'compare') throw new UsageError(`invalid baseline command "${sub ?? ''}"; expected save or compare`);
  if (!flags.baseline) throw new UsageError('invalid baseline compare; expected --baseline <file>');
  return { sub, flags, baseline: flags.baseline };
}

/** `k6-llm baseline save|compare ...` */
export function baselineCommand(command: BaselineCommand): number {
  const { flags } = command;
  const sources = flags.from.length ? flags.from : [newestRun()];
  if (command.sub === 'save') {
    const file = saveBaseline(sources, flags.out);
    const sizes = Object.entries(file.workloads).map(([name, w]) => `${name}: ${w.requests} requests in ${w.blocks.length} windows${w.kept < 1 || w.keptItl < 1 ? ` (samples of ${pct(w.kept)} of them kept, ITLs of ${pct(w.keptItl)})` : ''}`);
    process.stdout.write(`baseline saved to ${flags.out} from ${sources.map(runFolderOf).join(', ')}: ${sizes.join('; ')}; ${(statSync(flags.out).size / 1024).toFixed(0)} KiB\n`);
    return 0;
  }
  return gateRuns(command.baseline, sources, flags.options, (s) => process.stdout.write(`${s}\n`));
}

function pct(share: number): string {
  return `${Number((share * 100).toFixed(1))} %`;
}
