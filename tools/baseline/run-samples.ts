// Reads the per-request samples of run folders for the regression gate:
// each run's llm-summary.json (its workloads, length and request counts) and
// the stream meter's records (requests.jsonl; a merged run's instance
// folders), read with the merge's reader, cut into time windows and pooled
// over the runs given.

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { protocolByName } from '../../src/protocols/index.ts';
import type { LlmReport } from '../../src/summary/schema.ts';
import { readRecords } from '../merge/records.ts';
import { readRunSummary, RECORDS_FILE } from '../report/run-dir.ts';
import { BaselineError, type BaselineRun } from './baseline-file.ts';
import { BlockBuilder, poolSamples, thinningFor, type WorkloadSample } from './blocks.ts';

/** A run folder given as the folder or as its llm-summary.json. */
export function runFolderOf(path: string): string {
  return existsSync(path) && statSync(path).isFile() ? dirname(path) : path;
}

/** The records files of a run: its own, or a merged run's instance folders' (as named in its summary, else beside it). */
function recordsFiles(dir: string, report: LlmReport): string[] {
  const own = join(dir, RECORDS_FILE);
  if (existsSync(own)) return [own];
  if (report.merge) {
    const files = report.merge.instances.map((i) => [join(i, RECORDS_FILE), join(dir, basename(i), RECORDS_FILE)].find((f) => existsSync(f)));
    if (files.every((f): f is string => f !== undefined)) return files;
  }
  throw new BaselineError(
    `invalid run folder ${dir}; expected the stream meter's ${RECORDS_FILE} in it (the gate compares per-request samples; runs of the k6-llm CLI keep it), got none`,
  );
}

/**
 * How high a run's latency tails may read because its load generator was
 * short of CPU, as its summary's warning says (src/summary/build.ts
 * generatorWarning): the read lag p99 with kernel stamps, else the timer lag
 * p99; 0 when the run warned of nothing.
 */
export function mayReadHighMs(r: LlmReport): number {
  const g = r.generator;
  if (!g?.warning) return 0;
  const finite = (n: number | undefined): number => (n !== undefined && Number.isFinite(n) ? n : 0);
  return g.kernelStamps ? finite(g.readLagMs?.p99) : finite(g.lagMs?.p99);
}

/** The samples of one or more runs, pooled per workload, and the runs read. */
export interface RunSamples {
  runs: BaselineRun[];
  reports: LlmReport[];
  workloads: Record<string, WorkloadSample>;
}

/** Reads run folders (or their llm-summary.json paths) into per-workload samples, pooled over the runs. */
export function readRunSamples(paths: readonly string[]): RunSamples {
  const dirs = paths.map(runFolderOf);
  const reports = dirs.map(readRunSummary);
  const runs = dirs.map((dir, i): BaselineRun => {
    const r = reports[i] as LlmReport;
    if (r.testRunDurationMs === null || !(r.testRunDurationMs > 0)) throw new BaselineError(`invalid run folder ${dir}; expected its length (testRunDurationMs) in llm-summary.json, got ${r.testRunDurationMs}`);
    return { source: dir, model: String(r.run.model ?? ''), durationMs: r.testRunDurationMs, mayReadHighMs: mayReadHighMs(r) };
  });
  // One thinning per workload over every run, so each request weighs the same in the pool.
  const totals = new Map<string, { requests: number; itls: number }>();
  for (const r of reports) {
    for (const [name, w] of Object.entries(r.workloads)) {
      const t = totals.get(name) ?? { requests: 0, itls: 0 };
      t.requests += w.requests;
      t.itls += w.itlMs?.count ?? 0;
      totals.set(name, t);
    }
  }
  const thinning = new Map([...totals].map(([name, t]) => [name, thinningFor(t.requests, t.itls)]));
  const builders = new Map<string, BlockBuilder[]>();
  for (const [i, dir] of dirs.entries()) {
    const report = reports[i] as LlmReport;
    const names = Object.keys(report.workloads);
    const mine = new Map<string, BlockBuilder>();
    const builderOf = (workload: string): BlockBuilder => {
      let b = mine.get(workload);
      if (!b) {
        b = new BlockBuilder((runs[i] as BaselineRun).durationMs, thinning.get(workload) ?? thinningFor(0, 0), i, workload);
        mine.set(workload, b);
        builders.set(workload, [...(builders.get(workload) ?? []), b]);
      }
      return b;
    };
    for (const name of names) builderOf(name);
    const adapter = protocolByName(String(report.run.protocol ?? 'openai-chat'));
    for (const path of recordsFiles(dir, report)) {
      // Records without k6-llm's context (a script of one's own): times from the first record's send.
      let origin: number | null = null;
      for (const r of readRecords(path, adapter, names.length === 1 ? (names[0] as string) : null)) {
        // Cut by the end of the test: no figure the gate compares takes them.
        if (r.record.error === 'interrupted') continue;
        origin ??= r.raw.sentUnixNs;
        const startedMs = r.context ? r.context.startedMs : (r.raw.sentUnixNs - origin) / 1e6;
        builderOf(r.workload).add({ startedMs, record: r.record });
      }
    }
  }
  const workloads: Record<string, WorkloadSample> = {};
  for (const [name, list] of builders) workloads[name] = poolSamples(list, thinning.get(name) ?? thinningFor(0, 0));
  return { runs, reports, workloads };
}
