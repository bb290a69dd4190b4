// One cold-start probe: the endpoint idles (long enough for a serverless
// platform to scale it to zero), then the cold request is sent, retried with
// backoff while the endpoint turns it away (429, 502, 503, 504, refused),
// then warm copies of it. Every attempt is recorded, tagged phase:cold|warm
// and probe:N; the probe's cold-start penalty is its cold TTFT minus the
// median warm TTFT.

import { sleep } from 'k6';
import { nowMs } from '../k6/clock.ts';
import { llmColdStartPenalty, llmRetries, llmTimeToFirstSuccess } from '../k6/metrics.ts';
import { workloadKey } from '../measure/metric-key.ts';
import { sendWithRetries } from '../measure/retry.ts';
import type { ThresholdEntry } from '../thresholds/threshold-file.ts';
import { coldStartPenalty, PHASES } from '../workloads/coldstart.ts';
import type { Client } from '../client/client.ts';
import type { ChatRequest, LlmResult } from '../client/requests.ts';

/** How a probe idles and retries. Durations in ms. */
export interface ColdStartOptions {
  /** Idle time before the cold request. */
  idleMs: number;
  /** Warm copies of the request after the cold one. */
  warmRequests: number;
  /** Retries of a cold request the endpoint turns away. */
  maxRetries: number;
  /** First backoff when the server gives no Retry-After; doubles per retry. */
  retryBackoffMs: number;
  /** Longest single wait, Retry-After included. */
  retryMaxWaitMs: number;
  /** No retry wait starts past this time since the test's start (ms). Default: none. */
  deadlineMs?: number;
}

/** What one probe measured. */
export interface ColdStartProbe {
  /** Every attempt of the cold request (the last is its outcome). */
  cold: LlmResult[];
  /** The warm requests (fewer when the test ended). */
  warm: LlmResult[];
  /** Cold TTFT − warm median TTFT (ms); null when either is missing. */
  penaltyMs: number | null;
}

/** Runs probe number `probe` (1, 2, …): idle, the cold request with retries, then the warm ones, all through `client`. */
export function coldStartProbe(client: Client, request: ChatRequest, probe: number, options: ColdStartOptions): ColdStartProbe {
  sleep(options.idleMs / 1000);
  const coldTags = { phase: 'cold', probe: String(probe) };
  const clock = { now: nowMs, sleep: (ms: number) => sleep(ms / 1000) };
  const policy = { maxRetries: options.maxRetries, backoffMs: options.retryBackoffMs, maxWaitMs: options.retryMaxWaitMs };
  // The same request cold and warm, so the difference is the endpoint's state.
  const cold = sendWithRetries(() => client.chat(request, { tags: coldTags }), clock, policy, options.deadlineMs ?? Infinity);
  // Added even when 0, so every probe has a retries figure.
  const workload = client.workload;
  llmRetries.add(cold.retries, { workload, ...coldTags });
  if (cold.timeToFirstSuccessMs !== null) llmTimeToFirstSuccess.add(cold.timeToFirstSuccessMs, { workload, ...coldTags });
  const attempts = cold.attempts as LlmResult[];
  const last = attempts[attempts.length - 1];
  const coldTtft = last && last.success ? last.ttftMs : null;

  const warmTags = { phase: 'warm', probe: String(probe) };
  const warm: LlmResult[] = [];
  for (let i = 0; i < options.warmRequests; i++) {
    const result = client.chat(request, { tags: warmTags });
    warm.push(result);
    if (result.error === 'interrupted') return { cold: attempts, warm, penaltyMs: null };
  }
  const penaltyMs = coldStartPenalty(coldTtft, warm.filter((r) => r.success && r.ttftMs !== null).map((r) => r.ttftMs as number));
  if (penaltyMs !== null) llmColdStartPenalty.add(penaltyMs, { workload, probe: String(probe) });
  return { cold: attempts, warm, penaltyMs };
}

/**
 * The sub-metrics a cold-start report reads, per phase and per probe, as
 * empty threshold lists (they judge nothing; k6 keeps what is registered):
 * pass them to llmOptions' workloadThresholds.
 */
export function coldStartRegistrations(workload: string, probes: number): Record<string, ThresholdEntry[]> {
  const keys: Record<string, ThresholdEntry[]> = {};
  for (const phase of PHASES) {
    keys[workloadKey('llm_ttft', workload, { phase })] = [];
    keys[workloadKey('llm_request_success', workload, { phase })] = [];
    keys[workloadKey('llm_requests', workload, { phase })] = [];
  }
  for (let p = 1; p <= probes; p++) {
    for (const phase of PHASES) keys[workloadKey('llm_ttft', workload, { phase, probe: p })] = [];
    keys[workloadKey('llm_cold_start_penalty', workload, { probe: p })] = [];
    keys[workloadKey('llm_time_to_first_success', workload, { probe: p })] = [];
    keys[workloadKey('llm_retries', workload, { probe: p })] = [];
  }
  return keys;
}
