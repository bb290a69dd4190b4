// The cold-start workload: probes separated by idle gaps longer than the
// endpoint's scale-down window, each followed by a few warm requests. The
// probe pays the cold start (retried with backoff while the endpoint answers
// 429/503); the warm requests show what the same request costs once up.
// Requests are single turns (singleTurnRequest in prompts.ts: the demo
// prompts unless a prompt knob says otherwise). This file holds the plan and
// the per-probe figures; src/k6/drivers/coldstart.ts runs it.

import type { Config } from '../config/config.ts';
import { formatDuration } from '../duration.ts';
import { workloadKey } from '../measure/metric-key.ts';
import { quantileSorted } from '../measure/quantile.ts';
import type { ThresholdEntry } from '../thresholds/threshold-file.ts';
import type { ScenarioOptions } from './options.ts';
import type { WorkloadDefaults } from './settings.ts';

/** The workload's tag value and scenario name. */
export const COLDSTART_WORKLOAD = 'coldstart';
/** Values of the `phase` tag. */
export const PHASES = ['cold', 'warm'] as const;

/**
 * The longest a coldstart run can take: every probe waits its idle gap, then
 * every attempt and warm request may run to its timeout and every retry wait
 * to its cap. k6 stops the run there whatever the endpoint does.
 */
export function coldstartMaxDurationMs(config: Config): number {
  const attempts = 1 + config.coldstart.maxRetries;
  const perProbe =
    config.coldstart.idleMs + attempts * config.endpoint.timeoutMs + config.coldstart.maxRetries * config.coldstart.retryMaxWaitMs + config.coldstart.warmRequests * config.endpoint.timeoutMs;
  return config.coldstart.probes * perProbe + 1000;
}

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

/** The k6 scenario: one VU, one iteration per probe, bounded by coldstartMaxDurationMs. */
export function coldstartScenario(config: Config): ScenarioOptions {
  return {
    // One VU: probes must not overlap, or one would warm the endpoint for the next.
    executor: 'per-vu-iterations',
    vus: 1,
    iterations: config.coldstart.probes,
    maxDuration: formatDuration(coldstartMaxDurationMs(config)),
    gracefulStop: formatDuration(Math.min(config.endpoint.timeoutMs, 30_000) + 1000),
    exec: COLDSTART_WORKLOAD,
    tags: { workload: COLDSTART_WORKLOAD, model: config.endpoint.model },
  };
}

/** Sub-metrics the per-phase and per-probe report reads (empty lists judge nothing). */
export function probeRegistrations(probes: number): Record<string, ThresholdEntry[]> {
  const w = COLDSTART_WORKLOAD;
  const keys: Record<string, ThresholdEntry[]> = {};
  for (const phase of PHASES) {
    keys[workloadKey('llm_ttft', w, { phase })] = [];
    keys[workloadKey('llm_request_success', w, { phase })] = [];
    keys[workloadKey('llm_requests', w, { phase })] = [];
  }
  for (let p = 1; p <= probes; p++) {
    for (const phase of PHASES) keys[workloadKey('llm_ttft', w, { phase, probe: p })] = [];
    keys[workloadKey('llm_cold_start_penalty', w, { probe: p })] = [];
    keys[workloadKey('llm_time_to_first_success', w, { probe: p })] = [];
    keys[workloadKey('llm_retries', w, { probe: p })] = [];
  }
  return keys;
}

/** The median of the values (null when none), interpolated as k6 does. */
export function median(values: readonly number[]): number | null {
  return values.length === 0 ? null : quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

/** A probe's cold-start penalty: its cold TTFT minus the warm median; null when either is missing. */
export function coldStartPenalty(coldTtftMs: number | null, warmTtftsMs: readonly number[]): number | null {
  const warm = median(warmTtftsMs);
  return coldTtftMs === null || warm === null ? null : coldTtftMs - warm;
}
