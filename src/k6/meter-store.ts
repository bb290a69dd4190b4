// The process-wide store end-of-test checks read (TTFT p99/p50 over every VU,
// the availability timeline, the batch job's progress), kept by the stream
// meter. Observations ride on each VU's next request; teardown settles the
// last request of every VU (settlePending), so nothing is lost and no request
// costs an extra round trip. Without the meter (xk6-sse) there is no store.

import { decodeOutcome, encodeOutcome, type Outcome } from '../measure/availability.ts';
import { errorCause } from '../measure/error-cause.ts';
import { recordFromMeter } from '../measure/meter-record.ts';
import { readContext, readMeterRecord } from '../meter/record.ts';
import type { RequestRecord } from '../measure/request-record.ts';
import type { ProtocolAdapter } from '../protocols/protocol.ts';
import type { MeterClient, Observation } from './meter-client.ts';

let active: MeterClient | null = null;
/** The adapters this VU's clients speak, by protocol: a pending record is read by the one it names. */
const adapters = new Map<string, ProtocolAdapter>();
let firstAdapter: ProtocolAdapter | null = null;

/** Makes client this VU's store, reading the protocol adapter speaks (called by createTransport for every client). */
export function useMeter(client: MeterClient, adapter: ProtocolAdapter): void {
  active = client;
  adapters.set(adapter.name, adapter);
  firstAdapter ??= adapter;
}

/** The workloads whose TTFTs the store holds (every workload that had one). */
export function storedTtftWorkloads(): string[] {
  const prefix = ttftSampleKey('');
  const keys = active?.keys(prefix) ?? null;
  return keys === null ? [] : Object.keys(keys).map((k) => k.slice(prefix.length));
}

/** This VU's meter, or null when the run reads streams without one. */
export function meterStore(): MeterClient | null {
  return active;
}

/** Key of a workload's TTFT samples in the store. */
export function ttftSampleKey(workload: string): string {
  return `llm_ttft:${workload}`;
}

/** Key of a workload's request outcomes (encodeOutcome) in the store. */
export function outcomeKey(workload: string): string {
  return `llm_outcomes:${workload}`;
}

/** Prefix of a workload's error causes: each failed request observes the key prefix + its one-line cause. */
export function causeKeyPrefix(workload: string): string {
  return `llm_cause:${workload}:`;
}

/** A workload's failed requests by one-line cause, most frequent first; null without the meter or when it cannot be asked. */
export function loggedCauses(workload: string): { cause: string; count: number }[] | null {
  const prefix = causeKeyPrefix(workload);
  const keys = meterStore()?.keys(prefix) ?? null;
  if (keys === null) return null;
  return Object.entries(keys)
    .map(([key, count]) => ({ cause: key.slice(prefix.length), count }))
    .sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause));
}

/** Every request outcome a workload logged; null without the meter or when it cannot be asked. */
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

/** What the store keeps of one recorded request: its TTFT, and its outcome when the workload keeps a timeline. */
export function observationsOf(record: RequestRecord, workload: string, timeline: boolean, startedMs: number | undefined): Observation[] {
  if (record.error === 'interrupted') return [];
  const out: Observation[] = [];
  if (timeline && startedMs !== undefined) out.push([outcomeKey(workload), encodeOutcome(startedMs, record.success ? null : record.error)]);
  if (record.ttftMs !== null) out.push([ttftSampleKey(workload), record.ttftMs]);
  const cause = errorCause(record);
  if (cause !== null) out.push([causeKeyPrefix(workload) + cause, 1]);
  return out;
}

/** What settling found: a warning when the meter could not be asked, and the requests k6 cut, per workload. */
export interface Settled {
  warning: string | null;
  /**
   * Each VU's last request that k6 cut at the end of the test (or on
   * Ctrl-C), by workload: k6 stopped the VU's JavaScript inside the call, so
   * no recorder counted it. Only the meter's `canceled` records read
   * `interrupted`, and k6 closed those calls before any answer reached the
   * script, so the script cannot have counted them already.
   */
  cut: Map<string, number>;
}

/**
 * Teardown: derives, with the same code the VUs run, the observations of each
 * VU's last request (which had no next request to carry them) and stores
 * them; counts the ones k6 cut.
 */
export function settlePending(): Settled {
  const cut = new Map<string, number>();
  const meter = active;
  if (!meter || !firstAdapter) return { warning: null, cut };
  const pending = meter.pending();
  if (pending === null) return { warning: 'the stream meter could not be asked for the last requests of each VU; end-of-test figures miss them', cut };
  const obs: Observation[] = [];
  for (const p of pending) {
    const ctx = readContext(p.ctx);
    const raw = readMeterRecord(p.record);
    if (!ctx || typeof raw === 'string') continue;
    const adapter = (ctx.protocol !== null ? adapters.get(ctx.protocol) : undefined) ?? firstAdapter;
    const record = recordFromMeter(adapter, raw, ctx.streamed);
    if (record.error === 'interrupted') cut.set(ctx.workload, (cut.get(ctx.workload) ?? 0) + 1);
    for (const o of observationsOf(record, ctx.workload, ctx.timeline, ctx.startedMs)) obs.push(o);
  }
  if (obs.length === 0) return { warning: null, cut };
  const answer = meter.flush(obs);
  return { warning: answer.ok ? null : answer.message, cut };
}

/**
 * setup()'s first step: empties the store, so a meter that served an earlier
 * run does not mix that run's figures into this one. One meter serves one k6
 * run at a time; a meter busy with another run's streams is said so.
 */
export function startStore(): void {
  const meter = active;
  if (!meter) return;
  const answer = meter.reset();
  if (!answer.ok) throw new Error(`invalid LLM_METER_URL; expected a stream meter that takes requests, got: ${answer.message} (start one with: npx k6-llm meter)`);
  if (answer.streams > 0) {
    console.warn(`k6-llm: the stream meter had ${answer.streams} streams of another run in flight; end-of-test figures of both runs are wrong: give every k6 run its own meter`);
  }
}

/** Teardown's first step wherever the store is read: settles the last requests, warning when it cannot; returns the requests k6 cut, by workload. */
export function settleStore(): Map<string, number> {
  const { warning, cut } = settlePending();
  if (warning) console.warn(`k6-llm: ${warning}`);
  return cut;
}
