// HTTP/1.1 and Server-Sent Events on the wire: splits a connection's
// client→server bytes into requests (bodies by Content-Length or chunked)
// and its server→client bytes into responses (chunked, Content-Length or
// until close), decodes chunked bodies, and frames text/event-stream bodies
// into SSE events (sse-framer.ts), each stamped with the time of the bytes
// that completed it. Pure and streaming: it keeps only the current
// head, line and event, so a long capture costs no memory per event.

import { SseFramer, type WireEvent } from './sse-framer.ts';
import type { FlowSink } from './tcp-flows.ts';

/** One request as it went over the wire. */
export interface WireRequest {
  /** Requests on the connection, from 0; the response with the same index answers it. */
  index: number;
  method: string;
  target: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Time of the bytes that carried the request's first byte (ns). */
  firstByteNs: number;
  /** Time of the bytes that carried the request's last byte (ns): the request is sent. */
  endNs: number;
  bodyBytes: number;
}

/** One response's status line and headers. */
export interface WireResponseHead {
  index: number;
  status: number;
  headers: Record<string, string>;
  /** Time of the bytes that completed the headers (ns). */
  headNs: number;
  eventStream: boolean;
}

/** Receives what one connection carried, in order. */
export interface HttpWireHandler {
  request(req: WireRequest): void;
  responseHead(head: WireResponseHead): void;
  event(index: number, event: WireEvent): void;
  /** complete: the body ended as its framing says (false: the connection closed first). */
  responseEnd(index: number, endNs: number, complete: boolean, bodyBytes: number): void;
}

