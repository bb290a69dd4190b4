// `k6-llm baseline save|compare`: regression gating against a saved run.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LlmReport } from '../../src/summary/schema.ts';
import { compare, FIGURES, makeBaseline, medianFigures, figuresOf, parseTolerance, renderComparison, type Baseline, type CompareOptions } from '../baseline/compare.ts';
import { UsageError } from './args.ts';

/** Exit code of a run or comparison that found a regression. */
export const REGRESSION_EXIT_CODE = 97;

/** Reads a JSON summary written by a k6-llm run. */
export function readReport(path: string): LlmReport {
  if (!existsSync(path)) throw new UsageError(`invalid summary path; expected an llm-summary.json written by a run, got "${path}" (no such file)`);
  const report = JSON.parse(readFileSync(path, 'utf8')) as LlmReport;
  if (report.tool !== 'k6-llm' || typeof report.workloads !== 'object') {
    throw new UsageError(`invalid summary ${path}; expected a k6-llm llm-summary.json, got another JSON file`);
  }
  return report;
}

/** The newest results/<run>/llm-summary.json, for commands given no --from. */
function newestSummary(): string {
  const dir = 'results';
  const candidates = existsSync(dir)
    ? readdirSync(dir)
        .map((d) => join(dir, d, 'llm-summary.json'))
        .filter((p) => existsSync(p))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    : [];
  if (!candidates[0]) throw new UsageError('invalid baseline command; expected --from <llm-summary.json>, and found no run under results/');
  return candidates[0];
}

/** Parsed flags of the baseline commands (also accepted by `run`). */
export interface BaselineFlags {
  from: string[];
  out: string;
  baseline: string | null;
  options: CompareOptions;
}

/** Parses --from, --out, --baseline, --tolerance [figure=]N%, --min-samples; returns the rest. */
export function parseBaselineFlags(argv: readonly string[]): { flags: BaselineFlags; rest: string[] } {
  const flags: BaselineFlags = { from: [], out: 'k6-llm-baseline.json', baseline: null, options: { tolerance: 0.1, tolerances: {}, minSamples: 30 } };
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

/** Compares reports (median of several) with a baseline file; prints the table; returns the exit code. */
export function compareWithBaseline(baselinePath: string, reports: LlmReport[], options: CompareOptions, print: (s: string) => void): number {
  if (!existsSync(baselinePath)) throw new UsageError(`invalid --baseline; expected a file saved by \`k6-llm baseline save\`, got "${baselinePath}" (no such file)`);
  const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline;
  if (baseline.version !== 1 || typeof baseline.workloads !== 'object') {
    throw new UsageError(`invalid baseline ${baselinePath}; expected a k6-llm baseline (version 1), got another JSON file`);
  }
  const rows = compare(baseline, medianFigures(reports.map(figuresOf)), options);
  print(`regression gate against ${baselinePath} (saved ${baseline.savedAt} from ${baseline.source})${reports.length > 1 ? `, median of ${reports.length} runs` : ''}`);
  print(renderComparison(rows));
  const regressions = rows.filter((r) => r.verdict === 'regression' || r.verdict === 'missing');
  const inconclusive = rows.filter((r) => r.verdict === 'inconclusive').length;
  if (regressions.length > 0) {
    print(`regression: ${regressions.map((r) => `${r.workload} ${r.figure}`).join(', ')}`);
    return REGRESSION_EXIT_CODE;
  }
  print(`no regression${inconclusive ? ` (${inconclusive} figure(s) inconclusive: too few samples to judge)` : ''}`);
  return 0;
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
  const sources = flags.from.length ? flags.from : [newestSummary()];
  if (command.sub === 'save') {
    const baseline = makeBaseline(sources.map(readReport), sources.join(', '), new Date().toISOString());
    writeFileSync(flags.out, `${JSON.stringify(baseline, null, 2)}\n`);
    process.stdout.write(`baseline saved to ${flags.out} from ${sources.join(', ')}\n`);
    return 0;
  }
  return compareWithBaseline(command.baseline, sources.map(readReport), flags.options, (s) => process.stdout.write(`${s}\n`));
}
