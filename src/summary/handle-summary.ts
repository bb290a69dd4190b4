// handleSummary for every scenario: prints the LLM summary and writes the
// JSON, Markdown and JUnit reports. k6 calls it at the end of every run, also
// a failed or interrupted one, so whatever was measured lands on disk.
import type { Config } from '../config/config.ts';
import { loggedCauses, loggedOutcomes } from '../k6/meter-store.ts';
import type { WorkloadRunInfo } from '../run-info.ts';
import type { K6SummaryData } from '../k6-summary-data.ts';
import { summaryHandler } from './summary-handler.ts';

/** Makes the handleSummary export of a scenario running `workloads`. */
export function makeSummaryHandler(
  config: Config,
  workloads: Omit<WorkloadRunInfo, 'outcomes'>[],
  transport: string,
  extraRun: Record<string, string | number> = {},
): (data: K6SummaryData) => Record<string, string> {
  return summaryHandler(config, workloads, transport, loggedOutcomes, extraRun, loggedCauses);
}