/** How a message's body is delimited. */
type BodyMode = { kind: 'none' } | { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' };

interface MessageCallbacks {
  /** Headers parsed; returns the body's framing (or null: the message ends here and is not counted, as a 1xx). */
  head(startLine: string, headers: Record<string, string>, firstByteNs: number, headNs: number): BodyMode | null;
  body(bytes: Uint8Array, tsNs: number): void;
  end(endNs: number, complete: boolean): void;
}

const LF = 10;
const CR = 13;
const MAX_HEAD = 1024 * 1024;

/** Splits one direction's bytes into HTTP messages and decodes their bodies. */
class MessageStream {
  private readonly cb: MessageCallbacks;
  private state: 'head' | 'length' | 'size' | 'data' | 'dataEnd' | 'trailer' | 'close' = 'head';
  private head = '';
  private firstByteNs = -1;
  private remaining = 0;
  private line = '';
  private lastNs = 0;
  /** Bytes after a broken message are not HTTP any more. */
  broken: string | null = null;

  constructor(cb: MessageCallbacks) {
    this.cb = cb;
  }

  push(bytes: Uint8Array, tsNs: number): void {
    if (this.broken !== null) return;
    this.lastNs = tsNs;
    let pos = 0;
    const n = bytes.length;
    while (pos < n && this.broken === null) {
      switch (this.state) {
        case 'head': {
          if (this.head === '' && this.firstByteNs < 0) {
            // Blank lines between messages are allowed (RFC 9112 §2.2).
            if (bytes[pos] === CR || bytes[pos] === LF) {
              pos++;
              break;
            }
            this.firstByteNs = tsNs;
          }
          const end = findHeadEnd(this.head, bytes, pos);
          if (end < 0) {
            this.head += latin1(bytes, pos, n);
            pos = n;
            if (this.head.length > MAX_HEAD) this.broken = 'a message head over 1 MiB';
            break;
          }
          this.head += latin1(bytes, pos, end);
          pos = end;
          this.startBody(tsNs);
          break;
        }
        case 'length': {
          const take = Math.min(this.remaining, n - pos);
          this.cb.body(bytes.subarray(pos, pos + take), tsNs);
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.endMessage(tsNs, true);
          break;
        }
        case 'close':
          this.cb.body(bytes.subarray(pos), tsNs);
          pos = n;
          break;
        case 'data': {
          const take = Math.min(this.remaining, n - pos);
          this.cb.body(bytes.subarray(pos, pos + take), tsNs);
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'dataEnd';
          break;
        }
        case 'size':
        case 'dataEnd':
        case 'trailer': {
          const lf = bytes.indexOf(LF, pos);
          if (lf < 0) {
            this.line += latin1(bytes, pos, n);
            pos = n;
            if (this.line.length > 4096) this.broken = 'a chunk-size or trailer line over 4 KiB';
            break;
          }
          const text = (this.line + latin1(bytes, pos, lf)).replace(/\r$/, '');
          this.line = '';
          pos = lf + 1;
          this.chunkLine(text, tsNs);
          break;
        }
      }
    }
  }

  /** The connection ended: a body delimited by the close ends here, anything else is cut short. */
  close(): void {
    if (this.broken !== null) return;
    if (this.state === 'close') this.endMessage(this.lastNs, true);
    else if (this.state !== 'head' || this.head !== '') this.endMessage(this.lastNs, false);
  }

  private chunkLine(text: string, tsNs: number): void {
    if (this.state === 'dataEnd') {
      if (text !== '') this.broken = 'a chunk not followed by CRLF';
      this.state = 'size';
    } else if (this.state === 'size') {
      const size = Number.parseInt(text.split(';')[0]!.trim(), 16);
      if (!Number.isFinite(size) || !/^[0-9a-fA-F]+$/.test(text.split(';')[0]!.trim())) {
        this.broken = `an unreadable chunk size "${text.slice(0, 40)}"`;
      } else if (size === 0) {
        this.state = 'trailer';
      } else {
        this.remaining = size;
        this.state = 'data';
      }
    } else if (text === '') {
      this.endMessage(tsNs, true);
    }
  }

  private startBody(tsNs: number): void {
    const lines = this.head.split(/\r?\n/);
    this.head = '';
    const startLine = lines[0] ?? '';
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i]!;
      if (l === '') continue;
      const colon = l.indexOf(':');
      if (colon <= 0) continue;
      const name = l.slice(0, colon).trim().toLowerCase();
      const value = l.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const first = this.firstByteNs;
    const mode = this.cb.head(startLine, headers, first, tsNs);
    if (mode === null) {
      this.reset();
      return;
    }
    switch (mode.kind) {
      case 'none':
        this.endMessage(tsNs, true);
        return;
      case 'length':
        if (mode.remaining === 0) this.endMessage(tsNs, true);
        else {
          this.remaining = mode.remaining;
          this.state = 'length';
        }
        return;
      case 'chunked':
        this.state = 'size';
        return;
      case 'close':
        this.state = 'close';
    }
  }

  private endMessage(tsNs: number, complete: boolean): void {
    this.cb.end(tsNs, complete);
    this.reset();
  }

  private reset(): void {
    this.state = 'head';
    this.head = '';
    this.line = '';
    this.firstByteNs = -1;
    this.remaining = 0;
  }
}

/** Index in bytes just past the head's blank line (CRLFCRLF or LFLF), the head's start `before` included; -1 when not there yet. */
function findHeadEnd(before: string, bytes: Uint8Array, from: number): number {
  // The last three bytes seen before `from` may start the terminator.
  let b = before.length > 1 ? before.charCodeAt(before.length - 2) : -1;
  let c = before.length > 0 ? before.charCodeAt(before.length - 1) : -1;
  for (let i = from; i < bytes.length; i++) {
    const d = bytes[i]!;
    if (d === LF && (c === LF || (c === CR && b === LF))) return i + 1;
    b = c;
    c = d;
  }
  return -1;
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
}

/** Body framing of a request (RFC 9112 §6.3: no length means no body). */
function requestBody(headers: Record<string, string>): BodyMode | 'invalid' {
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) return { kind: 'chunked' };
  const cl = headers['content-length'];
  if (cl === undefined) return { kind: 'none' };
  const n = Number(cl);
  return Number.isInteger(n) && n >= 0 ? { kind: 'length', remaining: n } : 'invalid';
}

