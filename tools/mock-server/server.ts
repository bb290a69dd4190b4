// The mock LLM HTTP server: an OpenAI-compatible /v1/chat/completions that
// emits tokens on an exact, absolute schedule and measures its own send
// lateness, plus /mock/* control endpoints. It is the ground truth k6-llm's
// accuracy tests compare against, so timing correctness comes first.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { CapacityModel, type CapacityStats } from './capacity.ts';
import { FAULT_KINDS, MockConfigError, mergeMockConfig, parseFaultMix, type FaultKind, type MockConfig } from './config.ts';

/** Send-lateness summary (ms): how long after its scheduled time each timed send went out. */
export interface LatenessStats {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/** Counters since start or the last reset; activeStreams is a live gauge. */
export interface MockStats {
  /** Chat-completion requests received (streaming and not), faulted and warming-up ones included. */
  requests: number;
  /** Streaming requests accepted. */
  streams: number;
  /** Streams currently sending. */
  activeStreams: number;
  /** Streams ended early because the client went away. */
  aborted: number;
  /** Completion tokens sent (content chunks and non-streaming bodies). */
  tokensSent: number;
  /** SSE content chunks sent. */
  chunksSent: number;
  /** Lateness of every scheduled send: content chunks and non-streaming bodies. */
  lateness: LatenessStats;
  /** The capacity model's slots and queue; only while the model is on (--slots > 0). */
  capacity?: CapacityStats;
  /** Injected faults by kind (every FAULT_KINDS key present). */
  faults: Record<FaultKind, number>;
  /** Times the model scaled up from zero. */
  coldStarts: number;
  /** Requests answered 503 because the model was still warming up (--cold-start-503). */
  warmingRejections: number;
  /** Connection-refused windows that started. */
  downWindows: number;
  /** Gaps between consecutive chat-completion request arrivals (body fully received), ms. */
  arrivals: ArrivalStats;
  /**
   * How late the event loop ran callbacks (ms, sampled every 10 ms). A request
   * whose body arrives while the loop is busy gets its t0 late by about this
   * much, which no send-lateness figure shows: the mock's own keeping of time.
   */
  eventLoopDelay: { p50: number; p99: number; max: number };
}

/** Inter-arrival figures of the requests the mock received: the load's true shape. */
export interface ArrivalStats {
  /** Requests counted (gaps = count − 1). */
  count: number;
  meanGapMs: number;
  /** Coefficient of variation of the gaps (1 for a Poisson process, 0 for even spacing). */
  cv: number;
  /** First → last arrival, ms. */
  spanMs: number;
}

/** Running mean and variance of inter-arrival gaps (Welford), O(1) memory. */
class ArrivalGaps {
  private count = 0;
  private first = 0;
  private last = 0;
  private mean = 0;
  private m2 = 0;

  record(t: number): void {
    if (this.count === 0) this.first = t;
    else {
      const gap = t - this.last;
      const n = this.count; // number of gaps after this one
      const delta = gap - this.mean;
      this.mean += delta / n;
      this.m2 += delta * (gap - this.mean);
    }
    this.last = t;
    this.count += 1;
  }

  summary(): ArrivalStats {
    const gaps = this.count - 1;
    const sd = gaps > 1 ? Math.sqrt(this.m2 / (gaps - 1)) : 0;
    return { count: this.count, meanGapMs: gaps > 0 ? this.mean : 0, cv: gaps > 1 && this.mean > 0 ? sd / this.mean : 0, spanMs: this.count > 0 ? this.last - this.first : 0 };
  }

  reset(): void {
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
  }
}

/** Handle returned by createMockServer. */
export interface MockServer {
  /** Starts listening; resolves with the bound address and the /v1 base URL. */
  listen(): Promise<{ port: number; host: string; url: string }>;
  /** Stops all streams and closes every connection. */
  close(): Promise<void>;
  /** Current counters and lateness percentiles (ms). */
  stats(): MockStats;
  /** Applies a validated JSON partial to subsequent requests; returns the new config. */
  setConfig(partial: unknown): MockConfig;
}

const MODEL_ID = 'mock-llm';
// Keeps idle keep-alive connections of load generators open between iterations,
// above the 60 s idle timeout common in proxies and clients.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
// Node timers fire on whole-millisecond loop ticks; the last sub-millisecond
// before a due time is waited out with setImmediate so sends are never early.
const SPIN_BELOW_MS = 1;
// setTimeout overflows above 2^31-1 ms; longer waits simply re-arm.
const MAX_TIMER_MS = 2 ** 30;

const BUCKET_MS = 0.1;
const BUCKET_COUNT = 10_000; // 0.1 ms buckets up to 1 s; later sends share an overflow bucket.

/** Bounded lateness recorder: fixed 0.1 ms histogram plus exact max and sum. */
class LatenessHistogram {
  private counts = new Float64Array(BUCKET_COUNT + 1);
  private count = 0;
  private sum = 0;
  private max = 0;

