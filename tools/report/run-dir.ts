// Reads a run's folder (llm-summary.json, the meter's requests.jsonl, a
// ramp's ramp.json) and writes its llm-report.html, or one comparison page of
// several runs. The pages themselves are src/report's pure renderers.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { protocolByName } from '../../src/protocols/index.ts';
import type { RampReport } from '../../src/ramp/ramp-report.ts';
import { priceFromText, type Price } from '../../src/report/cost.ts';
import { renderComparison } from '../../src/report/compare.ts';
import { requestsFromRecords } from '../../src/report/requests.ts';
import { renderRunReport, runCost, type RunData } from '../../src/report/run-report.ts';
import { renderJunit } from '../../src/summary/junit.ts';
import { renderMarkdown } from '../../src/summary/markdown.ts';
import type { CostSection, LlmReport, RegressionSection } from '../../src/summary/schema.ts';
import { readScrapes } from '../server-metrics/scraper.ts';

/** The meter's records file in a run folder. */
export const RECORDS_FILE = 'requests.jsonl';
/** The ramp's per-level report in a run folder. */
export const RAMP_FILE = 'ramp.json';
/** The server's /metrics scrapes in a run folder (--server-metrics). */
export const SERVER_METRICS_FILE = 'server-metrics.jsonl';
/** The report page written in a run folder. */
export const REPORT_FILE = 'llm-report.html';

/** Thrown when a folder is not a run (no readable llm-summary.json). */
export class RunDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunDirError';
  }
}

/** A run folder's llm-summary.json, checked; throws RunDirError in one line. */
export function readRunSummary(dir: string): LlmReport {
  const summaryPath = join(dir, 'llm-summary.json');
  if (!existsSync(summaryPath)) throw new RunDirError(`invalid run folder ${dir}; expected llm-summary.json in it (a k6-llm run's LLM_OUT_DIR), got none`);
  let summary: LlmReport;
  try {
    summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as LlmReport;
  } catch (err) {
    throw new RunDirError(`invalid ${summaryPath}; expected k6-llm's JSON summary, got unreadable JSON (${(err as Error).message})`);
  }
  if (summary.tool !== 'k6-llm' || typeof summary.workloads !== 'object') throw new RunDirError(`invalid ${summaryPath}; expected k6-llm's JSON summary ("tool": "k6-llm"), got another file`);
  return summary;
}

/** Reads a run folder. */
export function readRunDir(dir: string): RunData {
  const summary = readRunSummary(dir);
  const recordsPath = join(dir, RECORDS_FILE);
  const workloads = Object.keys(summary.workloads);
  const read = existsSync(recordsPath)
    ? requestsFromRecords(readFileSync(recordsPath, 'utf8'), protocolByName(String(summary.run.protocol ?? 'openai-chat')), workloads[0] ?? 'chat')
    : null;
  const serverPath = join(dir, SERVER_METRICS_FILE);
  const server = existsSync(serverPath) ? { scrapes: readScrapes(readFileSync(serverPath, 'utf8')), url: null, startUnixMs: read?.startUnixMs ?? null } : null;
  const rampPath = join(dir, RAMP_FILE);
  const ramp = existsSync(rampPath) ? (JSON.parse(readFileSync(rampPath, 'utf8')) as RampReport) : null;
  return { name: basename(resolve(dir)), summary, requests: read?.points ?? null, ramp, server };
}

/**
 * Adds the run's cost at `price` to `<dir>/llm-summary.json` (its `cost`
 * field) and re-renders llm-summary.md from it, so CI can read what the HTML
 * report shows; returns the cost, or null when it has no figure (an hourly
 * price without a run length).
 */
export function recordCost(dir: string, price: Price): CostSection | null {
  const path = join(dir, 'llm-summary.json');
  const summary = JSON.parse(readFileSync(path, 'utf8')) as LlmReport;
  const cost = runCost(summary, price);
  if (!cost) return null;
  summary.cost = { price: cost.priceText, totalDollars: cost.totalDollars, perMillionOutputTokens: cost.perMillionOutputTokens, perRequest: cost.perRequest };
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(dir, 'llm-summary.md'), renderMarkdown(summary));
  return summary.cost;
}

/**
 * Adds the regression gate's result to `<dir>/llm-summary.json` (its
 * `regression` field) and renders it into the run's other reports
 * (llm-summary.md and llm-junit.xml where the run wrote them, and
 * llm-report.html, at the run's price); returns the files written.
 */
export function recordRegression(dir: string, section: RegressionSection, price: Price | null = null): string[] {
  const path = join(dir, 'llm-summary.json');
  const summary = JSON.parse(readFileSync(path, 'utf8')) as LlmReport;
  summary.regression = section;
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
  const written = [path];
  const md = join(dir, 'llm-summary.md');
  if (existsSync(md)) written.push(write(md, renderMarkdown(summary)));
  const junit = join(dir, 'llm-junit.xml');
  if (existsSync(junit)) written.push(write(junit, renderJunit(summary)));
  written.push(writeRunReport(dir, price ?? (summary.cost ? priceFromText(summary.cost.price) : null)));
  return written;
}

function write(path: string, content: string): string {
  writeFileSync(path, content);
  return path;
}

/** Writes `<dir>/llm-report.html` and returns its path. */
export function writeRunReport(dir: string, price: Price | null = null): string {
  const run = readRunDir(dir);
  const path = join(dir, REPORT_FILE);
  writeFileSync(path, renderRunReport(run, price));
  return path;
}

/** Writes the comparison of `dirs` to `<outDir>/llm-compare.html` and returns its path. */
export function writeComparison(dirs: readonly string[], outDir: string, price: Price | null = null): string {
  const runs = dirs.map(readRunDir);
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'llm-compare.html');
  writeFileSync(path, renderComparison(runs, price));
  return path;
}
