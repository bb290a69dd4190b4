// `k6-llm merge`'s reading side: each instance folder's llm-summary.json and
// the stream meter's requests.jsonl, streamed line by line into the merged
// figures (src/merge), with the SLO each workload was run with. Errors are
// one line naming the file (and line) and what was expected.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergedReport, type MergeInstance } from '../../src/merge/merged-data.ts';
import { mergedRampReport, RampMerge, rampMergePlan } from '../../src/merge/merged-ramp.ts';
import { RAMP_WORKLOAD } from '../../src/ramp/plan.ts';
import type { RampReport } from '../../src/ramp/ramp-report.ts';
import { Samples } from '../../src/merge/samples.ts';
import { WorkloadFigures } from '../../src/merge/workload-figures.ts';
import { protocolByName } from '../../src/protocols/index.ts';
import type { LlmReport } from '../../src/summary/schema.ts';
import { BUNDLED_THRESHOLDS } from '../../src/thresholds/bundled.ts';
import { selectThresholds } from '../../src/thresholds/select.ts';
import { parseThresholdFile, validateThresholdSpec, type ThresholdSpec } from '../../src/thresholds/threshold-file.ts';
import { redact } from '../../src/measure/error-cause.ts';
import { RAMP_FILE, RECORDS_FILE } from '../report/run-dir.ts';
import { MergeInputError, readRecords, snippet, type RecordsCount } from './records.ts';

export { MergeInputError } from './records.ts';

/** What the merge read, for its log line and the memory figures. */
export interface MergeStats {
  records: number;
  samples: number;
  /** Bytes held by every sample column at the end. */
  sampleBytes: number;
}

/** Options of mergeRunDirs. */
export interface MergeOptions {
  /** LLM_THRESHOLDS-style choice (path, profile, none) replacing the SLO the instances ran with. */
  thresholds?: string | null;
  /** Secrets to keep out of error causes (the API key). */
  secrets?: (string | undefined)[];
}