  record(ms: number): void {
    const value = ms > 0 ? ms : 0;
    this.counts[Math.min(BUCKET_COUNT, Math.floor(value / BUCKET_MS))]! += 1;
    this.count += 1;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }

  /** Upper edge of the bucket holding the q-quantile, capped at the exact max. */
  private quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min((i + 1) / 10, round3(this.max));
    }
    return round3(this.max);
  }

  summary(): LatenessStats {
    return {
      count: this.count,
      mean: this.count === 0 ? 0 : round3(this.sum / this.count),
      p50: this.quantile(0.5),
      p99: this.quantile(0.99),
      max: round3(this.max),
    };
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** mulberry32: tiny, fast, seedable PRNG returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Which chat requests get a fault, and which one. Exactly `rate` of the
 * requests (± 1) are faulted, evenly spread from a seeded phase, so a short
 * run's injected share is the configured one rather than a binomial draw;
 * kinds cycle through the mix in a fresh seeded order each cycle, so every
 * kind appears once per cycle.
 */
export class FaultPlan {
  private index = 0;
  private faulted = 0;
  private readonly phase: number;
  private order: FaultKind[] = [];

  constructor(
    private readonly seed: number,
    private readonly rate: number,
    private readonly mix: readonly FaultKind[],
  ) {
    this.phase = mulberry32((seed ^ 0x5eed5eed) >>> 0)();
  }

  /** The fault of the next request, or null for a clean answer. */
  next(): FaultKind | null {
    const i = this.index++;
    if (this.rate <= 0 || this.mix.length === 0) return null;
    if (Math.floor((i + 1) * this.rate + this.phase) === Math.floor(i * this.rate + this.phase)) return null;
    const j = this.faulted++;
    const position = j % this.mix.length;
    if (position === 0) this.order = shuffled(this.mix, (this.seed ^ Math.imul(j / this.mix.length + 1, 0x85ebca6b)) >>> 0);
    return this.order[position]!;
  }
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Per-request token schedule: yields each token's due offset from t0 (ms), lazily and monotonically. */
export class TokenClock {
  private index = 0;
  private last = 0;
  private readonly random: () => number;

  /** `requestIndex` picks the request's own PRNG stream so runs are reproducible. */
  constructor(
    private readonly config: Pick<MockConfig, 'ttftMs' | 'itlMs' | 'jitterMs' | 'seed'>,
    requestIndex: number,
  ) {
    // Mixing by a large odd constant keeps neighbouring requests' streams unrelated.
    this.random = mulberry32((config.seed ^ Math.imul(requestIndex + 1, 0x9e3779b9)) >>> 0);
  }

  /** Offset (ms after the body was received) at which the next token is due. */
  next(): number {
    const { ttftMs, itlMs, jitterMs } = this.config;
    let due = ttftMs + this.index * itlMs;
    if (jitterMs > 0) due += (this.random() * 2 - 1) * jitterMs;
    // Jitter may delay a token but never reorder it before its predecessor (or t0).
    if (due < this.last) due = this.last;
    this.last = due;
    this.index += 1;
    return due;
  }
}

/** Runs a callback at an absolute performance.now() time: never early, one timer at a time. */
class DueTimer {
  private timeout: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private due = 0;
  private callback: (() => void) | null = null;

  private readonly check = (): void => {
    this.timeout = null;
    this.immediate = null;
    const callback = this.callback;
    if (callback === null) return;
    if (performance.now() >= this.due) {
      this.callback = null;
      callback();
    } else {
      this.arm();
    }
  };

  at(due: number, callback: () => void): void {
    this.cancel();
    this.due = due;
    this.callback = callback;
    this.arm();
  }

  cancel(): void {
    if (this.timeout !== null) clearTimeout(this.timeout);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timeout = null;
    this.immediate = null;
    this.callback = null;
  }

  private arm(): void {
    const wait = this.due - performance.now();
    if (wait < SPIN_BELOW_MS) {
      this.immediate = setImmediate(this.check);
    } else {
      // Rounding up makes the timer land just after the due time rather than
      // just before it, so the setImmediate fallback is rarely needed.
      this.timeout = setTimeout(this.check, Math.min(Math.ceil(wait), MAX_TIMER_MS));
    }
  }
}

interface ChatRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | null;
  promptTokens: number;
  ignoreEos: boolean;
  minTokens: number | null;
}

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

function errorBody(message: string, code: string | null = null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type: 'invalid_request_error', param, code } });
}

