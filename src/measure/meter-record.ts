// Turns the stream meter's record of one request (src/meter/record.ts), or
// its compact answer, into a RequestRecord, with the same StreamMeter and
// measureCompletion every transport uses. Pure: the k6 shell parses the
// JSON, the bench and the teardown feed the same functions, so all of them
// compute identical figures.

import type { CompactAnswer, MeterOutcome, MeterRecord } from '../meter/record.ts';
import type { ProtocolAdapter } from '../protocols/protocol.ts';
import { measureCompletion } from './completion.ts';
import { failedRecord, type RequestRecord, type TransportErrorKind, type TransportOutcome } from './request-record.ts';
import { serverMessageOf } from './error-cause.ts';
import { StreamMeter } from './stream-meter.ts';

const METER_ERROR_KINDS: ReadonlySet<string> = new Set(['timeout', 'stall', 'connect', 'reset', 'canceled', 'request']);

/** Builds the request's record from the meter's record; `streamed` says whether the request asked for a stream. */
export function recordFromMeter(adapter: ProtocolAdapter, res: MeterRecord, streamed: boolean): RequestRecord {
  return fromOutcome(adapter, res, streamed, (meter) => meter.onEvents(res.times, res.data, res.fast.length === res.times.length ? res.fast : undefined), boundPairs(res));
}

/**
 * Builds the request's record from the meter's compact answer: the events
 * that need the adapter go through it one by one, each run of plain-token
 * events in one step with the gaps the meter computed. The same record as
 * recordFromMeter of the meter's record of the same request
 * (test/unit/meter/compact.test.ts, on every transcript).
 */
export function recordFromCompact(adapter: ProtocolAdapter, res: CompactAnswer, streamed: boolean): RequestRecord {
  return fromOutcome(adapter, res, streamed, (meter) => replayCompact(meter, res), res.stampBounds);
}

/** Feeds a compact answer's events and runs to `meter`, in their order. */
function replayCompact(meter: StreamMeter, res: CompactAnswer): void {
  const { events, runs, gaps } = res;
  let e = 0;
  let g = 0;
  for (let r = 0; r < runs.length; r += 4) {
    const before = (runs[r] as number) * 2;
    for (; e < before; e += 2) meter.onEvent(events[e] as number, events[e + 1] as string);
    const count = runs[r + 1] as number;
    meter.onRun(runs[r + 2] as number, runs[r + 3] as number, count, gaps, g);
    g += count - 1;
  }
  for (; e < events.length; e += 2) meter.onEvent(events[e] as number, events[e + 1] as string);
}

/** The record of a request from what the meter said of it; `feed` gives a streamed one's events to the StreamMeter. */
function fromOutcome(adapter: ProtocolAdapter, res: MeterOutcome, streamed: boolean, feed: (meter: StreamMeter) => void, bounds: readonly number[]): RequestRecord {
  let error: TransportErrorKind | null = null;
  if (res.errorKind !== '') {
    if (!METER_ERROR_KINDS.has(res.errorKind)) return failedRecord('meter', `the meter answered an unknown error kind "${res.errorKind}"`);
    error = res.errorKind as TransportErrorKind;
  }
  const gotResponse = res.status !== 0;
  const outcome: TransportOutcome = {
    status: res.status,
    headersMs: gotResponse ? res.headersMs : null,
    endMs: res.endMs,
    error,
    errorMessage: res.errorMessage,
    kernelStamps: res.kernelStamps,
    readLagMs: res.readLagMaxMs,
    sendLagMs: res.sendLagMs,
    retryAfter: res.retryAfter,
  };
  if (!streamed) {
    const record = measureCompletion(adapter, 0, outcome, res.body);
    const kept = record.error === 'malformed' ? utf8Length(res.body) : null;
    if (kept !== null && res.bodyBytes > kept) {
      // Unreadable because the meter kept only the start of it (maxBodyBytes): say so, not "unreadable".
      const mib = (n: number): string => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${Math.round(n / 1024)} KiB`);
      record.errorMessage = `the response body was ${mib(res.bodyBytes)}, more than the ${mib(kept)} the meter keeps of a completion: send less per request (fewer LLM_INPUTS_PER_REQUEST, a lower LLM_MAX_TOKENS)`;
    }
    record.readLagMs = res.kernelStamps ? res.readLagMaxMs : null;
    record.sendLagMs = res.sendLagMs;
    return withServerMessage(record, res, bounds);
  }
  // The meter's times count from the request's write: the stream starts at 0.
  const meter = new StreamMeter(adapter, 0);
  feed(meter);
  if (gotResponse && res.status < 300) outcome.isEventStream = res.isSSE;
  return withServerMessage(meter.finish(outcome), res, bounds);
}

/**
 * What every record adds from the meter's: an error status's server message
 * (the first bytes of its body), whether it was resent, and how late its
 * TTFT and E2E may read (timingBounds, from (time, bound) pairs).
 */
function withServerMessage(record: RequestRecord, res: MeterOutcome, bounds: readonly number[]): RequestRecord {
  if (res.status >= 300 && !res.isSSE) record.serverMessage = serverMessageOf(res.body);
  record.resent = res.resent === 1;
  if (res.kernelStamps) timingBounds(record, bounds);
  return record;
}

/** A record's stamp bounds as (event time, ms) pairs; a pair naming no event is left out (it bounds nothing). */
function boundPairs(res: Pick<MeterRecord, 'times' | 'stampBounds'>): number[] {
  const bounds = res.stampBounds;
  const pairs: number[] = [];
  for (let i = 0; i + 1 < bounds.length; i += 2) {
    const at = res.times[bounds[i] as number];
    if (at !== undefined) pairs.push(at, bounds[i + 1] as number);
  }
  return pairs;
}

/**
 * How late the record's TTFT and E2E may read, from the meter's stamp
 * bounds as (event time, ms) pairs: the bound of the event that set each (0
 * when its stamp is exact). Events of one read share a stamp and a bound,
 * so the event is found by its time.
 */
export function timingBounds(record: RequestRecord, pairs: readonly number[]): void {
  if (pairs.length === 0) {
    record.ttftBoundMs = record.ttftMs === null ? null : 0;
    record.e2eBoundMs = record.e2eMs === null ? null : 0;
    return;
  }
  const at = (ms: number | null): number | null => {
    if (ms === null) return null;
    let bound = 0;
    for (let i = 0; i + 1 < pairs.length; i += 2) if (pairs[i] === ms) bound = Math.max(bound, pairs[i + 1] as number);
    return bound;
  };
  record.ttftBoundMs = at(record.ttftMs);
  record.e2eBoundMs = at(record.e2eMs);
}

/** Bytes of `text` in UTF-8 (k6 has no TextEncoder). */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
