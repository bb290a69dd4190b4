// The mock's own counters, reported by GET /mock/stats and the shutdown line:
// requests, streams, tokens, injected faults, scale-to-zero and down-window
// events, send lateness, arrival gaps and the event loop's delay. One
// recorder per server; handlers add to it, /mock/reset-stats zeroes it.

import { SecondsHistogram } from './seconds-histogram.ts';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { ArrivalGaps, type ArrivalStats } from './arrival-gaps.ts';
import type { CapacityStats } from './capacity.ts';
import { FAULT_KINDS, type FaultKind } from './config.ts';
import { LatenessHistogram, type LatenessStats } from './lateness-histogram.ts';
import type { PromptCacheStats } from './prompt-cache.ts';

export type { ArrivalStats } from './arrival-gaps.ts';
export type { LatenessStats } from './lateness-histogram.ts';

/** One protocol's counters: its requests and the tokens it sent, reasoning and answer apart. */
export interface ProtocolCounts {
  /** Requests received on the protocol's routes (streaming and not), faulted and warming-up ones included. */
  requests: number;
  /** Streaming requests accepted. */
  streams: number;
  /** Reasoning tokens sent (the first --reasoning-tokens of each answer). */
  reasoningTokens: number;
  /** Answer tokens sent: text, or tool-call argument tokens. */
  answerTokens: number;
  /** Answers that were tool calls (all their tokens sent). */
  toolCalls: number;
}

/** Counters since start or the last reset; activeStreams is a live gauge. */
export interface MockStats {
  /** Generation requests received on every protocol (streaming and not), faulted and warming-up ones included. */
  requests: number;
  /** Streaming requests accepted. */
  streams: number;
  /** Streams currently sending. */
  activeStreams: number;
  /** Streams ended early because the client went away. */
  aborted: number;
  /** Per protocol (openai-chat, openai-completions, anthropic-messages, openai-responses, tgi), once it had a request. */
  protocols: Record<string, ProtocolCounts>;
  /** Completion tokens sent on every protocol (content chunks and non-streaming bodies), reasoning included. */
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
  /** Requests that came on a connection past its keep-alive limits: closed under them, never read or answered (not in `requests`). */
  keepAliveCloses: number;
  /** Gaps between consecutive chat-completion request arrivals (body fully received), ms. */
  arrivals: ArrivalStats;
  /** POST /v1/embeddings: requests received (well-formed), the inputs they held and their prompt tokens (as usage reports them). */
  embeddings: { requests: number; inputs: number; promptTokens: number };
  /** Images of the generation requests that reached the model: how many, their pixels and the prompt tokens they counted as. */
  images: { images: number; pixels: number; tokens: number };
  /** The prefix cache (--prefix-cache-blocks): lookups, hits (cached tokens > 0), prompt, cached and written tokens, blocks held, evictions. */
  promptCache: PromptCacheStats;
  /**
   * How late the event loop ran callbacks (ms, sampled every 10 ms). A request
   * whose body arrives while the loop is busy gets its t0 late by about this
   * much, which no send-lateness figure shows: the mock's own keeping of time.
   */
  eventLoopDelay: { p50: number; p99: number; max: number };
}

/** The prefix cache's counters before any lookup. */
const NO_CACHE_STATS: PromptCacheStats = Object.freeze({ lookups: 0, hits: 0, promptTokens: 0, cachedTokens: 0, writtenTokens: 0, blocks: 0, evictions: 0 });

// The loop-delay histogram samples every LOOP_SAMPLE_MS; what it records is
// the whole interval, so the delay is the excess over it.
const LOOP_SAMPLE_MS = 10;