function sendJson(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Answers with an HTTP error as OpenAI-compatible servers do; 429 and 503 carry Retry-After. */
function sendStatusFault(res: http.ServerResponse, status: number, retryAfterS: number, message: string): void {
  const type = status === 429 ? 'rate_limit_error' : 'server_error';
  const body = JSON.stringify({ error: { message, type, param: null, code: null } });
  sendJson(res, status, body, status === 429 || status === 503 ? { 'Retry-After': String(retryAfterS) } : {});
}

/** Kills the connection with a TCP reset (a plain close where resetAndDestroy is missing). */
function resetConnection(res: http.ServerResponse): void {
  const socket = res.socket as (Socket & { resetAndDestroy?: () => void }) | null;
  if (socket?.resetAndDestroy) socket.resetAndDestroy();
  else socket?.destroy();
}

const STREAM_ERROR_EVENT = JSON.stringify({
  error: { message: 'The model had an internal error while generating (injected by the mock).', type: 'server_error', param: null, code: 'internal_error' },
});

/** Prompt-token estimate: ceil(characters / 4) per message, at least 1 in total. */
function estimatePromptTokens(messages: unknown[]): number {
  let total = 0;
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) continue;
    const content = (message as { content?: unknown }).content;
    let chars = 0;
    if (typeof content === 'string') {
      chars = content.length;
    } else if (Array.isArray(content)) {
      for (const part of content) {
        const text = (part as { text?: unknown } | null)?.text;
        if (typeof text === 'string') chars += text.length;
      }
    }
    total += Math.ceil(chars / 4);
  }
  return Math.max(1, total);
}

function parseChatRequest(body: string): ChatRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new RequestError(400, 'We could not parse the JSON body of your request: invalid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RequestError(400, 'The request body must be a JSON object.');
  }
  const request = parsed as Record<string, unknown>;
  if (!Array.isArray(request.messages)) {
    throw new RequestError(400, "Missing required parameter: 'messages' (an array).", 'missing_required_parameter');
  }
  const limit = request.max_tokens ?? request.max_completion_tokens ?? null;
  if (limit !== null && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)) {
    throw new RequestError(400, `Invalid 'max_tokens': expected a non-negative integer, got ${JSON.stringify(limit)}.`, 'invalid_value');
  }
  const minTokens = request.min_tokens ?? null;
  if (minTokens !== null && (typeof minTokens !== 'number' || !Number.isInteger(minTokens) || minTokens < 0)) {
    throw new RequestError(400, `Invalid 'min_tokens': expected a non-negative integer, got ${JSON.stringify(minTokens)}.`, 'invalid_value');
  }
  const streamOptions = request.stream_options as { include_usage?: unknown } | null | undefined;
  return {
    model: typeof request.model === 'string' && request.model !== '' ? request.model : MODEL_ID,
    stream: request.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    maxTokens: limit,
    promptTokens: estimatePromptTokens(request.messages),
    ignoreEos: request.ignore_eos === true,
    minTokens,
  };
}

function tokenText(index: number): string {
  return ` tok${index}`;
}