/** Reads instance folders and returns the merged report, whether a threshold failed, and what was read. */
export function mergeRunDirs(
  dirs: readonly string[],
  options: MergeOptions = {},
): { report: LlmReport; ramp: RampReport | null; failed: boolean; stats: MergeStats; notes: string[] } {
  if (dirs.length === 0) throw new MergeInputError('invalid merge; expected one or more instance folders (each with requests.jsonl and llm-summary.json), got none');
  const instances: MergeInstance[] = dirs.map((dir) => ({ name: dir, report: readSummary(dir) }));
  const reports = instances.map((i) => i.report).filter((r): r is LlmReport => r !== null);
  if (reports.length === 0) throw new MergeInputError(`invalid merge; expected at least one instance folder with llm-summary.json, got none in ${dirs.join(', ')} (did every k6 fail?)`);
  const notes: string[] = [];
  for (const r of reports) {
    for (const [name, w] of Object.entries(r.workloads)) {
      if (w.coldStart) throw new MergeInputError(`invalid merge; the ${name} workload runs one VU and its cold/warm probes cannot be split over instances: run it as one instance`);
    }
  }
  const ramps = readRamps(dirs);
  const rampSpec = ramps ? rampSpecOf(ramps, options.thresholds ?? null) : null;
  let rampMerge: RampMerge | null = null;
  if (ramps) {
    try {
      rampMerge = new RampMerge(rampMergePlan(ramps[0] as RampReport), rampSpec?.perRequest ?? {});
    } catch (err) {
      throw new MergeInputError(`${(err as Error).message} (in ${join(dirs[0] as string, RAMP_FILE)})`);
    }
  }
  const protocols = new Set(reports.map((r) => String(r.run.protocol ?? 'openai-chat')));
  if (protocols.size > 1) throw new MergeInputError(`invalid merge; expected instances of one protocol, got ${[...protocols].join(', ')}`);
  const adapter = protocolByName([...protocols][0] as string);
  const specs = new Map<string, ThresholdSpec | null>();
  const figures = new Map<string, WorkloadFigures>();
  const timingFlagMs = instances.map((i) => i.report?.generator.timingFlagMs).find((v): v is number => typeof v === 'number') ?? 1;
  const figuresOf = (workload: string): WorkloadFigures => {
    let f = figures.get(workload);
    if (!f) {
      if (!specs.has(workload)) specs.set(workload, specFor(workload, instances, options.thresholds ?? null));
      // The ramp's whole run is not judged, but its requests meet the per-request bounds of the SLO its levels are judged on.
      const perRequest = workload === RAMP_WORKLOAD && rampSpec ? rampSpec.perRequest : specs.get(workload)?.perRequest;
      // The flag the instances ran with (their summaries say), so the merged flags are theirs.
      f = new WorkloadFigures(perRequest ?? {}, timingFlagMs);
      figures.set(workload, f);
    }
    return f;
  };
  // Every workload the summaries name is in the report, with or without requests.
  for (const r of reports) for (const name of Object.keys(r.workloads)) figuresOf(name);
  const only = figures.size === 1 ? ([...figures.keys()][0] as string) : null;
  const readLag = new Samples();
  const sendLag = new Samples();
  const count: RecordsCount = { records: 0, cutAtEnd: 0 };
  for (const dir of dirs) {
    const path = join(dir, RECORDS_FILE);
    if (!existsSync(path)) {
      throw new MergeInputError(`invalid instance folder ${dir}; expected the stream meter's ${RECORDS_FILE} in it (a k6-llm CLI run, or k6 beside \`k6-llm meter --records DIR/${RECORDS_FILE}\`), got none`);
    }
    for (const { workload, record, raw, context: ctx, line } of readRecords(path, adapter, only, count)) {
      if (record.error !== 'interrupted' && record.readLagMs !== null) readLag.push(record.readLagMs);
      if (record.error !== 'interrupted' && record.sendLagMs !== null) sendLag.push(record.sendLagMs);
      const timeline = ctx && ctx.timeline ? ctx.startedMs : null;
      figuresOf(workload).add(record, timeline, ctx?.images);
      if (rampMerge && workload === RAMP_WORKLOAD) {
        const level = ctx?.level ?? null;
        if (!level || !rampMerge.add(record, level.label, level.sinceStartMs, raw.endMs)) {
          throw new MergeInputError(
            `invalid ${path} line ${line}; expected a ramp request's level (ctx.l, one of ${rampMerge.settings.plan.levels.map((l) => l.label).join(', ')}) and its start in it (ctx.le), got ${snippet(JSON.stringify(level))} (records of a k6-llm older than the ramp merge?)`,
          );
        }
      }
    }
  }
  const { records, cutAtEnd } = count;
  const secrets = options.secrets ?? [];
  const { report, failed } = mergedReport({ instances, figures, readLag, sendLag, specs, redact: (t) => redact(t, secrets), cutAtEnd });
  report.warnings.push(...notes);
  const ramp = ramps && rampMerge ? mergedRampReport({ instances: ramps, merge: rampMerge, spec: rampSpec, generatorLagWarnMs: report.generator.warnAboveMs }) : null;
  let samples = readLag.count + sendLag.count;
  let sampleBytes = readLag.bytes + sendLag.bytes;
  for (const f of figures.values()) {
    samples += f.ttft.count + f.ttfo.count + f.itl.count + f.e2e.count + f.tpot.count + f.tokensPerSecond.count;
    sampleBytes += f.sampleBytes;
  }
  return { report, ramp, failed, stats: { records, samples, sampleBytes }, notes };
}

/** An instance's llm-summary.json; null when k6 wrote none (killed); an error when it is not k6-llm's. */
function readSummary(dir: string): LlmReport | null {
  if (!existsSync(dir)) throw new MergeInputError(`invalid instance folder ${dir}; expected a folder of a k6-llm run (requests.jsonl, llm-summary.json), got no such folder`);
  const path = join(dir, 'llm-summary.json');
  if (!existsSync(path)) return null;
  let report: LlmReport;
  try {
    report = JSON.parse(readFileSync(path, 'utf8')) as LlmReport;
  } catch (err) {
    throw new MergeInputError(`invalid ${path}; expected k6-llm's JSON summary, got unreadable JSON (${(err as Error).message})`);
  }
  if (report.tool !== 'k6-llm' || typeof report.workloads !== 'object' || !Array.isArray(report.thresholds)) {
    throw new MergeInputError(`invalid ${path}; expected k6-llm's JSON summary ("tool": "k6-llm"), got another file`);
  }
  if (report.merge) throw new MergeInputError(`invalid instance folder ${dir}; expected one instance's results, got a merged report (merge the instance folders it names: ${report.merge.instances.join(', ')})`);
  return report;
}

