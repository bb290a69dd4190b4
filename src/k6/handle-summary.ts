// handleSummary for every scenario: prints the LLM summary and writes the
// JSON, Markdown and JUnit reports. k6 calls it at the end of every run, also
// a failed or interrupted one, so whatever was measured lands on disk.
import type { Config } from '../config.ts';
import { decodeOutcome, type Outcome } from '../summary/availability.ts';
import type { K6SummaryData, WorkloadInput } from '../summary/llm-summary.ts';
import { summaryHandler } from '../summary/summary-handler.ts';
import { meterStore, outcomeKey } from './meter-store.ts';

/** Every request outcome a workload logged (the stream meter's store); null without the meter or when it cannot be asked. */
export function loggedOutcomes(workload: string): Outcome[] | null {
  const values = meterStore()?.values(outcomeKey(workload)) ?? null;
  if (values === null) return null;
  const out: Outcome[] = [];
  for (const value of values) {
    const outcome = decodeOutcome(value);
    if (outcome) out.push(outcome);
  }
  return out;
}

/** Makes the handleSummary export of a scenario running `workloads`. */
export function makeSummaryHandler(
  config: Config,
  workloads: Omit<WorkloadInput, 'outcomes'>[],
  transport: string,
  extraRun: Record<string, string | number> = {},
): (data: K6SummaryData) => Record<string, string> {
  return summaryHandler(config, workloads, transport, loggedOutcomes, extraRun);
}
