// The stream meter's contract with k6-llm (docs/meter-protocol.md), in one
// place: the record the meter answers for each request, the line its
// --records file keeps (that record plus who sent it and what k6-llm said of
// it), the context k6-llm hands the meter with each request, and the one
// validating reader every consumer uses: the k6 transport, teardown's
// pending records, the merge, the report and the bench. Shared vectors
// (test/fixtures/meter-records.json) hold the Go encoder and this reader to
// the same shapes. Pure.

/** The meter's record of one request; times in ms since the request's bytes were written. */
export interface MeterRecord {
  /** HTTP status; 0 when no response came. */
  status: number;
  retryAfter: string;
  headersMs: number;
  endMs: number;
  isSSE: boolean;
  /** Arrival of each SSE event, parallel to data. */
  times: number[];
  /** Each event's data; '' where fast[i] is 1. */
  data: string[];
  /** 1 where the event matched the protocol's plain-token rule; empty without one. */
  fast: number[];
  comments: number;
  unterminated: boolean;
  /** The start of a non-SSE body (all of a completion, up to the meter's limit). */
  body: string;
  bodyBytes: number;
  /** '' or timeout | stall | connect | reset | canceled | request. */
  errorKind: string;
  errorMessage: string;
  kernelStamps: boolean;
  readLagMaxMs: number;
  sendLagMs: number;
  /** Local TCP port of the upstream connection; 0 when there was none. */
  localPort: number;
  /** Wall-clock time of the write (Unix ns); 0 when it never was. */
  sentUnixNs: number;
  /**
   * Flat (event index, ms) pairs: how late each event's stamp may be when it
   * cannot be vouched for (it waited unread and came up in one read with
   * later segments, all stamped with the last one's time); empty otherwise.
   */
  stampBounds: number[];
  /** 1 when the meter sent the request again on a new connection (the server had closed the reused one); 0 otherwise. */
  resent: number;
  /** The first attempt's error when resent; '' otherwise. */
  resentCause: string;
}

import type { ImageSize } from '../images/image-info.ts';

/** What the record and the compact answer both say of a request's outcome. */
export type MeterOutcome = Pick<
  MeterRecord,
  'status' | 'retryAfter' | 'headersMs' | 'endMs' | 'isSSE' | 'body' | 'bodyBytes' | 'errorKind' | 'errorMessage' | 'kernelStamps' | 'readLagMaxMs' | 'sendLagMs' | 'resent'
>;

/**
 * The meter's compact answer (asked for with "answer": "compact"): the
 * outcome, the events whose meaning needs the protocol's adapter, and the
 * runs of plain-token events between them summed up by the meter, so k6
 * does not walk them one by one. The meter computes every gap from the
 * times as its record carries them: the same numbers k6 would compute.
 */
export interface CompactAnswer extends MeterOutcome {
  /** (arrival, data) pairs of the events that are not plain tokens, in order, flat. */
  events: (number | string)[];
  /** Per run of plain-token events: how many of `events`' events precede it, its length, its first and last arrival; flat. */
  runs: number[];
  /** Every run's gaps between its consecutive events (length − 1 each), runs in order. */
  gaps: number[];
  /** (event arrival, ms) pairs: how late the events so stamped may be (MeterRecord.stampBounds, by time instead of index). */
  stampBounds: number[];
}

/** What k6-llm tells the meter about a request, kept with its record (ctx on the wire). */
export interface RequestContext {
  /** The workload (its tag) the request belongs to. */
  workload: string;
  /** The workload keeps a timeline of outcomes (availability). */
  timeline: boolean;
  /** When the request started, ms since its instance's test start. */
  startedMs: number;
  /** The request asked for a stream. */
  streamed: boolean;
  /** The wire protocol it spoke (the adapter that reads its record); null in records of older k6-llm. */
  protocol: string | null;
  /** A ramp request's level and ms from the level's start to the request's start. */
  level: { label: string; sinceStartMs: number } | null;
  /** The images the request carried, with what k6-llm knew of their sizes (for a merge's image figures); empty when none. */
  images: ImageSize[];
}

/** One line of the meter's --records file: the record, who sent it, where, and its context. */
export interface RecordsLine {
  record: MeterRecord;
  /** The k6 VU that sent it (as the meter's vu parameter); '' when not given. */
  vu: string;
  url: string;
  /** null for a request sent without k6-llm's context (a script of one's own talking to the meter directly). */
  context: RequestContext | null;
}

