// Server-Sent Events on the wire: frames a text/event-stream body, fed as
// the bytes of each captured segment, into events stamped with the time of
// the bytes that completed them (LF, CRLF or lone CR line ends, a CRLF split
// across segments). The bench's own framer, independent of the meter's.

import { StringDecoder } from 'node:string_decoder';

/** One SSE event of a response. */
export interface WireEvent {
  /** Time of the bytes carrying the event's last byte (the LF of its blank line) (ns). */
  tsNs: number;
  /** The event's data lines joined by "\n". */
  data: string;
}

const LF = 10;
const CR = 13;

/**
 * Frames an SSE body into events. Lines end at LF, CRLF or a lone CR; a
 * blank line dispatches the event when it has data, stamped with the time of
 * its last byte: for a CRLF blank line that is the LF, which may come in
 * later bytes than the CR.
 */
export class SseFramer {
  private readonly onEvent: (event: WireEvent) => void;
  private readonly decoder = new StringDecoder('utf8');
  private line = '';
  private data = '';
  private hasData = false;
  private started = false;
  /** The previous line ended with a CR: a following LF belongs to it. */
  private afterCR = false;
  /** A blank line ended in CR dispatches this event once we know whether an LF follows. */
  private pendingNs = -1;
  comments = 0;

  constructor(onEvent: (event: WireEvent) => void) {
    this.onEvent = onEvent;
  }

  push(bytes: Uint8Array, tsNs: number): void {
    let text = this.decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (text === '') return;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let pos = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (text.charCodeAt(0) === LF) pos = 1;
      // The event's last byte is this LF (or it was the CR: no LF came).
      if (this.pendingNs >= 0) this.dispatch(pos === 1 ? tsNs : this.pendingNs);
    }
    const n = text.length;
    while (pos < n) {
      let end = pos;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === LF || c === CR) break;
        end++;
      }
      if (end === n) {
        this.line += text.slice(pos);
        return;
      }
      const line = this.line + text.slice(pos, end);
      this.line = '';
      let terminatorEnd = end + 1;
      if (text.charCodeAt(end) === CR) {
        if (end + 1 === n) {
          // Whether an LF follows is in the next bytes.
          this.afterCR = true;
          if (line === '' && this.hasData) this.pendingNs = tsNs;
          else this.processLine(line, tsNs);
          return;
        }
        if (text.charCodeAt(end + 1) === LF) terminatorEnd = end + 2;
      }
      this.processLine(line, tsNs);
      pos = terminatorEnd;
    }
  }

  /** The body ended: an event still waiting for its blank line is dispatched at endNs. */
  finish(endNs: number): boolean {
    if (this.pendingNs >= 0) this.dispatch(this.pendingNs);
    this.afterCR = false;
    const rest = this.line + this.decoder.end();
    this.line = '';
    if (rest !== '') this.processLine(rest, endNs);
    if (this.hasData) {
      this.dispatch(endNs);
      return true;
    }
    return false;
  }

  private processLine(text: string, tsNs: number): void {
    if (text === '') {
      if (this.hasData) this.dispatch(tsNs);
      return;
    }
    if (text.charCodeAt(0) === 58 /* ':' */) {
      this.comments++;
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    if (field !== 'data') return;
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    this.data = this.hasData ? `${this.data}\n${value}` : value;
    this.hasData = true;
  }

  private dispatch(tsNs: number): void {
    const event = { tsNs, data: this.data };
    this.data = '';
    this.hasData = false;
    this.pendingNs = -1;
    this.onEvent(event);
  }
}
