// What a script tells the end of the run about its workloads: each one's
// report facts (settings lines, schedule, batch job, timeline window, cold
// probes) and SLO. Filled in the init context, which k6 runs again in the
// VUs that call setup, teardown and handleSummary, so those find every
// workload a script described. Module state is per VU (each has its own
// JavaScript runtime).

import type { InstanceSegment } from '../arrivals/segments.ts';
import type { WorkloadRunInfo } from '../run-info.ts';

/** What the end of the run should know about one workload (its name is its `workload` tag). */
export type WorkloadReport = Omit<WorkloadRunInfo, 'outcomes' | 'causes'> & {
  /** setup()'s line about it, e.g. "chat thresholds from thresholds/chat.json (default)". */
  banner?: string;
  /**
   * As one of several instances (a partial execution segment): a refusal
   * (setup stops the run with that one line) or a note setup prints. Absent:
   * the workload splits cleanly and needs no word of its own.
   */
  underSegment?: (at: InstanceSegment) => { refuse: string } | { note: string };
};

const described = new Map<string, WorkloadReport>();

/** Tells the summary, setup and teardown about a workload (call it in the init context); a second call for a name replaces the first. */
export function describeWorkload(report: WorkloadReport): void {
  described.set(report.workload, report);
}

/** Every workload described, in the order first described. */
export function describedWorkloads(): WorkloadReport[] {
  return [...described.values()];
}

/** What the report says of one client: never its key. */
export interface ClientFacts {
  model: string;
  baseUrl: string;
  protocol: string;
  transport: string;
}

const clients: ClientFacts[] = [];
const secrets = new Set<string>();

/** Notes a client for the report's run facts, and the secrets no report may quote (its API key, the meter's secret). */
export function noteClient(facts: ClientFacts, clientSecrets: readonly (string | null)[]): void {
  if (!clients.some((c) => c.model === facts.model && c.baseUrl === facts.baseUrl && c.protocol === facts.protocol)) clients.push(facts);
  for (const s of clientSecrets) if (s) secrets.add(s);
}

/** The clients noted, in order. */
export function notedClients(): readonly ClientFacts[] {
  return clients;
}

/** Every secret the clients hold. */
export function notedSecrets(): string[] {
  return [...secrets];
}
