// Runs one workload's bundled script with k6: validates the configuration in
// Node first (the same parseWorkloadConfig k6 runs), creates the output folder, and
// passes settings as -e variables; the API key stays in the environment.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseWorkloadConfig } from '../../src/config/scope.ts';
import { KNOBS, parseConfig } from '../../src/config/config.ts';
import { workloadKey } from '../../src/measure/metric-key.ts';
import { selectThresholds } from '../../src/thresholds/select.ts';
import { closest } from '../../src/suggest.ts';
import { parseTrace } from '../../src/arrivals/trace.ts';
import { parseDataset, refuseDatasetImages, refuseDatasetTools, resolveImageFiles } from '../../src/datasets/prompt-dataset.ts';
import { parseToolsFile } from '../../src/datasets/tool-specs.ts';
import type { LlmReport } from '../../src/summary/schema.ts';
import { K6_ENV, k6Version } from '../provision/k6.ts';
import { startMeter } from '../provision/meter.ts';
import { dollars, type Price } from '../../src/report/cost.ts';
import type { CostSection } from '../../src/summary/schema.ts';
import { RECORDS_FILE, recordCost, SERVER_METRICS_FILE, writeRunReport } from '../report/run-dir.ts';
import { startScraper } from '../server-metrics/scraper.ts';
import { UsageError } from './args.ts';
import { ABORTED_EXIT_CODE, interruptHandler } from './interrupts.ts';
import { levelLabel, startProgress } from './progress.ts';
import { rampPlan } from '../../src/ramp/plan.ts';
import { removeIfEmpty } from './run-folder.ts';
import { prometheusRwOutput } from './live-metrics.ts';
import { expectedReports, missingReports, NO_REPORTS_EXIT_CODE, promisesReports } from './report-check.ts';

/** Workload names: one bundled script per scenario in dist/. */
export function availableWorkloads(root: string): string[] {
  const dist = join(root, 'dist');
  if (!existsSync(dist)) return [];
  return readdirSync(dist)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** What to run. */
export interface K6Run {
  root: string;
  k6: string;
  /** A built-in workload's name, or a script of one's own's (scriptName). */
  workload: string;
  /** A script of one's own, bundled (user-script.ts): run instead of dist/<workload>.js. */
  script?: { path: string; ownSummary: boolean };
  variables: Record<string, string>;
  outDir: string;
  /** Extra environment for k6 (e.g. LLM_API_KEY). */
  env?: NodeJS.ProcessEnv;
  /** The price the HTML report turns into cost (--price). */
  price?: Price | null;
  /** No progress lines (--quiet). */
  quiet?: boolean;
  /** The server's Prometheus /metrics URL to scrape during the run (--server-metrics). */
  serverMetrics?: string | null;
  /** Prometheus remote-write URL for k6's live metrics (--prometheus-rw). */
  prometheusRw?: string | null;
}

/** Checks workload and variables before anything is started; throws one-line errors. */
export function validateRun(run: Omit<K6Run, 'k6'>): void {
  if (run.script) {
    // A script of one's own: the LLM_* values it may read are checked; which apply is the script's business.
    parseConfig({ ...pickLlmVariables(run.env ?? process.env), ...run.variables, LLM_OUT_DIR: run.outDir });
    if (run.prometheusRw) prometheusRwOutput(run.prometheusRw, run.env ?? process.env);
    return;
  }
  const workloads = availableWorkloads(run.root);
  if (!workloads.includes(run.workload)) {
    const hint = closest(run.workload, workloads);
    throw new UsageError(`invalid workload "${run.workload}"; ${hint ? `did you mean ${hint}? ` : ''}expected one of ${workloads.join(', ') || '(none built: run npm run build)'}`);
  }
  // The same validation k6 will run (values, and the knobs that apply to this workload), so bad input fails before any load.
  const config = parseWorkloadConfig({ ...pickLlmVariables(run.env ?? process.env), ...run.variables, LLM_OUT_DIR: run.outDir }, run.workload);
  selectThresholds(config.report.thresholds, run.workload, (path) => readFileSync(path, 'utf8'));
  // Datasets and traces too, with the parsers k6 runs: one plain line naming the file and line.
  if (config.prompts.dataset !== null) {
    const dataset = config.prompts.dataset;
    const items = parseDataset(readInput(dataset, 'LLM_DATASET (--dataset)'), dataset);
    refuseDatasetImages(refuseDatasetTools(items, dataset, config.endpoint.protocol), dataset, config.endpoint.protocol);
    // Every image file a line names must be there and be an image (k6 reads them the same way at init).
    resolveImageFiles(items, dataset, (path) => readFileSync(path), () => '');
  }
  if (config.request.tools !== null) parseToolsFile(readInput(config.request.tools, 'LLM_TOOLS (--tools)'), config.request.tools);
  if (config.load.trace !== null) parseTrace(readInput(config.load.trace, 'LLM_TRACE (--trace)'), config.load.trace);
  if (run.prometheusRw) prometheusRwOutput(run.prometheusRw, run.env ?? process.env);
}

function readInput(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a folder' : e.code === 'EACCES' ? 'not readable' : e.message;
    throw new UsageError(`invalid ${name}; expected a readable JSONL file, got "${path}" (${why}, from ${process.cwd()})`);
  }
}

