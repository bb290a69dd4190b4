// The k6-llm command line: set-up and defaults around `k6 run`, never
// measurement logic (plain k6 runs of dist/*.js measure exactly the same).

import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../src/errors.ts';
import { KNOBS } from '../../src/config/config.ts';
import { ensureK6, K6_ENV, K6ProvisionError, repoRoot } from '../provision/k6.ts';
import { ensureMeter, MeterProvisionError } from '../provision/meter.ts';
import { meterCommand } from './meter-command.ts';
import { createMockServer } from '../mock-server/server.ts';
import { MockConfigError, parseMockArgs, type MockConfig } from '../mock-server/config.ts';
import { UsageError } from './args.ts';
import { baselineCommand, gateRuns, readBaselineFile } from './baseline-command.ts';
import { BaselineError } from '../baseline/baseline-file.ts';
import { RunDirError } from '../report/run-dir.ts';
import { parseCommandLine, type DemoCommandLine, type RunCommandLine } from './command-line.ts';
import { availableWorkloads, runK6 } from './run-k6.ts';
import { freshRunFolder } from './run-folder.ts';
import { runInstances } from './instances.ts';
import { compareCommand, reportCommand } from './report-command.ts';
import { runMerge } from './merge-command.ts';
import { bundleScript, isScriptPath, runBundlePath, scriptName } from './user-script.ts';
import { MergeInputError } from '../merge/merge-dirs.ts';
import { HELP, usageFor, wantsHelp } from './usage.ts';
import { versionLines } from './version.ts';

function durationApplies(workload: string): boolean {
  return (KNOBS.LLM_DURATION?.workloads as readonly string[] | undefined)?.includes(workload) ?? false;
}

async function demo({ run, price, serverMetrics, prometheusRw }: DemoCommandLine): Promise<number> {
  const root = repoRoot();
  if (run.variables.LLM_BASE_URL !== undefined) process.stderr.write('k6-llm: demo runs against its own mock server: --url is ignored (k6-llm run <workload> --url ... for an endpoint)\n');
  const k6 = run.k6 ?? ensureK6();
  const script = await userScript(run.workload, root);
  const workload = script?.name ?? run.workload;
  const mock = createMockServer(parseMockArgs(['--quiet'], {}));
  const { url } = await mock.listen();
  process.stderr.write(`mock LLM server on ${url} (TTFT 200 ms, 20 ms between tokens, 64 tokens)\n`);
  try {
    return await runK6({
      root,
      k6,
      workload,
      ...(script ? { script } : {}),
      // 20 s unless said otherwise, where the workload's length is LLM_DURATION at all (not coldstart, ramp).
      variables: { ...(durationApplies(workload) && !script ? { LLM_DURATION: '20s' } : {}), ...run.variables, LLM_BASE_URL: url },
      outDir: run.outDir ?? freshRunFolder(`demo-${workload}`),
      quiet: run.quiet,
      price,
      // The mock exposes /metrics with vLLM's names: the demo scrapes it unless told another URL.
      serverMetrics: serverMetrics ?? url.replace(/\/v1$/, '/metrics'),
      prometheusRw,
    });
  } finally {
    const s = mock.stats();
    process.stderr.write(
      `mock server: ${s.requests} requests, ${s.tokensSent} tokens sent, its own send lateness p50 ${s.lateness.p50.toFixed(2)} ms, p99 ${s.lateness.p99.toFixed(2)} ms\n`,
    );
    await mock.close();
    if (script) rmSync(script.path, { force: true });
  }
}

/** A script of one's own named in place of a workload, bundled beside itself (user-script.ts); null for a built-in's name. */
async function userScript(arg: string, root: string): Promise<{ name: string; path: string; ownSummary: boolean } | null> {
  if (!isScriptPath(arg)) return null;
  const path = runBundlePath(arg);
  const exports = await bundleScript(arg, path, root);
  return { name: scriptName(arg), path, ownSummary: exports.includes('handleSummary') };
}

