// What a workload's run tells the report beyond k6's metrics: its thresholds,
// settings, schedule, batch size, outcome timeline and cold probes. A leaf of
// types, so the drivers that fill it and the report that reads it both
// depend on it instead of on each other.

import type { Outcome } from './measure/availability.ts';
import type { ThresholdSpec } from './thresholds/threshold-file.ts';

/** What a workload's driver tells the report beyond k6's metrics. */
export interface WorkloadRunInfo {
  /** The workload's name: its `workload` tag. */
  workload: string;
  /** The SLO it is judged by (from loadSlo); null: none. */
  spec: ThresholdSpec | null;
  /** The workload's resolved settings (no secrets). */
  settings?: Record<string, string | number>;
  /** Scheduled (open-model) workloads. */
  arrivals?: { pattern: string; ratePerSec: number | null; scheduled: number; maxLagMs: number };
  /** The batch job. */
  batch?: { jobSize: number };
  /** An embeddings job (LLM_PROTOCOL=openai-embeddings): TTFT and ITL do not apply. */
  embeddings?: { inputsPerRequest: number };
  /** Request outcomes for the availability timeline (null: not recorded, e.g. without the stream meter). */
  outcomes?: Outcome[] | null;
  /** Reporting window of the availability timeline (ms). */
  windowMs?: number;
  /** Failed requests by one-line cause, most frequent first, redacted (null: not recorded, e.g. without the stream meter). */
  causes?: { cause: string; count: number }[] | null;
  /** Number of cold probes, for the cold-start section. */
  probes?: number;
}