/** The run's planned length for the progress line (LLM_DURATION, or the ramp's plan with its levels); null for coldstart. */
export function plannedLength(run: Omit<K6Run, 'k6'>): { totalMs: number | null; levelAt?: (elapsedMs: number) => string | null } {
  // A script of one's own sets its own length: the progress line shows the time elapsed.
  if (run.script) return { totalMs: null };
  const config = parseWorkloadConfig({ ...pickLlmVariables(run.env ?? process.env), ...run.variables, LLM_OUT_DIR: run.outDir }, run.workload);
  if (run.workload === 'ramp') {
    const plan = rampPlan(config.ramp);
    const unit = plan.by === 'rate' ? '/s' : ' streams';
    return { totalMs: plan.totalMs, levelAt: (ms) => levelLabel(config.ramp.levels, config.ramp.levelDurationMs, unit, ms) };
  }
  if (!(KNOBS.LLM_DURATION?.workloads as readonly string[] | undefined)?.includes(run.workload)) return { totalMs: null };
  return { totalMs: config.load.durationMs };
}

/** k6's open() resolves relative paths against the script's folder: hand it absolute paths. */
function absoluteThresholdsPath(variables: Record<string, string>): Record<string, string> {
  const out = { ...variables };
  const value = variables.LLM_THRESHOLDS;
  if (value !== undefined && (value.includes('/') || value.endsWith('.json'))) out.LLM_THRESHOLDS = resolve(value);
  for (const name of ['LLM_DATASET', 'LLM_TRACE']) {
    const path = variables[name];
    if (path) out[name] = resolve(path);
  }
  return out;
}

function pickLlmVariables(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) if (key.startsWith('LLM_')) out[key] = value;
  return out;
}

/**
 * A stability bound k6 could not judge (xk6-sse without the stream meter has
 * no process-wide TTFT store): the report says it failed, the CLI exits 99.
 */
export function unjudgedStabilityFailure(summaryPath: string): string | null {
  if (!existsSync(summaryPath)) return null;
  const report = JSON.parse(readFileSync(summaryPath, 'utf8')) as LlmReport;
  for (const [workload, w] of Object.entries(report.workloads)) {
    const judgedByK6 = report.thresholds.some((t) => t.metric === workloadKey('llm_ttft_spread', workload));
    if (w.stability && !w.stability.ok && !judgedByK6) {
      return `${workload}: TTFT p99/p50 ${w.stability.ttftSpread?.toFixed(2)} is above the bound ${w.stability.ttftSpreadMax}`;
    }
  }
  return null;
}

/** The report files the run's handleSummary writes (checked once k6 has exited: report-check.ts). */
export function runReports(run: Omit<K6Run, 'k6'>): string[] {
  // A script with a handleSummary of its own writes what it writes.
  if (run.script?.ownSummary) return [];
  const config = run.script
    ? parseConfig({ ...pickLlmVariables(run.env ?? process.env), ...run.variables, LLM_OUT_DIR: run.outDir })
    : parseWorkloadConfig({ ...pickLlmVariables(run.env ?? process.env), ...run.variables, LLM_OUT_DIR: run.outDir }, run.workload);
  return expectedReports(run.outDir, run.workload, config.report.summaryJson);
}

/**
 * True when the run needs a stream meter started for it: not when the user
 * gave one (LLM_METER_URL) or asked for xk6-sse.
 */
export function needsMeter(run: Omit<K6Run, 'k6'>): boolean {
  const env = { ...pickLlmVariables(run.env ?? process.env), ...run.variables };
  return !env.LLM_METER_URL && env.LLM_TRANSPORT !== 'sse';
}

/** Runs k6 beside a stream meter of its own, and resolves with k6's exit code (99 when a threshold failed). */
export async function runK6(run: K6Run): Promise<number> {
  try {
    return await runValidated(run);
  } finally {
    // Input rejected, or k6 failed before writing anything: no empty result folder stays behind
    // (nor an empty ./results that only this run's folder was in).
    if (removeIfEmpty(run.outDir) && resolve(dirname(run.outDir)) === resolve('results')) removeIfEmpty('results');
  }
}

