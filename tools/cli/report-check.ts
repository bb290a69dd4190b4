// Never exit 0 without the reports. k6 logs a handleSummary that threw, or a
// report file it could not write, and exits 0 (or 99) all the same; so once
// k6 has exited the CLI checks that the reports the run's handleSummary
// writes are there, written by this run, and fails it in one line if not.

import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The CLI's exit code when k6 ended without the run's LLM reports (docs/exit-codes.md). */
export const NO_REPORTS_EXIT_CODE = 96;

/** A file older than the run by more than this was left by an earlier one (coarse file-system clocks allowed for). */
const MTIME_SLACK_MS = 2000;

/**
 * The reports a run of `workload` writes into `outDir` (handleSummary): the
 * JSON summary (`summaryJson`, LLM_SUMMARY_JSON, when set), then the ramp's
 * report, or the Markdown and JUnit reports of every other workload.
 */
export function expectedReports(outDir: string, workload: string, summaryJson: string | null): string[] {
  const others = workload === 'ramp' ? ['ramp.json'] : ['llm-summary.md', 'llm-junit.xml'];
  return [resolve(summaryJson ?? join(outDir, 'llm-summary.json')), ...others.map((f) => resolve(outDir, f))];
}

/** What the CLI needs of a file: its modification time in ms, or null when it does not exist. */
export type MtimeOf = (path: string) => number | null;

const fileMtime: MtimeOf = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
};

/**
 * Why the reports are missing, as one line, or null when every one of
 * `paths` was written since `sinceMs` (when k6 started). `k6Code` is k6's
 * exit code, said in the line.
 */
export function missingReports(paths: readonly string[], sinceMs: number, k6Code: number, mtimeOf: MtimeOf = fileMtime): string | null {
  const absent = paths.filter((p) => mtimeOf(p) === null);
  const stale = paths.filter((p) => {
    const t = mtimeOf(p);
    return t !== null && t < sinceMs - MTIME_SLACK_MS;
  });
  if (absent.length === 0 && stale.length === 0) return null;
  const what = [...(absent.length ? [`no ${absent.join(', ')}`] : []), ...(stale.length ? [`only an earlier run's ${stale.join(', ')}`] : [])].join('; ');
  return (
    `k6 exited ${k6Code} but the run's reports were not written (${what}): its handleSummary failed or a file could not be written ` +
    `(k6's error is above); exit ${NO_REPORTS_EXIT_CODE}`
  );
}

/** Whether k6's exit code says it ran to the end and wrote its summary: 0 (all thresholds held) or 99 (one failed). */
export function promisesReports(k6Code: number): boolean {
  return k6Code === 0 || k6Code === 99;
}
