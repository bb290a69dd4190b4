// The k6 options of a script: its own, plus what makes k6 keep every llm_*
// metric per workload (empty threshold lists on the tagged sub-metrics, which
// judge nothing), each workload's SLO as thresholds on its metrics, the trend
// statistics the reports read, and, when asked, the generator self-check.

import type { Options } from 'k6/options';
import { judgedOptions, PROBE_SCENARIO, type ScenarioOptions } from '../workloads/options.ts';
import type { ThresholdEntry } from '../thresholds/threshold-file.ts';
import type { Slo } from './slo.ts';

/** What llmOptions adds to k6's own options. */
export interface LlmOptionsExtras {
  /** Each workload's SLO (from loadSlo), by workload name; null judges nothing. */
  slo?: Record<string, Slo | null>;
  /** The generator self-check's scenario (export generatorProbe from the script); none when absent. */
  probe?: ScenarioOptions | null;
  /** More per-workload threshold lists (sub-metrics a report reads, stop rules), appended to the judged ones. */
  workloadThresholds?: Record<string, ThresholdEntry[]>;
}

/**
 * A script's k6 options with k6-llm's added: `options` as the script would
 * write them (scenarios, thresholds of its own, anything else), plus the
 * SLOs and probe. Every scenario's `tags.workload` (else its name; `default`
 * without scenarios) is a workload reported apart.
 */
export function llmOptions(options: Options & LlmOptionsExtras): Options {
  const { slo = {}, probe = null, workloadThresholds = {}, ...k6Options } = options;
  const scenarios = { ...(k6Options.scenarios ?? {}) };
  const names = workloadNames(scenarios);
  for (const name of Object.keys(slo)) if (!names.includes(name)) names.push(name);
  const judged = judgedOptions(names.map((workload) => ({ workload, spec: slo[workload] ?? null })));
  const thresholds = judged.thresholds as Record<string, ThresholdEntry[]>;
  // Appended, never replacing: a judged key (e.g. llm_ttft{phase:warm}) keeps its expressions. An expression
  // already there is not added twice, so options that went through llmOptions may go through it again.
  const append = (key: string, list: readonly ThresholdEntry[]): void => {
    const have = (thresholds[key] ??= []);
    for (const entry of list) if (!have.some((e) => JSON.stringify(e) === JSON.stringify(entry))) have.push(entry);
  };
  for (const [key, list] of Object.entries(workloadThresholds)) append(key, list);
  for (const [key, list] of Object.entries((k6Options.thresholds ?? {}) as Record<string, ThresholdEntry[]>)) append(key, list);
  const stats = new Set([...(judged.summaryTrendStats ?? []), ...(k6Options.summaryTrendStats ?? [])]);
  if (probe) scenarios[PROBE_SCENARIO] = probe;
  return {
    ...k6Options,
    ...(Object.keys(scenarios).length > 0 ? { scenarios } : {}),
    thresholds: thresholds as Options['thresholds'],
    summaryTrendStats: [...stats],
  };
}

/** The workloads of the scenarios: each one's workload tag, else its name; `default` for a script without scenarios. */
export function workloadNames(scenarios: Record<string, ScenarioOptions>): string[] {
  const names: string[] = [];
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (name === PROBE_SCENARIO) continue;
    const tagged = (scenario.tags as Record<string, string> | undefined)?.workload;
    const workload = tagged ?? name;
    if (!names.includes(workload)) names.push(workload);
  }
  return names.length > 0 ? names : ['default'];
}
