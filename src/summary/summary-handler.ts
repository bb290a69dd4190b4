// The summary's logic, pure: k6's end-of-test data and what the k6 shell read
// of the run (each workload's logged causes and outcomes, the run's facts,
// the secrets to keep out) in, the console text and the report files out.
// src/run/summary.ts hands k6 this function with the data filled in.

import { summaryJsonPath, type ReportConfig } from '../config/report.ts';
import { redact } from '../measure/error-cause.ts';
import type { WorkloadRunInfo } from '../run-info.ts';
import { buildReport } from './build.ts';
import { renderJunit } from './junit.ts';
import type { K6SummaryData } from '../k6-summary-data.ts';
import { renderMarkdown } from './markdown.ts';
import { renderText } from './text.ts';

/** What the k6 shell read of the run, for the reports. */
export interface SummaryInputs {
  /** Each workload's report facts, its logged causes (unredacted) and outcomes included. */
  workloads: WorkloadRunInfo[];
  /** The run's facts for the report (model, base URL, transport...): never a secret. */
  run: Record<string, string | number | null>;
  /** Where the reports go and when they warn. */
  report: Pick<ReportConfig, 'outDir' | 'summaryJson' | 'lagWarnMs' | 'scheduleLagWarnMs' | 'timingFlagMs'>;
  /** API keys and meter secrets: replaced by [redacted] wherever a cause quotes them. */
  secrets: readonly (string | null | undefined)[];
}

/** The handleSummary outputs: the console summary and the JSON, Markdown and JUnit files. */
export function summaryOutputs(data: K6SummaryData, inputs: SummaryInputs): Record<string, string> {
  const workloads = inputs.workloads.map((w) => ({ ...w, causes: w.causes?.map((c) => ({ cause: redact(c.cause, inputs.secrets), count: c.count })) ?? null }));
  const report = buildReport(data, workloads, inputs.run, inputs.report.lagWarnMs, inputs.report.scheduleLagWarnMs, inputs.report.timingFlagMs);
  const jsonPath = summaryJsonPath(inputs.report);
  const dir = inputs.report.outDir.replace(/\/+$/, '');
  const mdPath = `${dir}/llm-summary.md`;
  const junitPath = `${dir}/llm-junit.xml`;
  return {
    stdout: `${renderText(report)}reports: ${jsonPath}, ${mdPath}, ${junitPath}\n`,
    [jsonPath]: `${JSON.stringify(report, null, 2)}\n`,
    [mdPath]: renderMarkdown(report),
    [junitPath]: renderJunit(report),
  };
}