async function runValidated(run: K6Run): Promise<number> {
  validateRun(run);
  mkdirSync(run.outDir, { recursive: true });
  // The meter writes one line per request (no headers): the HTML report's time series.
  const records = join(resolve(run.outDir), RECORDS_FILE);
  const log = (line: string) => process.stderr.write(`k6-llm: ${line}\n`);
  const meter = needsMeter(run) ? await startMeter({ records, log }) : null;
  const scraper = run.serverMetrics ? startScraper({ url: run.serverMetrics, outFile: join(resolve(run.outDir), SERVER_METRICS_FILE), log }) : null;
  const progress = meter && !run.quiet ? startProgress({ meterUrls: [meter.url], ...plannedLength(run), tty: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) }) : null;
  let code: number;
  const startedMs = Date.now();
  try {
    // The meter's URL holds its secret: passed in the environment, never on k6's command line.
    code = await spawnK6(meter ? { ...run, env: { ...run.env, LLM_METER_URL: meter.url } } : run);
  } finally {
    await progress?.stop();
    // k6 has written its reports by now; the meter only drains.
    if (meter) await meter.stop();
    if (scraper) await scraper.stop();
  }
  const missing = promisesReports(code) ? missingReports(runReports(run), startedMs, code) : null;
  if (missing) {
    process.stderr.write(`k6-llm: ${missing}\n`);
    return NO_REPORTS_EXIT_CODE;
  }
  renderReport(run);
  const unjudged = code === 0 ? unjudgedStabilityFailure(join(resolve(run.outDir), 'llm-summary.json')) : null;
  if (unjudged) {
    process.stderr.write(`k6-llm: stability bound breached: ${unjudged}\n`);
    return 99;
  }
  return code;
}

/** Writes llm-report.html once k6 and the meter are done (records flushed); a report that cannot be drawn is a warning, never the run's failure. */
function renderReport(run: K6Run): void {
  if (!existsSync(join(run.outDir, 'llm-summary.json'))) return;
  try {
    if (run.price) logCost(recordCost(run.outDir, run.price));
    process.stderr.write(`k6-llm: report: ${writeRunReport(run.outDir, run.price ?? null)}\n`);
  } catch (err) {
    process.stderr.write(`k6-llm: could not write llm-report.html: ${(err as Error).message}\n`);
  }
}

/** One line with the run's cost (--price), as llm-summary.json now holds it. */
export function logCost(cost: CostSection | null): void {
  process.stderr.write(
    cost
      ? `k6-llm: cost at ${cost.price}: ${dollars(cost.perMillionOutputTokens)} per million output tokens, ${dollars(cost.perRequest)} per request, ${dollars(cost.totalDollars)} for the run (llm-summary.json "cost")\n`
      : 'k6-llm: cost: no figure (an hourly price needs the run\'s length)\n',
  );
}

/** How spawnK6 starts k6 beyond the run: k6 flags before the script (execution segments), where its stdout goes. */
export interface SpawnOptions {
  k6Args?: string[];
  /** A file descriptor for k6's stdout (its console summary); default the CLI's own. */
  stdoutFd?: number;
  /** Whether this k6's Ctrl-C lines are printed (with several instances, one says them for all); default true. */
  sayInterrupts?: boolean;
}

/** Starts k6 on the workload's script (its output folder exists already) and resolves with its exit code. */
export function spawnK6(run: K6Run, options: SpawnOptions = {}): Promise<number> {
  // Raw log lines: k6-llm's own lines already say what they are (no `time=… level=info msg=…`).
  const live = run.prometheusRw ? prometheusRwOutput(run.prometheusRw, { ...process.env, ...run.env }, k6Version(run.k6)) : { args: [], env: {} };
  const args = ['run', '--quiet', '--log-format', 'raw', ...live.args, ...(options.k6Args ?? []), '-e', `LLM_OUT_DIR=${resolve(run.outDir)}`];
  for (const [key, value] of Object.entries(absoluteThresholdsPath(run.variables))) args.push('-e', `${key}=${value}`);
  args.push(run.script?.path ?? join(run.root, 'dist', `${run.workload}.js`));
  const child = spawn(run.k6, args, {
    stdio: options.stdoutFd === undefined ? 'inherit' : ['inherit', options.stdoutFd, 'inherit'],
    env: { ...process.env, ...live.env, ...run.env, ...K6_ENV },
    // Its own process group: a terminal's Ctrl-C reaches the CLI only, which passes it on once
    // (two SIGINTs make k6 abort without reports); see interrupts.ts.
    detached: true,
  });
  const interrupts = interruptHandler({ now: () => performance.now(), interrupt: () => child.kill('SIGINT'), say: (line) => (options.sayInterrupts === false ? undefined : process.stderr.write(`${line}\n`)) });
  const onInt = () => interrupts.onSigint();
  const onTerm = () => child.kill('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolvePromise, reject) => {
    child.on('error', (err) => reject(new UsageError(`could not start k6 (${run.k6}): ${err.message}`)));
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolvePromise(interrupts.aborted() ? ABORTED_EXIT_CODE : (code ?? (signal ? 128 + 2 : 1)));
    });
  });
}
