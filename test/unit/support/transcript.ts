// Replays raw SSE transcripts (test/fixtures/sse/*.txt) through
// createSseParser (the test twin of the Go parser) → StreamMeter, with arrival times the test
// chooses: either one time per dispatched event, or the raw text cut into
// chunks at chosen offsets, each chunk with its own arrival time.

import { readFileSync } from 'node:fs';
import { StreamMeter } from '../../../src/measure/stream-meter.ts';
import type { RequestRecord, TransportOutcome } from '../../../src/measure/request-record.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import type { ProtocolAdapter } from '../../../src/protocols/protocol.ts';
import { matchesFastTokenRule } from '../../../src/protocols/fast-token-rule.ts';
import { createSseParser, type SseEvent } from './sse-parser.ts';

/** The raw text of test/fixtures/sse/<name>.txt, bytes as stored (CRLF kept). */
export function loadTranscript(name: string): string {
  return readFileSync(new URL(`../../fixtures/sse/${name}.txt`, import.meta.url), 'utf8');
}

/** Every transcript in test/fixtures/sse, by name. */
export const TRANSCRIPTS = [
  'vllm-role-keepalive',
  'vllm-role-keepalive-crlf',
  'openai-usage-null',
  'multi-token-chunks',
  'stream-error',
  'truncated',
  'reasoning',
  'tool-calls',
  'malformed',
  'malformed-content',
  'empty-output',
] as const;

/** Transcripts of the other protocols, by the adapter that reads them. */
export const PROTOCOL_TRANSCRIPTS = {
  'completions-usage': 'openai-completions',
  'completions-truncated': 'openai-completions',
  'anthropic-text': 'anthropic-messages',
  'anthropic-thinking-tool': 'anthropic-messages',
  'anthropic-error': 'anthropic-messages',
  'anthropic-truncated': 'anthropic-messages',
  'responses-text': 'openai-responses',
  'responses-reasoning-tool': 'openai-responses',
  'responses-failed': 'openai-responses',
  'responses-truncated': 'openai-responses',
  'tgi-stream': 'tgi',
  'tgi-length': 'tgi',
  'tgi-error': 'tgi',
  'tgi-truncated': 'tgi',
} as const;

/** Every transcript in test/fixtures/sse: the chat ones and the other protocols'. */
export const ALL_TRANSCRIPTS: readonly string[] = [...TRANSCRIPTS, ...Object.keys(PROTOCOL_TRANSCRIPTS)];

/** What the parser produced from a sequence of chunks. */
export interface Parsed {
  events: SseEvent[];
  comments: number;
  /** flush() found a final event that lacked its blank line. */
  flushed: boolean;
}

/** One piece of body text and when it arrived. */
export interface Arrival {
  text: string;
  atMs: number;
}

/** Feeds the chunks in order, then flushes at flushAtMs. */
export function parseChunks(chunks: readonly Arrival[], flushAtMs: number): Parsed {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.feed(chunk.text, chunk.atMs);
  const flushed = parser.flush(flushAtMs);
  return { events, comments: parser.comments, flushed };
}

/** Parses a whole transcript at once (all events at time 0). */
export function parseWhole(raw: string): Parsed {
  return parseChunks([{ text: raw, atMs: 0 }], 0);
}

/** Cuts raw at the given ascending offsets; chunk i arrives at times[i]. */
export function cutAt(raw: string, offsets: readonly number[], times: readonly number[]): Arrival[] {
  if (times.length !== offsets.length + 1) throw new Error(`need ${offsets.length + 1} times, got ${times.length}`);
  const chunks: Arrival[] = [];
  let from = 0;
  offsets.forEach((to, i) => {
    if (to < from || to > raw.length) throw new Error(`bad cut offset ${to}`);
    chunks.push({ text: raw.slice(from, to), atMs: times[i] as number });
    from = to;
  });
  chunks.push({ text: raw.slice(from), atMs: times[offsets.length] as number });
  return chunks;
}

/** Offset of the nth (0-based) occurrence of needle in raw, plus delta; throws if absent. */
export function offsetOf(raw: string, needle: string, nth = 0, delta = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = raw.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`occurrence ${nth} of ${JSON.stringify(needle)} not found`);
  }
  return at + delta;
}

/** A clean 200 text/event-stream outcome. */
export function okOutcome(endMs: number, overrides: Partial<TransportOutcome> = {}): TransportOutcome {
  return { status: 200, headersMs: null, endMs, error: null, isEventStream: true, ...overrides };
}