/** Where handlers count what the server did; `snapshot()` is the MockStats view. */
export class StatsRecorder {
  /** Plain counters, bumped in place by the handlers. */
  readonly counts = { requests: 0, streams: 0, aborted: 0, tokensSent: 0, chunksSent: 0, keepAliveCloses: 0 };
  /** Per-protocol counters, made on a protocol's first request. */
  private readonly byProtocol = new Map<string, ProtocolCounts>();
  /** Streams currently sending (a gauge: never reset). */
  activeStreams = 0;
  /** Lateness of every timed send (ms after its due time). */
  readonly lateness = new LatenessHistogram();
  /** Server-side TTFT of streams (request fully received → first content chunk written), for GET /metrics. */
  readonly serverTtft = new SecondsHistogram();
  /** Arrival times of chat requests (the server clock's ms). */
  readonly arrivals = new ArrivalGaps();
  /** Injected faults by kind. */
  readonly faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  /** Embeddings requests, inputs and prompt tokens (handlers/embeddings.ts). */
  readonly embeddings = { requests: 0, inputs: 0, promptTokens: 0 };
  /** Images that reached the model, their pixels and tokens (admit.ts). */
  readonly images = { images: 0, pixels: 0, tokens: 0 };
  /** Scale-to-zero and connection-refused events. */
  readonly scaling = { coldStarts: 0, warmingRejections: 0, downWindows: 0 };
  private readonly loopDelay: IntervalHistogram;

  /** Starts sampling the event loop's delay; `stop()` ends it. */
  constructor() {
    this.loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
    this.loopDelay.enable();
  }

  /** The counters of `protocol`, made at zero on first use; handlers keep the object and bump it in place. */
  protocol(protocol: string): ProtocolCounts {
    let counts = this.byProtocol.get(protocol);
    if (counts === undefined) {
      counts = { requests: 0, streams: 0, reasoningTokens: 0, answerTokens: 0, toolCalls: 0 };
      this.byProtocol.set(protocol, counts);
    }
    return counts;
  }

  /** The counters as GET /mock/stats reports them (with the prefix cache's); `capacity` only while the capacity model is on. */
  snapshot(capacity?: CapacityStats, promptCache: PromptCacheStats = NO_CACHE_STATS): MockStats {
    const base: MockStats = {
      ...this.counts,
      activeStreams: this.activeStreams,
      protocols: Object.fromEntries([...this.byProtocol].map(([name, counts]) => [name, { ...counts }])),
      lateness: this.lateness.summary(),
      faults: { ...this.faults },
      ...this.scaling,
      arrivals: this.arrivals.summary(),
      embeddings: { ...this.embeddings },
      images: { ...this.images },
      promptCache,
      eventLoopDelay: this.loopDelayStats(),
    };
    return capacity === undefined ? base : { ...base, capacity };
  }

  /** Zeroes every counter but the activeStreams gauge. */
  reset(): void {
    this.loopDelay.reset();
    this.counts.requests = 0;
    this.counts.streams = 0;
    this.counts.aborted = 0;
    this.counts.tokensSent = 0;
    this.counts.chunksSent = 0;
    this.counts.keepAliveCloses = 0;
    // Zeroed in place: a request in flight still holds its protocol's object.
    for (const counts of this.byProtocol.values()) {
      counts.requests = counts.streams = counts.reasoningTokens = counts.answerTokens = counts.toolCalls = 0;
    }
    this.lateness.reset();
    this.serverTtft.reset();
    for (const kind of FAULT_KINDS) this.faults[kind] = 0;
    this.scaling.coldStarts = 0;
    this.scaling.warmingRejections = 0;
    this.scaling.downWindows = 0;
    this.arrivals.reset();
    this.embeddings.requests = 0;
    this.embeddings.inputs = 0;
    this.embeddings.promptTokens = 0;
    this.images.images = 0;
    this.images.pixels = 0;
    this.images.tokens = 0;
  }

  /** Stops sampling the event loop (on close). */
  stop(): void {
    this.loopDelay.disable();
  }

  private loopDelayStats(): MockStats['eventLoopDelay'] {
    const loop = this.loopDelay;
    if (loop.count === 0) return { p50: 0, p99: 0, max: 0 };
    const ms = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - LOOP_SAMPLE_MS) * 100) / 100);
    return { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) };
  }
}
