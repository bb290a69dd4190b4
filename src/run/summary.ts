// The summary helper: a handleSummary that prints k6-llm's summary and
// writes llm-summary.json, llm-summary.md and llm-junit.xml, from k6's data
// and what the stream meter's store kept (each VU's last request settled
// first, so a script without teardown loses none). A script can merge its
// own outputs with the ones it returns.

import { REPORT_KNOBS, type ReportConfig } from '../config/report.ts';
import { readKnobs } from '../config/knob.ts';
import { oneLine } from '../k6/load-config.ts';
import { loggedCauses, loggedOutcomes, settleStore, storedTtftWorkloads } from '../k6/meter-store.ts';
import type { K6SummaryData } from '../k6-summary-data.ts';
import { classicSummaryData } from '../k6-summary-shapes.ts';
import type { WorkloadRunInfo } from '../run-info.ts';
import { summaryOutputs } from '../summary/summary-handler.ts';
import { withCutRequests } from '../summary/cut-requests.ts';
import { describedWorkloads, notedClients, notedSecrets } from './registry.ts';

/** Where the reports go and when they warn; each defaults to its LLM_* variable, then to its default. */
export interface SummaryOptions {
  /** Existing folder for the reports (LLM_OUT_DIR; default the current folder). */
  outDir?: string;
  /** The JSON summary's path (LLM_SUMMARY_JSON; default <outDir>/llm-summary.json). */
  summaryJson?: string;
  /** Generator lag p99 (ms) above which the summary warns (LLM_LAG_WARN_MS; default 5). */
  lagWarnMs?: number;
  /** Schedule lag p99 (ms) above which the summary warns (LLM_SCHEDULE_LAG_WARN_MS; default 25). */
  scheduleLagWarnMs?: number;
  /** More facts about the run for the report (never secrets). */
  run?: Record<string, string | number>;
}

/** k6's handleSummary outputs: { stdout, '<outDir>/llm-summary.json': ..., ... }. */
export type SummaryOutputs = Record<string, string>;

/**
 * Makes a handleSummary: `export const handleSummary = llmSummary();`, or
 * call the function it returns inside your own and merge its outputs.
 */
export function llmSummary(options: SummaryOptions = {}): (data: unknown) => SummaryOutputs {
  const fromEnv = oneLine(() => readKnobs(REPORT_KNOBS, (name) => __ENV[name] ?? ''));
  const report: ReportConfig = {
    ...fromEnv,
    ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
    ...(options.summaryJson !== undefined ? { summaryJson: options.summaryJson } : {}),
    ...(options.lagWarnMs !== undefined ? { lagWarnMs: options.lagWarnMs } : {}),
    ...(options.scheduleLagWarnMs !== undefined ? { scheduleLagWarnMs: options.scheduleLagWarnMs } : {}),
  };
  return (raw: unknown) => {
    // k6's classic or machine-readable data, read into the classic shape (k6-summary-shapes.ts).
    const data = classicSummaryData(raw, describedWorkloads().map((w) => w.workload));
    // Read here, not at init: handleSummary runs after every VU has finished.
    // A run with k6-llm's teardown settled already (and k6 counted the cut
    // requests); without it, they are added to k6's counts here.
    withCutRequests(data, settleStore());
    const workloads: WorkloadRunInfo[] = reportedWorkloads(data).map((w) => ({
      ...w,
      causes: loggedCauses(w.workload),
      ...(w.windowMs === undefined ? {} : { outcomes: loggedOutcomes(w.workload) }),
    }));
    return summaryOutputs(data, { workloads, run: { ...runFacts(), ...options.run }, report, secrets: notedSecrets() });
  };
}

/** The workloads described in the init context, else the ones k6's data reports apart, else the whole run as one. */
function reportedWorkloads(data: K6SummaryData): WorkloadRunInfo[] {
  const described = describedWorkloads();
  if (described.length > 0) return described.map(({ banner: _b, underSegment: _u, ...info }) => info);
  const tagged = new Set<string>();
  for (const key of Object.keys(data.metrics)) {
    const m = /^llm_requests\{workload:([^,}]+)\}$/.exec(key);
    if (m) tagged.add(m[1] as string);
  }
  if (tagged.size > 0) return [...tagged].map((workload) => ({ workload, spec: null }));
  // No per-workload sub-metrics (llmOptions registers them): the run's totals, under the one workload the store saw, else 'all'.
  const seen = storedTtftWorkloads();
  const workload = seen.length === 1 ? (seen[0] as string) : 'all';
  for (const [key, metric] of Object.entries(data.metrics)) if (key.startsWith('llm_') && !key.includes('{')) data.metrics[`${key}{workload:${workload}}`] = metric;
  return [{ workload, spec: null }];
}

/** The report's run facts from the clients the script made (models, endpoints, protocols, transports). */
function runFacts(): Record<string, string> {
  const clients = notedClients();
  const list = (pick: (c: (typeof clients)[number]) => string): string => [...new Set(clients.map(pick))].join(', ');
  return clients.length === 0 ? {} : { model: list((c) => c.model), baseUrl: list((c) => c.baseUrl), protocol: list((c) => c.protocol), transport: list((c) => c.transport) };
}