/** Creates a mock server for the config; call listen() to start it. */
export function createMockServer(initialConfig: MockConfig): MockServer {
  let config: MockConfig = { ...initialConfig };
  let listening = false;
  let requestCounter = 0;

  const lateness = new LatenessHistogram();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const arrivalGaps = new ArrivalGaps();
  const counters = { requests: 0, streams: 0, aborted: 0, tokensSent: 0, chunksSent: 0 };
  // Everything with a pending timer, so close() can stop it.
  const pending = new Set<DueTimer>();
  let activeStreams = 0;
  const faultCounts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  let plan = new FaultPlan(config.seed, config.faultRate, parseFaultMix(config.faults));
  // Scale-to-zero state, on performance.now(): the model starts scaled to zero.
  let inFlight = 0;
  let lastActivity = -Infinity;
  let warmUntil = -Infinity;
  const scaling = { coldStarts: 0, warmingRejections: 0, downWindows: 0 };
  // The connection-refused window's timers.
  let downTimer: NodeJS.Timeout | null = null;
  let upTimer: NodeJS.Timeout | null = null;
  let closing = false;
  let boundPort = 0;

  // Decode slots and queue (off unless config.slots > 0): see capacity.ts.
  const capacity = new CapacityModel(() => config);

  function stats(): MockStats {
    const base: MockStats = {
      ...counters,
      activeStreams,
      lateness: lateness.summary(),
      faults: { ...faultCounts },
      ...scaling,
      arrivals: arrivalGaps.summary(),
      eventLoopDelay: loopDelayStats(),
    };
    return capacity.enabled() ? { ...base, capacity: capacity.stats() } : base;
  }

  function loopDelayStats(): MockStats['eventLoopDelay'] {
    // The histogram counts the whole sampling interval; the excess over it is the delay.
    if (loopDelay.count === 0) return { p50: 0, p99: 0, max: 0 };
    const ms = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - 10) * 100) / 100);
    return { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
  }

  function resetStats(): void {
    loopDelay.reset();
    counters.requests = 0;
    counters.streams = 0;
    counters.aborted = 0;
    counters.tokensSent = 0;
    counters.chunksSent = 0;
    lateness.reset();
    for (const kind of FAULT_KINDS) faultCounts[kind] = 0;
    scaling.coldStarts = 0;
    scaling.warmingRejections = 0;
    scaling.downWindows = 0;
    arrivalGaps.reset();
    capacity.resetStats();
  }

  function setConfig(partial: unknown): MockConfig {
    const next = mergeMockConfig(config, partial);
    if (listening && (next.host !== config.host || next.port !== config.port)) {
      throw new MockConfigError('port', 'invalid host/port change; the server is already listening');
    }
    if (listening && (next.tlsCert !== config.tlsCert || next.tlsKey !== config.tlsKey)) {
      throw new MockConfigError('tlsCert', 'invalid TLS change; the server is already listening');
    }
    const previous = config;
    config = next;
    if (next.seed !== previous.seed || next.faultRate !== previous.faultRate || next.faults !== previous.faults) {
      plan = new FaultPlan(next.seed, next.faultRate, parseFaultMix(next.faults));
    }
    if (listening && (next.downAfterMs !== previous.downAfterMs || next.downForMs !== previous.downForMs)) scheduleDown();
    return { ...config };
  }

  /** Arms the connection-refused window of the current config, from now. */
  function scheduleDown(): void {
    if (downTimer !== null) clearTimeout(downTimer);
    downTimer = null;
    if (config.downForMs <= 0) return;
    downTimer = setTimeout(() => {
      downTimer = null;
      goDown(config.downForMs);
    }, config.downAfterMs);
  }

  /** Stops listening and drops every connection for `ms`: clients get "connection refused". */
  function goDown(ms: number): void {
    if (!listening || closing) return;
    scaling.downWindows += 1;
    server.close();
    server.closeAllConnections();
    upTimer = setTimeout(() => relisten(20), ms);
  }

  /** Listens again on the same port after a down window (a few tries if the port is briefly busy). */
  function relisten(triesLeft: number): void {
    upTimer = null;
    if (closing) return;
    const onError = (): void => {
      if (triesLeft > 0 && !closing) upTimer = setTimeout(() => relisten(triesLeft - 1), 50);
    };
    server.once('error', onError);
    server.listen(boundPort, config.host, () => server.off('error', onError));
  }

  /**
   * Scale to zero: after an idle gap the next request starts a warm-up of
   * coldStartMs. Returns when the model can answer (performance.now() time),
   * or null when it should be answered 503 (cold-start-503 mode).
   */
  function coldGate(cfg: MockConfig, now: number): number | null {
    if (cfg.scaleToZeroMs <= 0) return now;
    if (now >= warmUntil && inFlight === 0 && now - lastActivity >= cfg.scaleToZeroMs) {
      warmUntil = now + cfg.coldStartMs;
      scaling.coldStarts += 1;
    }
    if (now >= warmUntil) return now;
    return cfg.coldStart503 ? null : warmUntil;
  }

  /** Tracks in-flight chat requests for scale-to-zero: idle means none in flight for a while. */
  function trackActivity(res: http.ServerResponse): void {
    inFlight += 1;
    lastActivity = performance.now();
    res.once('close', () => {
      inFlight -= 1;
      lastActivity = performance.now();
    });
  }

  function handleChat(res: http.ServerResponse, body: string, t0: number): void {
    const request = parseChatRequest(body);
    // A snapshot, so a /mock/config change never alters a response mid-way.
    const cfg = { ...config };
    counters.requests += 1;
    arrivalGaps.record(t0);
    const ready = coldGate(cfg, t0);
    trackActivity(res);
    if (ready === null) {
      scaling.warmingRejections += 1;
      const retryAfterS = Math.max(cfg.retryAfterS, Math.ceil((warmUntil - t0) / 1000));
      sendStatusFault(res, 503, retryAfterS, 'The model is scaling up from zero; retry later.');
      return;
    }
    // A cold request's schedule starts when the warm-up ends.
    t0 = ready;
    const fault = plan.next();
    if (fault !== null) faultCounts[fault] += 1;
    if (fault === '429' || fault === '500' || fault === '502' || fault === '503') {
      sendStatusFault(res, Number(fault), cfg.retryAfterS, `Injected HTTP ${fault} from the mock.`);
      return;
    }
    const requestIndex = requestCounter++;
    // The "natural" answer length is outputTokens (where EOS would come);
    // ignore_eos and min_tokens move it, max_tokens caps it (as in vLLM).
    let natural = cfg.outputTokens;
    if (cfg.lengthControl && request.ignoreEos) natural = Infinity;
    else if (cfg.lengthControl && request.minTokens !== null) natural = Math.max(natural, request.minTokens);
    const cap = request.maxTokens ?? Infinity;
    const n = Math.max(1, Math.min(natural === Infinity && cap === Infinity ? cfg.outputTokens : natural, cap));
    const finishReason = request.maxTokens !== null && request.maxTokens < natural ? 'length' : 'stop';
    const usage = { prompt_tokens: request.promptTokens, completion_tokens: n, total_tokens: request.promptTokens + n };
    const id = `chatcmpl-mock${requestIndex}`;
    const created = Math.floor(Date.now() / 1000);
    const respond = (clock: Job['clock']): void => {
      const job: Job = { cfg, request, n, finishReason, usage, id, created, clock, t0, fault };
      if (request.stream) {
        counters.streams += 1;
        startStream(res, job);
      } else {
        respondWhole(res, job);
      }
    };
    if (capacity.enabled()) {
      // Wait for a decode slot (or be refused), then tokens on the batch-size clock.
      const accepted = capacity.submit(res, t0, (waitMs) => respond(capacity.clock(waitMs, request.promptTokens)));
      if (!accepted) throw new RequestError(429, 'The server is overloaded: too many requests in flight; retry later.', 'overloaded');
    } else {
      respond(new TokenClock(cfg, requestIndex));
    }
  }

  interface Job {
    cfg: MockConfig;
    request: ChatRequest;
    n: number;
    finishReason: 'length' | 'stop';
    usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    id: string;
    created: number;
    /** Due offsets of successive tokens from t0: TokenClock, or the capacity model's BatchClock. */
    clock: Pick<TokenClock, 'next'>;
    t0: number;
    /** The in-stream fault of this request, if any. */
    fault: FaultKind | null;
  }

  function respondWhole(res: http.ServerResponse, job: Job): void {
    let lastOffset = 0;
    for (let i = 0; i < job.n; i++) lastOffset = job.clock.next();
    if (job.fault === 'reset') {
      // No answer at all: the connection dies before the response.
      resetConnection(res);
      return;
    }
    const due = job.t0 + lastOffset + (job.fault === 'stall' ? job.cfg.stallMs : 0);
    const timer = new DueTimer();
    pending.add(timer);
    res.on('close', () => {
      timer.cancel();
      pending.delete(timer);
    });
    timer.at(due, () => {
      pending.delete(timer);
      if (res.destroyed) return;
      let content = '';
      if (job.fault !== 'empty') for (let i = 0; i < job.n; i++) content += tokenText(i);
      if (job.fault === 'malformed' || job.fault === 'stream_error') {
        sendJson(res, 200, job.fault === 'malformed' ? '{"id":"broken","choices":[{"message":' : STREAM_ERROR_EVENT);
        return;
      }
      const body = JSON.stringify({
        id: job.id,
        object: 'chat.completion',
        created: job.created,
        model: job.request.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: job.finishReason }],
        usage: job.usage,
      });
      lateness.record(performance.now() - due);
      counters.tokensSent += job.n;
      sendJson(res, 200, body);
    });
  }

  function startStream(res: http.ServerResponse, job: Job): void {
    const { cfg, n } = job;
    const eol = cfg.crlf ? '\r\n' : '\n';
    const end = eol + eol;
    const chunkCount = Math.ceil(n / cfg.tokensPerChunk);
    // Built once per request; each content chunk only splices in its text.
    const head = `data: {"id":"${job.id}","object":"chat.completion.chunk","created":${job.created},"model":${JSON.stringify(job.request.model)},"choices":[`;
    const contentPrefix = `${head}{"index":0,"delta":{"content":"`;
    const contentSuffix = `"},"finish_reason":null}]}${end}`;
    const keepAlive = cfg.keepaliveEvery > 0 ? `: keep-alive${end}` : '';
    const roleChunk = `${head}{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}${end}`;
    let tail = `${head}{"index":0,"delta":{},"finish_reason":"${job.finishReason}"}]}${end}`;
    if (job.request.includeUsage) tail += `${head}],"usage":${JSON.stringify(job.usage)}}${end}`;
    tail += `data: [DONE]${end}`;

    let chunkIndex = 0;
    let tokenIndex = 0;
    let due = 0;
    let finished = false;
    const timer = new DueTimer();
    // The in-stream fault fires before the chunk that would pass faultAfterTokens
    // (clamped so it always fires); a stall shifts every later send.
    const faultAt = Math.min(cfg.faultAfterTokens, n - 1);
    let faultPending = job.fault !== null;
    let shiftMs = 0;

    const stop = (): void => {
      finished = true;
      timer.cancel();
      pending.delete(timer);
      activeStreams -= 1;
    };

    /** Advances the clock over the next chunk's tokens; the chunk is due with its last token. */
    const scheduleNext = (): void => {
      const last = Math.min(n, tokenIndex + cfg.tokensPerChunk);
      let offset = 0;
      for (let i = tokenIndex; i < last; i++) offset = job.clock.next();
      due = job.t0 + offset + shiftMs;
      timer.at(due, sendChunk);
    };

    const sendChunk = (): void => {
      if (finished) return;
      let faultPrefix = '';
      if (faultPending && tokenIndex >= faultAt) {
        faultPending = false;
        switch (job.fault) {
          case 'reset':
            stop();
            resetConnection(res);
            return;
          case 'stream_error':
            // An error object in place of the next chunk, then the server hangs up (no [DONE]).
            stop();
            res.end(`data: ${STREAM_ERROR_EVENT}${end}`);
            return;
          case 'stall':
            shiftMs += cfg.stallMs;
            due += cfg.stallMs;
            timer.at(due, sendChunk);
            return;
          case 'malformed':
            faultPrefix = `${contentPrefix}broken${end}`;
            break;
        }
      }
      const last = Math.min(n, tokenIndex + cfg.tokensPerChunk);
      let text = '';
      for (let i = tokenIndex; i < last; i++) text += tokenText(i);
      let out = faultPrefix;
      if (keepAlive !== '' && chunkIndex > 0 && chunkIndex % cfg.keepaliveEvery === 0) out += keepAlive;
      out += contentPrefix + text + contentSuffix;
      counters.tokensSent += last - tokenIndex;
      counters.chunksSent += 1;
      tokenIndex = last;
      chunkIndex += 1;
      lateness.record(performance.now() - due);
      if (chunkIndex < chunkCount) {
        res.write(out);
        scheduleNext();
      } else {
        // The closing events follow the last content chunk in the same write.
        stop();
        res.end(out + tail);
      }
    };

    activeStreams += 1;
    pending.add(timer);
    res.on('close', () => {
      if (finished) return;
      counters.aborted += 1;
      stop();
    });
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
    });
    // The role chunk goes out with the headers: clients see the stream open at once.
    if (job.fault === 'empty') {
      // A well-formed stream that carries no token: role, finish, [DONE].
      stop();
      res.end(roleChunk + tail);
      return;
    }
    res.write(roleChunk + keepAlive);
    scheduleNext();
  }

  function route(req: http.IncomingMessage, res: http.ServerResponse, body: string, t0: number): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';

    if (path.startsWith('/v1/') && config.apiKey !== null) {
      const header = req.headers.authorization;
      if (header === undefined || !/^Bearer\s/i.test(header)) {
        throw new RequestError(401, "You didn't provide an API key. Use 'Authorization: Bearer <key>'.", 'invalid_api_key');
      }
      if (header.slice(7).trim() !== config.apiKey) {
        throw new RequestError(401, 'Incorrect API key provided.', 'invalid_api_key');
      }
    }

    switch (`${method} ${path}`) {
      case 'POST /v1/chat/completions':
        handleChat(res, body, t0);
        return;
      case 'GET /v1/models':
        sendJson(res, 200, JSON.stringify({ object: 'list', data: [{ id: MODEL_ID, object: 'model', owned_by: 'k6-llm' }] }));
        return;
      case 'GET /mock/stats':
        sendJson(res, 200, JSON.stringify(stats()));
        return;
      case 'GET /mock/config':
        sendJson(res, 200, JSON.stringify(config));
        return;
      case 'POST /mock/config': {
        let partial: unknown;
        try {
          partial = JSON.parse(body);
        } catch {
          throw new RequestError(400, 'invalid config; expected a JSON object, got invalid JSON');
        }
        try {
          sendJson(res, 200, JSON.stringify(setConfig(partial)));
        } catch (err) {
          if (err instanceof MockConfigError) throw new RequestError(400, err.message);
          throw err;
        }
        return;
      }
      case 'POST /mock/reset-stats':
        resetStats();
        sendJson(res, 200, JSON.stringify(stats()));
        return;
      default:
        throw new RequestError(404, `Unknown request URL: ${method} ${path}.`, 'unknown_url');
    }
  }

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size <= MAX_BODY_BYTES) parts.push(part);
    });
    req.on('end', () => {
      // t0 of the token schedule: the moment the whole request is in.
      const t0 = performance.now();
      try {
        if (size > MAX_BODY_BYTES) throw new RequestError(413, `Request body too large; the limit is ${MAX_BODY_BYTES} bytes.`);
        route(req, res, Buffer.concat(parts).toString('utf8'), t0);
      } catch (err) {
        if (err instanceof RequestError) {
          sendJson(res, err.status, errorBody(err.message, err.code));
        } else {
          const message = err instanceof Error ? err.message : String(err);
          if (!res.headersSent) sendJson(res, 500, JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } }));
          else res.destroy();
        }
      }
    });
  };
  const tls = config.tlsCert !== null && config.tlsKey !== null;
  const server: http.Server = tls
    ? https.createServer({ cert: readFileSync(config.tlsCert as string), key: readFileSync(config.tlsKey as string) }, onRequest)
    : http.createServer(onRequest);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Must exceed keepAliveTimeout, or Node may cut a reused connection mid-request.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    // Each token must leave immediately, not wait for Nagle to batch it.
    socket.setNoDelay(true);
  });

  function listen(): Promise<{ port: number; host: string; url: string }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen(config.port, config.host, () => {
        server.off('error', onError);
        listening = true;
        const address = server.address() as AddressInfo;
        boundPort = address.port;
        const host = config.host;
        const urlHost = host.includes(':') ? `[${host}]` : host;
        scheduleDown();
        resolve({ port: address.port, host, url: `${tls ? 'https' : 'http'}://${urlHost}:${address.port}/v1` });
      });
    });
  }

  function close(): Promise<void> {
    loopDelay.disable();
    closing = true;
    if (downTimer !== null) clearTimeout(downTimer);
    if (upTimer !== null) clearTimeout(upTimer);
    downTimer = upTimer = null;
    for (const timer of pending) timer.cancel();
    pending.clear();
    if (!listening) return Promise.resolve();
    listening = false;
    return new Promise((resolve) => {
      // During a down window the server is not listening: close() then only reports that.
      server.close(() => resolve());
      // Streams and idle keep-alive connections would otherwise hold close() open.
      server.closeAllConnections();
    });
  }

  return { listen, close, stats, setConfig };
}