/** The wire form of RequestContext: short keys, as every request carries one. */
export interface WireContext {
  w: string;
  t: 0 | 1;
  s: number;
  st: 0 | 1;
  p?: string;
  l?: string;
  le?: number;
  /** Images: flat (bytes, pixels) pairs, -1 where unknown. */
  im?: number[];
}

/** The context as sent to the meter (times rounded to the µs). */
export function encodeContext(ctx: RequestContext): WireContext {
  const wire: WireContext = { w: ctx.workload, t: ctx.timeline ? 1 : 0, s: ctx.startedMs, st: ctx.streamed ? 1 : 0 };
  if (ctx.protocol !== null) wire.p = ctx.protocol;
  if (ctx.level) {
    wire.l = ctx.level.label;
    wire.le = Math.round(ctx.level.sinceStartMs * 1000) / 1000;
  }
  if (ctx.images.length > 0) wire.im = ctx.images.flatMap((i) => [i.bytes ?? -1, i.pixels ?? -1]);
  return wire;
}

/** The images of a wire context's `im` pairs; none when absent or not a list of numbers. */
function readImages(value: unknown): ImageSize[] {
  if (!Array.isArray(value) || value.length % 2 !== 0 || !value.every((v) => typeof v === 'number')) return [];
  const out: ImageSize[] = [];
  for (let i = 0; i < value.length; i += 2) {
    const bytes = value[i] as number;
    const pixels = value[i + 1] as number;
    out.push({ bytes: bytes < 0 ? null : bytes, pixels: pixels < 0 ? null : pixels });
  }
  return out;
}

/** Reads a wire context; null when `value` is not one (absent, or another script's context). */
export function readContext(value: unknown): RequestContext | null {
  if (!isObject(value) || typeof value.w !== 'string' || typeof value.s !== 'number') return null;
  const level = typeof value.l === 'string' && typeof value.le === 'number' ? { label: value.l, sinceStartMs: value.le } : null;
  return { workload: value.w, timeline: value.t === 1, startedMs: value.s, streamed: value.st === 1, protocol: typeof value.p === 'string' ? value.p : null, level, images: readImages(value.im) };
}

/** Why a value read from the meter is not what the contract says, in one line. */
class NotARecord extends Error {}

function num(o: Record<string, unknown>, field: string, absent?: number): number {
  const v = o[field];
  if (v === undefined && absent !== undefined) return absent;
  if (typeof v !== 'number') throw new NotARecord(`"${field}" is not a number`);
  return v;
}

function str(o: Record<string, unknown>, field: string, absent?: string): string {
  const v = o[field];
  if (v === undefined && absent !== undefined) return absent;
  if (typeof v !== 'string') throw new NotARecord(`"${field}" is not a string`);
  return v;
}

function bool(o: Record<string, unknown>, field: string): boolean {
  const v = o[field];
  if (typeof v !== 'boolean') throw new NotARecord(`"${field}" is not true or false`);
  return v;
}

/** A list field; its elements are the Go encoder's and are not walked (that would cost a VU time per event). */
function list(o: Record<string, unknown>, field: string) {
  const v = o[field];
  if (!Array.isArray(v)) throw new NotARecord(`"${field}" is not a list`);
  return v;
}

function record(o: Record<string, unknown>): MeterRecord {
  const times: number[] = list(o, 'times');
  const data: string[] = list(o, 'data');
  const fast: number[] = list(o, 'fast');
  if (data.length !== times.length || (fast.length !== 0 && fast.length !== times.length)) throw new NotARecord('"times", "data" and "fast" differ in length');
  return {
    status: num(o, 'status'),
    retryAfter: str(o, 'retryAfter'),
    headersMs: num(o, 'headersMs'),
    endMs: num(o, 'endMs'),
    isSSE: bool(o, 'isSSE'),
    times,
    data,
    fast,
    comments: num(o, 'comments'),
    unterminated: bool(o, 'unterminated'),
    body: str(o, 'body'),
    bodyBytes: num(o, 'bodyBytes'),
    errorKind: str(o, 'errorKind'),
    errorMessage: str(o, 'errorMessage'),
    kernelStamps: bool(o, 'kernelStamps'),
    readLagMaxMs: num(o, 'readLagMaxMs'),
    sendLagMs: num(o, 'sendLagMs'),
    // Absent in records of older meters.
    localPort: num(o, 'localPort', 0),
    sentUnixNs: num(o, 'sentUnixNs', 0),
    stampBounds: o.stampBounds === undefined ? [] : list(o, 'stampBounds'),
    resent: num(o, 'resent', 0),
    resentCause: str(o, 'resentCause', ''),
  };
}