/** Options of a replay. */
export interface ReplayOptions {
  /** When the request was sent, on the same clock as the arrival times. Default 0. */
  startMs?: number;
  /** The transport outcome; default a clean 200 ending 1 ms after the last event. */
  outcome?: TransportOutcome;
  adapter?: ProtocolAdapter;
  /**
   * 'each' (default): onEvent per event; 'batch': one onEvents call; 'meter':
   * one onEvents call with the adapter's fast rule applied first and the
   * matched events' data dropped, as the stream meter delivers them.
   */
  mode?: 'each' | 'batch' | 'meter';
}

/** A replay's measured record and what the parser saw. */
export interface Replay extends Parsed {
  record: RequestRecord;
}

/** Feeds (time, data) events to a fresh StreamMeter and finishes it. */
export function meterEvents(events: readonly SseEvent[], options: ReplayOptions = {}): RequestRecord {
  const adapter = options.adapter ?? openaiChat;
  const meter = new StreamMeter(adapter, options.startMs ?? 0);
  const lastMs = events.length > 0 ? (events[events.length - 1] as SseEvent).atMs : (options.startMs ?? 0);
  if (options.mode === 'meter') {
    const rule = adapter.fastTokenRule;
    const fast = events.map((e) => (rule && matchesFastTokenRule(rule, e.data) ? 1 : 0));
    meter.onEvents(
      events.map((e) => e.atMs),
      events.map((e, i) => (fast[i] === 1 ? '' : e.data)),
      rule ? fast : undefined,
    );
  } else if (options.mode === 'batch') {
    meter.onEvents(
      events.map((e) => e.atMs),
      events.map((e) => e.data),
    );
  } else {
    for (const event of events) meter.onEvent(event.atMs, event.data);
  }
  return meter.finish(options.outcome ?? okOutcome(lastMs + 1));
}

/**
 * Parses the transcript, gives dispatched event i the arrival time times[i]
 * (throws unless there is exactly one time per event), and meters it.
 */
export function replayTimed(raw: string, times: readonly number[], options: ReplayOptions = {}): Replay {
  const parsed = parseWhole(raw);
  if (parsed.events.length !== times.length) {
    throw new Error(`transcript has ${parsed.events.length} events, got ${times.length} times`);
  }
  const events = parsed.events.map((event, i) => ({ atMs: times[i] as number, data: event.data }));
  return { ...parsed, events, record: meterEvents(events, options) };
}

/** Feeds the chunks through the parser (flushing at flushAtMs) and meters the events with their parser times. */
export function replayChunks(chunks: readonly Arrival[], flushAtMs: number, options: ReplayOptions = {}): Replay {
  const parsed = parseChunks(chunks, flushAtMs);
  return { ...parsed, record: meterEvents(parsed.events, options) };
}

/**
 * For each dispatched event, the offset of the char whose arrival completes
 * it (raw.length when flush() dispatched it): found by feeding one char per
 * chunk at time = offset.
 */
export function dispatchOffsets(raw: string): number[] {
  const chunks = Array.from({ length: raw.length }, (_, i) => ({ text: raw[i] as string, atMs: i }));
  return parseChunks(chunks, raw.length).events.map((e) => e.atMs);
}

/**
 * Cut offsets that put event i's completing char in chunk i (i ≥ 1), each cut
 * at an awkward place, rotating through: right after the previous event's
 * completing char (between the CR and LF of a CRLF blank line), inside the
 * word "data", mid-JSON (inside a key or a word), and just before the event's
 * own completing char (between CR and LF of the data line when CRLF).
 */
export function awkwardCuts(raw: string): number[] {
  const done = dispatchOffsets(raw);
  const cuts: number[] = [];
  for (let i = 1; i < done.length; i++) {
    const after = (done[i - 1] as number) + 1; // first offset that may start chunk i
    const last = Math.min(done[i] as number, raw.length - 1); // chunk i must hold this char
    const lineStart = raw.indexOf('data:', after);
    let cut: number;
    switch (i % 4) {
      case 0:
        cut = after;
        break;
      case 1:
        cut = lineStart >= 0 ? lineStart + 2 : after;
        break;
      case 2:
        cut = lineStart >= 0 ? lineStart + Math.floor((last - lineStart) / 2) : after;
        break;
      default:
        cut = last - 1;
    }
    cuts.push(Math.max(after, Math.min(cut, last)));
  }
  return cuts;
}
