// `k6-llm run <workload> --instances N`: N k6 processes on this machine as
// the execution segments of one test (k6's --execution-segment i/N:(i+1)/N
// with the sequence 0,1/N,…,1), each beside its own stream meter and writing
// into its own folder, then one merged summary (merge-command.ts) in the run
// folder, the instance folders kept beneath it. It is how one machine uses
// more cores than one k6 process does, and the local proof of the
// distributed path (ci/k8s runs the same segments on several pods).

import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startMeter, type MeterProcess } from '../provision/meter.ts';
import { RECORDS_FILE, SERVER_METRICS_FILE } from '../report/run-dir.ts';
import { startScraper } from '../server-metrics/scraper.ts';
import { UsageError } from './args.ts';
import { ABORTED_EXIT_CODE } from './interrupts.ts';
import { runMerge } from './merge-command.ts';
import { startProgress } from './progress.ts';
import { missingReports, NO_REPORTS_EXIT_CODE, promisesReports } from './report-check.ts';
import { needsMeter, plannedLength, runReports, spawnK6, validateRun, type K6Run } from './run-k6.ts';

/** Most instances one machine runs (each is a k6 process and a meter). */
export const MAX_INSTANCES = 16;

/** Workloads that cannot be split over instances, and why. */
const UNSPLITTABLE: Readonly<Record<string, string>> = {
  coldstart: 'it runs one VU whose cold and warm probes follow each other',
};

/** k6's flags for instance i (0-based) of n: its segment of the sequence 0,1/n,…,1. */
export function segmentArgs(i: number, n: number): string[] {
  const point = (k: number): string => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);
  const sequence = Array.from({ length: n + 1 }, (_, k) => point(k)).join(',');
  return ['--execution-segment', `${point(i)}:${point(i + 1)}`, '--execution-segment-sequence', sequence];
}

/** The folder of instance i (0-based) inside the run folder. */
export function instanceDir(outDir: string, i: number): string {
  return join(outDir, `instance-${i}`);
}

/** Parses --instances' value; throws a one-line usage error. */
export function parseInstances(value: string, workload: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_INSTANCES) throw new UsageError(`invalid --instances; expected a whole number from 1 to ${MAX_INSTANCES}, got "${value}"`);
  const why = UNSPLITTABLE[workload];
  if (n > 1 && why) throw new UsageError(`invalid --instances ${n} for ${workload}; it cannot be split over instances (${why}): run it as one instance`);
  return n;
}

/** Runs the instances, merges them into run.outDir and resolves with the exit code (the merge's 0/99, or an instance's failure). */
export async function runInstances(run: K6Run, n: number): Promise<number> {
  validateRun(run);
  if (!needsMeter(run)) throw new UsageError('invalid --instances with LLM_METER_URL or --transport sse; expected each instance to get a stream meter of its own (the merge reads their records)');
  mkdirSync(run.outDir, { recursive: true });
  const log = (line: string) => process.stderr.write(`k6-llm: ${line}\n`);
  const dirs = Array.from({ length: n }, (_, i) => instanceDir(run.outDir, i));
  const meters: MeterProcess[] = [];
  // One scrape of the server for the whole test, into the run folder (not per instance).
  const scraper = run.serverMetrics ? startScraper({ url: run.serverMetrics, outFile: join(resolve(run.outDir), SERVER_METRICS_FILE), log }) : null;
  let codes: number[];
  const startedMs = Date.now();
  let progress: { stop(): Promise<void> } | null = null;
  try {
    for (const dir of dirs) {
      mkdirSync(dir, { recursive: true });
      meters.push(await startMeter({ records: join(resolve(dir), RECORDS_FILE), log: (line) => log(`${dir}: ${line}`) }));
    }
    log(`${n} instances of ${run.workload} as execution segments of one test; each one's folder and k6 console output: ${dirs.map((d) => join(d, 'k6-stdout.txt')).join(', ')}`);
    // One progress line for the whole test: every meter's counts summed.
    progress = run.quiet ? null : startProgress({ meterUrls: meters.map((m) => m.url), ...plannedLength(run), tty: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) });
    codes = await Promise.all(
      dirs.map((dir, i) => {
        const fd = openSync(join(dir, 'k6-stdout.txt'), 'w');
        const meter = meters[i] as MeterProcess;
        // `--address ''`: no REST API, whose one port the second k6 could not bind.
        // The meter's URL holds its secret: in the environment, never on k6's command line.
        // With live metrics each instance pushes its own series (k6-operator's tag): the same labels from two k6 would clash.
        const tag = run.prometheusRw ? ['--tag', `instance_id=${i}`] : [];
        return spawnK6({ ...run, outDir: dir, env: { ...run.env, LLM_METER_URL: meter.url } }, { k6Args: [...segmentArgs(i, n), '--address', '', ...tag], stdoutFd: fd, sayInterrupts: i === 0 }).finally(() => closeSync(fd));
      }),
    );
  } finally {
    await progress?.stop();
    // Every k6 has written its reports by now (or failed); the meters only drain and flush their records.
    await Promise.all(meters.map((m) => m.stop()));
    if (scraper) await scraper.stop();
  }
  if (codes.includes(ABORTED_EXIT_CODE)) {
    log(`aborted: no merged reports (the instance folders keep what each wrote)`);
    return ABORTED_EXIT_CODE;
  }
  // An instance whose k6 ended well but wrote no reports fails the run (report-check.ts), before any merge.
  for (const [i, c] of codes.entries()) {
    const missing = promisesReports(c) ? missingReports(runReports({ ...run, outDir: dirs[i] as string }), startedMs, c) : null;
    if (missing) {
      log(`instance ${i} (${dirs[i]}): ${missing}`);
      return NO_REPORTS_EXIT_CODE;
    }
  }
  const failedInstance = codes.findIndex((c) => c !== 0 && c !== 99);
  let merged: number;
  try {
    merged = runMerge({ dirs, out: run.outDir, thresholds: null, price: run.price ?? null });
  } catch (err) {
    if (failedInstance < 0) throw err;
    log(`could not merge: ${(err as Error).message}`);
    merged = 0;
  }
  if (failedInstance >= 0) {
    // 105: k6 stopped by a signal (Ctrl-C): its reports are written and merged above.
    const how = codes[failedInstance] === 105 ? 'was interrupted (k6 exit 105; its reports are merged above)' : `exited ${codes[failedInstance]}`;
    log(`instance ${failedInstance} (${dirs[failedInstance]}) ${how}: see ${join(dirs[failedInstance] as string, 'k6-stdout.txt')}`);
    return codes[failedInstance] as number;
  }
  return merged;
}