/** What made a connection's bytes unreadable as HTTP, if anything. */
export interface HttpWireProblems {
  client: string | null;
  server: string | null;
}

/**
 * Parses one connection: a FlowSink for TcpFlows that reports requests,
 * response heads, SSE events and response ends to handler.
 */
export class HttpWireConnection implements FlowSink {
  private readonly requests: MessageStream;
  private readonly responses: MessageStream;
  private requestCount = 0;
  private current: { index: number; method: string; target: string; headers: Record<string, string>; firstByteNs: number; bodyBytes: number } | null = null;
  /** Methods of requests not answered yet, in order (a HEAD response has no body). */
  private readonly methods: string[] = [];
  private responseCount = 0;
  private responseBytes = 0;
  private sse: SseFramer | null = null;
  private ended = false;

  constructor(handler: HttpWireHandler) {
    this.requests = new MessageStream({
      head: (startLine, headers, firstByteNs) => {
        const [method = '', target = ''] = startLine.split(' ');
        const mode = requestBody(headers);
        if (mode === 'invalid') {
          this.requests.broken = `a request with Content-Length "${headers['content-length']}"`;
          return null;
        }
        this.current = { index: this.requestCount++, method, target, headers, firstByteNs, bodyBytes: 0 };
        this.methods.push(method);
        return mode;
      },
      body: (bytes) => {
        if (this.current) this.current.bodyBytes += bytes.length;
      },
      end: (endNs, complete) => {
        const c = this.current;
        this.current = null;
        // A request cut short by the connection's end was never sent whole.
        if (c && complete) handler.request({ ...c, endNs });
      },
    });
    this.responses = new MessageStream({
      head: (startLine, headers, _first, headNs) => {
        const m = /^HTTP\/\d\.\d (\d{3})/.exec(startLine);
        if (!m) {
          this.responses.broken = `a status line "${startLine.slice(0, 40)}"`;
          return null;
        }
        const status = Number(m[1]);
        // Interim responses (100 Continue...) answer no request by themselves.
        if (status >= 100 && status < 200 && status !== 101) return null;
        const index = this.responseCount++;
        const method = this.methods.shift() ?? '';
        const eventStream = /^text\/event-stream\b/i.test(headers['content-type'] ?? '');
        this.responseBytes = 0;
        this.sse = eventStream ? new SseFramer((ev) => handler.event(index, ev)) : null;
        handler.responseHead({ index, status, headers, headNs, eventStream });
        if (method === 'HEAD' || status === 204 || status === 304) return { kind: 'none' };
        if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) return { kind: 'chunked' };
        const cl = headers['content-length'];
        if (cl !== undefined) {
          const n = Number(cl);
          if (!Number.isInteger(n) || n < 0) {
            this.responses.broken = `a response with Content-Length "${cl}"`;
            return null;
          }
          return { kind: 'length', remaining: n };
        }
        return { kind: 'close' };
      },
      body: (bytes, tsNs) => {
        this.responseBytes += bytes.length;
        this.sse?.push(bytes, tsNs);
      },
      end: (endNs, complete) => {
        this.sse?.finish(endNs);
        this.sse = null;
        handler.responseEnd(this.responseCount - 1, endNs, complete, this.responseBytes);
      },
    });
  }

  data(fromClient: boolean, bytes: Uint8Array, tsNs: number): void {
    if (fromClient) this.requests.push(bytes, tsNs);
    else this.responses.push(bytes, tsNs);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.requests.close();
    this.responses.close();
  }

  /** Why either direction stopped being readable as HTTP (null: it did not). */
  get problems(): HttpWireProblems {
    return { client: this.requests.broken, server: this.responses.broken };
  }
}
