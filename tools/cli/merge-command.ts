// `k6-llm merge <instance-dir>... --out DIR [--thresholds F]`: one summary
// (JSON, Markdown, JUnit, console) from several k6 instances' folders, with
// exact percentiles over all their requests and the SLO judged on the merged
// figures; exits 0, or 99 when a threshold failed, as one run would.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRampText } from '../../src/ramp/ramp-text.ts';
import { rampFiles } from '../../src/ramp/summary-handler.ts';
import { renderJunit } from '../../src/summary/junit.ts';
import { renderMarkdown } from '../../src/summary/markdown.ts';
import { renderText } from '../../src/summary/text.ts';
import type { Price } from '../../src/report/cost.ts';
import { recordCost, writeRunReport } from '../report/run-dir.ts';
import { logCost } from './run-k6.ts';
import { mergeRunDirs } from '../merge/merge-dirs.ts';
import { UsageError } from './args.ts';

/** Parsed `merge` arguments. */
export interface MergeArgs {
  dirs: string[];
  out: string;
  thresholds: string | null;
  /** The price llm-report.html turns into cost (run --price). */
  price?: Price | null;
}

/** Parses `merge` arguments (without the command word). */
export function parseMergeArgs(argv: readonly string[]): MergeArgs {
  const dirs: string[] = [];
  let out: string | null = null;
  let thresholds: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--out' || arg === '--thresholds') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`invalid ${arg}; expected a value after it, got ${value ?? 'nothing'}`);
      if (arg === '--out') out = value;
      else thresholds = value;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`invalid flag ${arg} for merge; expected --out DIR or --thresholds FILE|profile|none`);
    } else {
      dirs.push(arg);
    }
  }
  if (dirs.length === 0) throw new UsageError('invalid merge command; expected instance folders, e.g. `k6-llm merge results/i0 results/i1 --out results/merged`');
  if (out === null) throw new UsageError('invalid merge command; expected --out DIR (where the merged reports go)');
  return { dirs, out, thresholds };
}

/** Merges, writes the reports into args.out, prints the console summary; returns the exit code (0, or 99 when a threshold failed or a ramp's stop rule fired). */
export function runMerge(args: MergeArgs, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  const started = performance.now();
  const { report, ramp, failed, stats } = mergeRunDirs(args.dirs, { thresholds: args.thresholds, secrets: [process.env.LLM_API_KEY] });
  mkdirSync(args.out, { recursive: true });
  const json = join(args.out, 'llm-summary.json');
  const md = join(args.out, 'llm-summary.md');
  const junit = join(args.out, 'llm-junit.xml');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, renderMarkdown(report));
  writeFileSync(junit, renderJunit(report));
  const written = [json, md, junit];
  // A ramp: its per-level report from every instance's requests, as one run writes it.
  const rampOut = ramp ? rampFiles(args.out, ramp) : {};
  for (const [path, content] of Object.entries(rampOut)) writeFileSync(path, content);
  written.push(...Object.keys(rampOut));
  process.stdout.write(`${ramp ? renderRampText(ramp) : ''}${renderText(report)}reports: ${written.join(', ')}\n`);
  const mib = (stats.sampleBytes / 2 ** 20).toFixed(1);
  log(`k6-llm: merged ${stats.records} requests (${stats.samples} samples, ${mib} MiB of sample columns) from ${args.dirs.length} instances in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    if (args.price) logCost(recordCost(args.out, args.price));
    log(`k6-llm: report: ${writeRunReport(args.out, args.price ?? null)}`);
  } catch (err) {
    log(`k6-llm: could not write llm-report.html: ${(err as Error).message}`);
  }
  // As one ramp run: a stop rule that fired (judged on the merged levels) is k6's threshold exit.
  return failed || (ramp !== null && ramp.stop.firedAtLevel !== null) ? 99 : 0;
}