/** Reads a parsed meter record, every field checked for its type; the record, or a one-line reason it is not one. */
export function readMeterRecord(value: unknown): MeterRecord | string {
  if (!isObject(value)) return 'not a JSON object';
  try {
    return record(value);
  } catch (err) {
    if (err instanceof NotARecord) return err.message;
    throw err;
  }
}

/** `text` parsed as JSON and read by `read`; 'not JSON' when it does not parse. */
function parsedWith<T>(text: string, read: (value: unknown) => T | string): T | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  return read(value);
}

/** Parses the meter's JSON answer; a one-line reason when it is not a record. */
export function parseMeterRecord(text: string): MeterRecord | string {
  return parsedWith(text, readMeterRecord);
}

/** The compact answer's layout version (its first element). */
const COMPACT_VERSION = 1;
/** Its flags. */
const COMPACT_SSE = 1;
const COMPACT_KERNEL_STAMPS = 2;
const COMPACT_RESENT = 4;

function numAt(a: unknown[], i: number, name: string): number {
  const v = a[i];
  if (typeof v !== 'number') throw new NotARecord(`${name} (element ${i}) is not a number`);
  return v;
}

function strAt(a: unknown[], i: number, name: string): string {
  const v = a[i];
  if (typeof v !== 'string') throw new NotARecord(`${name} (element ${i}) is not a string`);
  return v;
}

function listAt(a: unknown[], i: number, name: string): (number | string)[] {
  const v = a[i];
  if (!Array.isArray(v)) throw new NotARecord(`${name} (element ${i}) is not a list`);
  return v;
}

/**
 * Reads a parsed compact answer (docs/meter-protocol.md), each element
 * checked for its type (lists are the Go encoder's and are not walked);
 * the answer, or a one-line reason it is not one.
 */
export function readCompactAnswer(value: unknown): CompactAnswer | string {
  if (!Array.isArray(value)) return 'not a JSON array';
  if (value[0] !== COMPACT_VERSION) return `not a compact answer of version ${COMPACT_VERSION} (first element ${JSON.stringify(value[0])})`;
  try {
    const flags = numAt(value, 4, 'flags');
    const runs = listAt(value, 13, 'runs') as number[];
    const events = listAt(value, 12, 'events');
    if (events.length % 2 !== 0 || runs.length % 4 !== 0) throw new NotARecord('events or runs are not whole pairs and quadruples');
    return {
      status: numAt(value, 1, 'status'),
      headersMs: numAt(value, 2, 'headersMs'),
      endMs: numAt(value, 3, 'endMs'),
      isSSE: (flags & COMPACT_SSE) !== 0,
      kernelStamps: (flags & COMPACT_KERNEL_STAMPS) !== 0,
      resent: (flags & COMPACT_RESENT) !== 0 ? 1 : 0,
      readLagMaxMs: numAt(value, 5, 'readLagMaxMs'),
      sendLagMs: numAt(value, 6, 'sendLagMs'),
      bodyBytes: numAt(value, 7, 'bodyBytes'),
      retryAfter: strAt(value, 8, 'retryAfter'),
      errorKind: strAt(value, 9, 'errorKind'),
      errorMessage: strAt(value, 10, 'errorMessage'),
      body: strAt(value, 11, 'body'),
      events,
      runs,
      gaps: listAt(value, 14, 'gaps') as number[],
      stampBounds: listAt(value, 15, 'stampBounds') as number[],
    };
  } catch (err) {
    if (err instanceof NotARecord) return err.message;
    throw err;
  }
}

/** Parses the meter's compact answer; a one-line reason when it is not one. */
export function parseCompactAnswer(text: string): CompactAnswer | string {
  return parsedWith(text, readCompactAnswer);
}

/** Reads one line of a records file; a one-line reason when it is not one. */
export function parseRecordsLine(text: string): RecordsLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!isObject(value)) return 'not a JSON object';
  try {
    return { record: record(value), vu: str(value, 'vu', ''), url: str(value, 'url', ''), context: readContext(value.ctx) };
  } catch (err) {
    if (err instanceof NotARecord) return err.message;
    throw err;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
