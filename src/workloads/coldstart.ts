// The cold-start workload: probes separated by idle gaps longer than the
// endpoint's scale-down window, each followed by a few warm requests. The
// probe pays the cold start (retried with backoff while the endpoint answers
// 429/503); the warm requests show what the same request costs once up.
// Requests are single turns (singleTurnRequest in prompts.ts: the demo
// prompts unless a prompt knob says otherwise). This file holds the plan and
// the per-probe figures; src/k6/drivers/coldstart.ts runs it.

import { quantileSorted } from '../measure/quantile.ts';
import type { WorkloadDefaults } from './settings.ts';

/** The workload's tag value and scenario name. */
export const COLDSTART_WORKLOAD = 'coldstart';
/** Values of the `phase` tag. */
export const PHASES = ['cold', 'warm'] as const;

/** Chat-sized single-turn requests on the demo prompts, one VU; the knobs that do not apply are placeholders. */
export const COLDSTART_DEFAULTS: WorkloadDefaults = {
  vus: 1,
  maxTokens: 128,
  rate: 0,
  arrival: 'constant',
  promptTokens: null,
  turns: { kind: 'fixed', value: 1 },
  thinkTime: { kind: 'fixed', value: 0 },
};

/** The median of the values (null when none), interpolated as k6 does. */
export function median(values: readonly number[]): number | null {
  return values.length === 0 ? null : quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

/** A probe's cold-start penalty: its cold TTFT minus the warm median; null when either is missing. */
export function coldStartPenalty(coldTtftMs: number | null, warmTtftsMs: readonly number[]): number | null {
  const warm = median(warmTtftsMs);
  return coldTtftMs === null || warm === null ? null : coldTtftMs - warm;
}
