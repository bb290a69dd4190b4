// Test support: an incremental Server-Sent Events parser, text chunks in,
// (arrival time, data) events out, so Node tests can replay the raw
// transcripts (test/fixtures/sse/*.txt) through StreamMeter. What runs is the
// stream meter's Go parser (meter/sseread); both must give the events in
// test/fixtures/sse/events.json, which each side's tests check.
// Framing follows the WHATWG rules LLM servers rely on.

/** One dispatched SSE event. */
export interface SseEvent {
  /** Arrival time of the chunk that completed the event, in ms. */
  atMs: number;
  /** The event's data lines joined by "\n". */
  data: string;
}

/** A stateful SSE parser; feed() chunks as they arrive, then flush(). */
export interface SseParser {
  /** Consumes one chunk of body text that arrived at atMs. */
  feed(chunk: string, atMs: number): void;
  /** Ends the stream; returns true when a final event lacked its blank line. */
  flush(atMs: number): boolean;
  /** Number of comment lines seen (": keep-alive" and the like). */
  readonly comments: number;
}

/** Creates a parser that calls onEvent for every dispatched event. */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let line = '';
  let data = '';
  let hasData = false;
  let pendingCR = false;
  let started = false;
  let comments = 0;

  function processLine(text: string, atMs: number): void {
    if (text === '') {
      if (hasData) dispatch(atMs);
      return;
    }
    if (text.charCodeAt(0) === 58 /* ':' */) {
      comments++;
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    if (field !== 'data') return; // id, event, retry: LLM protocols carry everything in data
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    data = hasData ? `${data}\n${value}` : value;
    hasData = true;
  }

  function dispatch(atMs: number): void {
    const event = { atMs, data };
    data = '';
    hasData = false;
    onEvent(event);
  }

  return {
    feed(chunk: string, atMs: number): void {
      // An empty read carries nothing: it must not end a pending CR or the BOM check.
      if (chunk === '') return;
      if (!started) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      // A CR that ended the previous chunk may be the first half of a CRLF.
      if (pendingCR) {
        pendingCR = false;
        if (chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
      }
      let pos = 0;
      while (pos < chunk.length) {
        let end = pos;
        while (end < chunk.length) {
          const c = chunk.charCodeAt(end);
          if (c === 10 || c === 13) break;
          end++;
        }
        if (end === chunk.length) {
          line += chunk.slice(pos);
          return;
        }
        processLine(line + chunk.slice(pos, end), atMs);
        line = '';
        if (chunk.charCodeAt(end) === 13) {
          if (end + 1 === chunk.length) {
            pendingCR = true;
            return;
          }
          if (chunk.charCodeAt(end + 1) === 10) end++;
        }
        pos = end + 1;
      }
    },
    flush(atMs: number): boolean {
      if (line !== '') {
        processLine(line, atMs);
        line = '';
      }
      if (hasData) {
        dispatch(atMs);
        return true;
      }
      return false;
    },
    get comments(): number {
      return comments;
    },
  };
}
