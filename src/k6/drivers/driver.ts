// What every workload's k6 driver provides: its part of the k6 options
// (scenarios, thresholds), the iteration function, its setup and teardown
// steps, and what the report needs. src/script.ts turns drivers into a
// script's exports, so every scenarios/*.ts is the same thin entry.
import type { WorkloadRunInfo } from '../../run-info.ts';
import type { InstanceSegment } from '../../arrivals/segments.ts';
import type { K6SummaryData } from '../../k6-summary-data.ts';
import type { WorkloadOptions } from '../../workloads/options.ts';
import type { RunStart } from '../schedule-replay.ts';

/** A workload ready to run inside one k6 script (alone, or with others in mixed). */
export interface Driver extends WorkloadOptions {
  info: WorkloadRunInfo;
  /** setup()'s line about the workload, e.g. "chat thresholds from thresholds/chat.json (default)". */
  banner: string;
  /** One iteration of the workload's scenarios (setup's RunStart as data). */
  run(start: RunStart): void;
  /** The generator probe's iteration when the workload has its own (batch stops it with the job). */
  probeRun?: () => void;
  /** Teardown, after the meter's store is settled: end-of-test figures k6 then judges (TTFT spread, worst window). */
  finish?: () => void;
  /** Run facts for the report beside the common ones (coldstart: idle, probes). */
  runInfo?: Record<string, string | number>;
  /**
   * As one of several instances (a partial execution segment): a refusal
   * (setup stops the run with that one line) or a note setup prints. Absent:
   * the workload splits cleanly and needs no word of its own.
   */
  underSegment?: (at: InstanceSegment) => { refuse: string } | { note: string };
  /** The workload's own handleSummary (the ramp's reports) instead of the LLM summary. */
  handleSummary?: (data: K6SummaryData) => Record<string, string>;
}

/** The banner's usual part: where the workload's thresholds come from. */
export function thresholdsFrom(spec: { source: string } | null): string {
  return `thresholds from ${spec?.source ?? 'none (LLM_THRESHOLDS=none)'}`;
}