/** Every instance's ramp.json, or null when none has one; an error when only some have one, or they ran different ramps. */
function readRamps(dirs: readonly string[]): RampReport[] | null {
  const present = dirs.filter((d) => existsSync(join(d, RAMP_FILE)));
  if (present.length === 0) return null;
  if (present.length < dirs.length) {
    const missing = dirs.filter((d) => !present.includes(d));
    throw new MergeInputError(`invalid merge of a ramp; expected ${RAMP_FILE} in every instance folder, got none in ${missing.join(', ')} (did that k6 fail before its summary?)`);
  }
  const ramps = present.map((dir): RampReport => {
    const path = join(dir, RAMP_FILE);
    let report: RampReport;
    try {
      report = JSON.parse(readFileSync(path, 'utf8')) as RampReport;
    } catch (err) {
      throw new MergeInputError(`invalid ${path}; expected k6-llm's ramp report, got unreadable JSON (${(err as Error).message})`);
    }
    if (report.tool !== 'k6-llm' || report.report !== 'ramp' || !Array.isArray(report.levels) || typeof report.settings !== 'object') {
      throw new MergeInputError(`invalid ${path}; expected k6-llm's ramp report ("report": "ramp"), got another file`);
    }
    return report;
  });
  const plan = (r: RampReport): string =>
    JSON.stringify([r.rampBy, r.shape, r.settings.levels, r.settings.levelDurationSeconds, r.settings.warmupSeconds, r.thresholdsSource, r.stop.rule]);
  const differing = ramps.findIndex((r) => plan(r) !== plan(ramps[0] as RampReport));
  if (differing > 0) {
    throw new MergeInputError(`invalid merge of a ramp; expected every instance to run the same ramp, got ${plan(ramps[differing] as RampReport)} in ${present[differing]} and ${plan(ramps[0] as RampReport)} in ${present[0]}`);
  }
  return ramps;
}

/** The SLO the ramp's levels are judged on: --thresholds when given, else the one the instances ran with. */
function rampSpecOf(ramps: readonly RampReport[], choice: string | null): ThresholdSpec | null {
  const shape = (ramps[0] as RampReport).shape;
  if (choice !== null) {
    try {
      return selectThresholds(choice, shape, (path) => readFileSync(path, 'utf8'));
    } catch (err) {
      throw new MergeInputError(`${(err as Error).message.replace('LLM_THRESHOLDS', '--thresholds')}`);
    }
  }
  const source = (ramps[0] as RampReport).thresholdsSource;
  return source === null ? null : specFromSource(source, `the ramp (${shape})`);
}

const BUNDLED_SOURCE = /^thresholds\/([a-z0-9.-]+)\.json(?: \(default\))?$/;

/** The SLO a workload is judged on: --thresholds when given, else the one its instances ran with (their summaries name it). */
function specFor(workload: string, instances: readonly MergeInstance[], choice: string | null): ThresholdSpec | null {
  const read = (path: string): string => readFileSync(path, 'utf8');
  if (choice !== null) {
    try {
      return selectThresholds(choice, workload, read);
    } catch (err) {
      throw new MergeInputError(`${(err as Error).message.replace('LLM_THRESHOLDS', '--thresholds')}`);
    }
  }
  const sources = new Set(instances.map((i) => i.report?.workloads[workload]).filter((w) => w !== undefined).map((w) => w.thresholdsSource ?? null));
  if (sources.size > 1) throw new MergeInputError(`invalid merge; the instances of ${workload} ran with different SLO files (${[...sources].map(String).join(', ')}): pick one with --thresholds`);
  const source = sources.size === 1 ? ([...sources][0] as string | null) : null;
  return source === null ? null : specFromSource(source, workload);
}

/** The SLO file a summary names as its source (a bundled profile, or a file read again); `what` names whose it is in an error. */
function specFromSource(source: string, what: string): ThresholdSpec {
  const read = (path: string): string => readFileSync(path, 'utf8');
  const bundled = BUNDLED_SOURCE.exec(source);
  if (bundled && BUNDLED_THRESHOLDS[bundled[1] as string] !== undefined) return validateThresholdSpec(BUNDLED_THRESHOLDS[bundled[1] as string], source);
  let text: string;
  try {
    text = read(source);
  } catch (err) {
    throw new MergeInputError(`invalid SLO file of ${what}; expected the file its instances ran with to be readable, got "${source}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): pass --thresholds FILE, a profile or none`);
  }
  return parseThresholdFile(text, source);
}
