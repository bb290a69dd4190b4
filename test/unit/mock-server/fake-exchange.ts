// The mock's request listener (routes.ts) driven without sockets: a fake
// request in, a recording response out, one MockContext wired as server.ts
// wires it, on a FakeClock. Every write is stamped with the clock's time, so
// a test reads exactly when each byte left the mock and checks the schedule
// by equality. The response emits 'close' synchronously when it ends or the
// client leaves, as Node does on the next tick: before any later timer.

import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CapacityModel } from '../../../tools/mock-server/capacity.ts';
import { PrefixCache } from '../../../tools/mock-server/prompt-cache.ts';
import { DEFAULT_MOCK_CONFIG, mergeMockConfig, parseFaultMix, type MockConfig } from '../../../tools/mock-server/config.ts';
import type { MockContext } from '../../../tools/mock-server/context.ts';
import type { DueTimer } from '../../../tools/mock-server/due-timer.ts';
import { FaultPlan } from '../../../tools/mock-server/fault-plan.ts';
import { createRequestListener } from '../../../tools/mock-server/routes.ts';
import { ScaleToZero } from '../../../tools/mock-server/scale-to-zero.ts';
import { StatsRecorder, type MockStats } from '../../../tools/mock-server/stats.ts';
import { FakeClock } from './fake-clock.ts';

/** One write of a response: when (clock ms) and what. */
export interface Write {
  at: number;
  text: string;
}

/** Stands in for http.ServerResponse: records the status, headers and every write with the clock's time. */
export class RecordingResponse extends EventEmitter {
  statusCode = 0;
  headers: Record<string, string> = {};
  headersSent = false;
  /** When the headers went out (clock ms); null before. */
  headersAt: number | null = null;
  destroyed = false;
  /** True once the answer was ended by the mock (not by a reset or the client leaving). */
  ended = false;
  /** True when the mock reset the connection. */
  reset = false;
  readonly writes: Write[] = [];
  readonly socket = {
    resetAndDestroy: (): void => {
      this.reset = true;
      this.close();
    },
  };

  constructor(private readonly clock: FakeClock) {
    super();
  }

  writeHead(status: number, headers: Record<string, string | number> = {}): this {
    this.statusCode = status;
    for (const [name, value] of Object.entries(headers)) this.headers[name.toLowerCase()] = String(value);
    this.headersSent = true;
    this.headersAt = this.clock.now();
    return this;
  }

  flushHeaders(): void {
    if (!this.headersSent) this.writeHead(200);
  }

  write(chunk: string): boolean {
    if (!this.headersSent) this.writeHead(200);
    this.writes.push({ at: this.clock.now(), text: chunk });
    return true;
  }

  end(chunk?: string): this {
    if (chunk !== undefined && chunk !== '') this.write(chunk);
    else if (!this.headersSent) this.writeHead(200);
    this.ended = true;
    this.close();
    return this;
  }

  /** The client went away (or the mock hung up). */
  destroy(): this {
    this.close();
    return this;
  }

  /** Everything written, in order. */
  get body(): string {
    return this.writes.map((w) => w.text).join('');
  }

  private close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}

/** The SSE events of a text (blank-line separated), comments included, without their final blank line. */
export function sseEvents(text: string): string[] {
  return text.split(/\r?\n\r?\n/).filter((e) => e !== '');
}

/** One SSE event of a write: its `event:` name (null when it has none) and its data, parsed when JSON. */
export interface WrittenEvent {
  event: string | null;
  /** Parsed JSON (any: each protocol test reads its own shapes), or the raw text. */
  data: any;
}

/** The events of a text, comments (keep-alives) left out. */
export function writtenEvents(text: string): WrittenEvent[] {
  return sseEvents(text)
    .filter((e) => !e.startsWith(':'))
    .map((block) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      const text = data.join('\n');
      try {
        return { event, data: JSON.parse(text) };
      } catch {
        return { event, data: text };
      }
    });
}

/** A mock without a socket: its context, clock, and requests answered into RecordingResponses. */
export interface FakeMock {
  readonly clock: FakeClock;
  readonly ctx: MockContext;
  /** Sends one whole request at the clock's time now. */
  request(method: string, path: string, body?: string, headers?: Record<string, string>): RecordingResponse;
  /** POSTs `body` (JSON-encoded unless a string) to `path`. */
  post(path: string, body: unknown, headers?: Record<string, string>): RecordingResponse;
  stats(): MockStats;
  /** Stops the counters' event-loop sampling. */
  close(): void;
}

/** A mock on DEFAULT_MOCK_CONFIG with `overrides`, answering without sockets on `clock`. */
export function fakeMock(overrides: Partial<MockConfig> = {}, clock = new FakeClock()): FakeMock {
  let config: MockConfig = { ...DEFAULT_MOCK_CONFIG, quiet: true, ...overrides };
  let plan = new FaultPlan(config.seed, config.faultRate, parseFaultMix(config.faults));
  let requestIndex = 0;
  const recorder = new StatsRecorder();
  const capacity = new CapacityModel(() => config, () => clock.now());
  const prefixCache = new PrefixCache();
  const stats = (): MockStats => recorder.snapshot(capacity.enabled() ? capacity.stats() : undefined, prefixCache.stats());
  const ctx: MockContext = {
    config: () => config,
    setConfig: (partial) => {
      config = mergeMockConfig(config, partial);
      plan = new FaultPlan(config.seed, config.faultRate, parseFaultMix(config.faults));
      return { ...config };
    },
    recorder,
    stats,
    resetStats: () => {
      recorder.reset();
      capacity.resetStats();
      prefixCache.resetStats();
    },
    nextFault: () => plan.next(),
    prefixCache,
    nextRequestIndex: () => requestIndex++,
    capacity,
    scaleToZero: new ScaleToZero(() => (recorder.scaling.coldStarts += 1)),
    clock,
    timers: new Set<DueTimer>(),
  };
  const listener = createRequestListener(ctx);
  const request = (method: string, path: string, body = '', headers: Record<string, string> = {}): RecordingResponse => {
    const req = Object.assign(new EventEmitter(), { method, url: path, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) });
    const res = new RecordingResponse(clock);
    listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    if (body !== '') req.emit('data', Buffer.from(body));
    req.emit('end');
    return res;
  };
  return {
    clock,
    ctx,
    request,
    post: (path, body, headers = {}) => request('POST', path, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers }),
    stats,
    close: () => recorder.stop(),
  };
}
