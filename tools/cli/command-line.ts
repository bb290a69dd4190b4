// A k6-llm command line parsed and checked, with nothing started: main.ts
// runs what this returns, and the docs' tests parse every command line the
// documentation shows with it (test/unit/docs/shell-snippets.test.ts), so a
// documented flag the CLI does not take fails a test.

import type { Price } from '../../src/report/cost.ts';
import { parseMockArgs, type MockConfig } from '../mock-server/config.ts';
import { parseRunArgs, requireEndpoint, UsageError, type RunArgs } from './args.ts';
import { parseBaselineCommand, parseBaselineFlags, type BaselineCommand, type BaselineFlags } from './baseline-command.ts';
import { parseInstances } from './instances.ts';
import { parseMergeArgs, type MergeArgs } from './merge-command.ts';
import { parseCompareArgs, parseReportArgs, takeFlag, takePrice, type CompareArgs, type ReportArgs } from './report-command.ts';
import { isScriptPath } from './user-script.ts';

/** `demo [workload] [flags]`. */
export interface DemoCommandLine {
  run: RunArgs;
  price: Price | null;
  serverMetrics: string | null;
  prometheusRw: string | null;
}

/** `run <workload> [flags]`: the demo's flags, plus the baseline gate, repeats and instances. */
export interface RunCommandLine extends DemoCommandLine {
  baseline: BaselineFlags;
  repeat: number;
  instances: number;
}

/** A whole command line (without the program's name). */
export type CommandLine =
  | { command: 'demo'; demo: DemoCommandLine }
  | { command: 'run'; run: RunCommandLine }
  | { command: 'build'; entry: string; out: string | null }
  | { command: 'merge'; merge: MergeArgs }
  | { command: 'baseline'; baseline: BaselineCommand }
  | { command: 'report'; report: ReportArgs }
  | { command: 'compare'; compare: CompareArgs }
  | { command: 'mock'; mock: MockConfig }
  /** The meter's own flags go to the meter, which checks them itself. */
  | { command: 'meter'; args: string[] }
  | { command: 'provision' | 'workloads' | '--version' | 'help' };

/** `demo`'s arguments: a workload (default chat) and the run flags; --url is the mock's. */
export function parseDemoCommand(argv: readonly string[]): DemoCommandLine {
  const rest = [...argv];
  const price = takePrice(rest);
  const serverMetrics = takeFlag(rest, '--server-metrics');
  const prometheusRw = takeFlag(rest, '--prometheus-rw');
  // `demo realtime ...` picks a workload; chat is the default.
  const run = parseRunArgs(rest[0] !== undefined && !rest[0].startsWith('-') ? rest : ['chat', ...rest]);
  return { run, price, serverMetrics, prometheusRw };
}

/** `run`'s arguments; refuses a built-in workload without an endpoint (--url or LLM_BASE_URL in `env`). */
export function parseRunCommand(argv: readonly string[], env: NodeJS.ProcessEnv): RunCommandLine {
  // baseline save's flags, which the baseline flags' parser would take without a word.
  for (const flag of ['--out', '--from']) {
    if (argv.includes(flag)) throw new UsageError(`invalid flag ${flag} for run; expected ${flag === '--out' ? '--out-dir DIR (where the reports go)' : '--baseline FILE (a saved baseline to gate against)'}; ${flag} belongs to k6-llm baseline save`);
  }
  const { flags, rest } = parseBaselineFlags([...argv]);
  const price = takePrice(rest);
  const serverMetrics = takeFlag(rest, '--server-metrics');
  const prometheusRw = takeFlag(rest, '--prometheus-rw');
  const repeatAt = rest.indexOf('--repeat');
  let repeat = 1;
  if (repeatAt >= 0) {
    const v = rest[repeatAt + 1] ?? '';
    repeat = Number(v);
    if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) throw new UsageError(`invalid --repeat; expected a whole number from 1 to 20, got "${v}"`);
    rest.splice(repeatAt, 2);
  }
  const instancesFlag = takeFlag(rest, '--instances');
  const run = parseRunArgs(rest);
  requireEndpoint(run, isScriptPath(run.workload), env);
  const instances = instancesFlag === null ? 1 : parseInstances(instancesFlag, run.workload);
  return { run, price, serverMetrics, prometheusRw, baseline: flags, repeat, instances };
}

/** `build <script> [--out FILE]`. */
export function parseBuildCommand(argv: readonly string[]): { entry: string; out: string | null } {
  const rest = [...argv];
  const out = takeFlag(rest, '--out');
  const [entry, ...extra] = rest;
  if (entry === undefined || entry.startsWith('-') || extra.length > 0) throw new UsageError('invalid build command; expected one script and an optional --out FILE, e.g. `k6-llm build ./my-test.ts --out my-test.js`');
  return { entry, out };
}

/** Parses `argv` (the words after `k6-llm`); throws a UsageError (or the mock's MockConfigError) in one line. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): CommandLine {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo':
      return { command, demo: parseDemoCommand(rest) };
    case 'run':
      return { command, run: parseRunCommand(rest, env) };
    case 'build':
      return { command, ...parseBuildCommand(rest) };
    case 'merge':
      return { command, merge: parseMergeArgs(rest) };
    case 'baseline':
      return { command, baseline: parseBaselineCommand(rest) };
    case 'report':
      return { command, report: parseReportArgs(rest) };
    case 'compare':
      return { command, compare: parseCompareArgs(rest) };
    case 'mock':
      return { command, mock: parseMockArgs(rest, env) };
    case 'meter':
      return { command, args: rest };
    case 'provision':
    case 'workloads':
    case '--version':
      return { command };
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      return { command: 'help' };
    default:
      throw new UsageError(`invalid command "${command}"; expected demo, run, build, merge, mock, meter, provision, baseline, report, compare or workloads (see k6-llm --help)`);
  }
}