/** `run <workload>`: optionally repeated, optionally gated against a baseline. */
async function runCommand({ run, price, serverMetrics, prometheusRw, baseline: flags, repeat, instances }: RunCommandLine): Promise<number> {
  // A baseline that cannot be used is refused before any load.
  if (flags.baseline) readBaselineFile(flags.baseline);
  const root = repoRoot();
  const k6 = run.k6 ?? ensureK6();
  const script = await userScript(run.workload, root);
  const workload = script?.name ?? run.workload;
  const outDir = run.outDir ?? freshRunFolder(workload);
  const dirs: string[] = [];
  let code = 0;
  try {
    for (let i = 1; i <= repeat; i++) {
      const dir = repeat === 1 ? outDir : join(outDir, `run-${i}`);
      const one = { root, k6, workload, ...(script ? { script } : {}), variables: run.variables, outDir: dir, quiet: run.quiet, price, serverMetrics, prometheusRw };
      code = instances > 1 ? await runInstances(one, instances) : await runK6(one);
      if (existsSync(join(dir, 'llm-summary.json'))) dirs.push(dir);
      if (code !== 0 && code !== 99) return code;
    }
  } finally {
    if (script) rmSync(script.path, { force: true });
  }
  if (!flags.baseline) return code;
  const gate = gateRuns(flags.baseline, dirs, flags.options, (s) => process.stderr.write(`${s}\n`), price);
  // A threshold breach (99) outranks a regression (97): both fail the job.
  return code !== 0 ? code : gate;
}

/** `build <script> [--out FILE]`: a script of one's own as a plain k6 script (beside it by default, where its open() paths still hold). */
async function buildCommand(entry: string, out: string | null): Promise<number> {
  const outFile = out ?? join(dirname(resolve(entry)), `${scriptName(entry)}.bundle.js`);
  const exports = await bundleScript(entry, outFile, repoRoot());
  process.stdout.write(`${outFile}\n`);
  process.stderr.write(
    `k6-llm: built ${outFile}${exports.includes('handleSummary') ? '' : " (with k6-llm's handleSummary: reports go to LLM_OUT_DIR)"}; run it beside a meter: ` +
      'npx k6-llm meter, then k6 run -e LLM_METER_URL=<the URL it prints> ' +
      `${outFile}\n`,
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `k6-llm <command> --help` (or -h): that command's usage, exit 0, nothing run.
  if (command !== undefined && wantsHelp(rest)) {
    const usage = usageFor(command);
    if (usage !== null) {
      process.stdout.write(usage.endsWith('\n') ? usage : `${usage}\n`);
      return 0;
    }
  }
  const line = parseCommandLine(argv, process.env);
  switch (line.command) {
    case 'demo':
      return demo(line.demo);
    case 'run':
      return runCommand(line.run);
    case 'baseline':
      return baselineCommand(line.baseline);
    case 'mock':
      return mockCommand(line.mock);
    case 'build':
      return buildCommand(line.entry, line.out);
    case 'meter':
      return meterCommand(line.args);
    case 'provision': {
      const log = (l: string) => process.stderr.write(`${l}\n`);
      const k6 = ensureK6({ log });
      const version = spawnSync(k6, ['version'], { encoding: 'utf8', env: { ...process.env, ...K6_ENV } });
      process.stdout.write(`k6: ${k6}\nk6 version: ${(version.stdout ?? '').trim()}\nmeter: ${ensureMeter({ log })}\n`);
      return 0;
    }
    case 'report':
      return reportCommand(line.report);
    case 'compare':
      return compareCommand(line.compare);
    case 'merge':
      return runMerge(line.merge);
    case 'workloads':
      process.stdout.write(`${availableWorkloads(repoRoot()).join('\n')}\n`);
      return 0;
    case '--version':
      process.stdout.write(`${versionLines(repoRoot()).join('\n')}\n`);
      return 0;
    case 'help':
      process.stdout.write(`${HELP}\n`);
      return command === undefined ? 2 : 0;
  }
}

/** `mock`: the mock server in the foreground until SIGINT or SIGTERM. */
async function mockCommand(config: MockConfig): Promise<number> {
  const mock = createMockServer(config);
  const { url } = await mock.listen();
  process.stdout.write(`mock-llm listening on ${url}\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await mock.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof K6ProvisionError || err instanceof MeterProvisionError || err instanceof MockConfigError || err instanceof MergeInputError || err instanceof BaselineError || err instanceof RunDirError) {
      process.stderr.write(`k6-llm: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  },
);
