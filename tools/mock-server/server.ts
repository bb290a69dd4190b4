// The mock LLM HTTP server: an OpenAI-compatible /v1/chat/completions that
// emits tokens on an exact, absolute schedule and measures its own send
// lateness, plus /mock/* control endpoints. It is the ground truth k6-llm's
// accuracy tests compare against, so timing correctness comes first.
// This file assembles the pieces: routes.ts maps paths to handlers/, the
// state they share is context.ts, the server's life is lifecycle.ts.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { CapacityModel } from './capacity.ts';
import { REAL_CLOCK, type MockClock } from './clock.ts';
import { MockConfigError, mergeMockConfig, parseFaultMix, type MockConfig } from './config.ts';
import type { MockContext } from './context.ts';
import type { DueTimer } from './due-timer.ts';
import { FaultPlan } from './fault-plan.ts';
import { KeepAliveLimit } from './keep-alive-limit.ts';
import { Lifecycle, type ListenAddress } from './lifecycle.ts';
import { PrefixCache } from './prompt-cache.ts';
import { createRequestListener } from './routes.ts';
import { ScaleToZero } from './scale-to-zero.ts';
import { StatsRecorder, type MockStats } from './stats.ts';

// The server's public API, kept importable from here.
export { FaultPlan } from './fault-plan.ts';
export { TokenClock } from './token-clock.ts';
export type { ArrivalStats, LatenessStats, MockStats } from './stats.ts';

/** Handle returned by createMockServer. */
export interface MockServer {
  /** Starts listening; resolves with the bound address and the /v1 base URL. */
  listen(): Promise<ListenAddress>;
  /** Stops all streams and closes every connection. */
  close(): Promise<void>;
  /** Current counters and lateness percentiles (ms). */
  stats(): MockStats;
  /** Applies a validated JSON partial to subsequent requests; returns the new config. */
  setConfig(partial: unknown): MockConfig;
}

// Keeps idle keep-alive connections of load generators open between iterations,
// above the 60 s idle timeout common in proxies and clients.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Options of createMockServer beyond its config. */
export interface MockServerOptions {
  /** The time and timers of every stamp and send; REAL_CLOCK unless a test drives a fake. */
  clock?: MockClock;
}

/** Creates a mock server for the config; call listen() to start it. */
export function createMockServer(initialConfig: MockConfig, options: MockServerOptions = {}): MockServer {
  const clock = options.clock ?? REAL_CLOCK;
  let config: MockConfig = { ...initialConfig };
  let requestCounter = 0;
  const recorder = new StatsRecorder();
  let plan = new FaultPlan(config.seed, config.faultRate, parseFaultMix(config.faults));
  // Decode slots and queue (off unless config.slots > 0): see capacity.ts.
  const capacity = new CapacityModel(() => config, () => clock.now());
  const timers = new Set<DueTimer>();
  const prefixCache = new PrefixCache();

  const stats = (): MockStats => recorder.snapshot(capacity.enabled() ? capacity.stats() : undefined, prefixCache.stats());

  function setConfig(partial: unknown): MockConfig {
    const next = mergeMockConfig(config, partial);
    const listening = lifecycle.isListening;
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
    if (listening && (next.downAfterMs !== previous.downAfterMs || next.downForMs !== previous.downForMs)) lifecycle.armDownWindow();
    return { ...config };
  }

  const ctx: MockContext = {
    config: () => config,
    setConfig,
    recorder,
    stats,
    resetStats: () => {
      recorder.reset();
      capacity.resetStats();
      prefixCache.resetStats();
    },
    nextFault: () => plan.next(),
    nextRequestIndex: () => requestCounter++,
    capacity,
    prefixCache,
    scaleToZero: new ScaleToZero(() => (recorder.scaling.coldStarts += 1)),
    clock,
    timers,
  };

  const route = createRequestListener(ctx);
  const keepAlive = new KeepAliveLimit(() => config, () => (recorder.counts.keepAliveCloses += 1), () => clock.now());
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (keepAlive.admit(req, res)) route(req, res);
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
  const lifecycle = new Lifecycle(server, tls, () => config, () => (recorder.scaling.downWindows += 1));

  function close(): Promise<void> {
    recorder.stop();
    for (const timer of timers) timer.cancel();
    timers.clear();
    return lifecycle.close();
  }

  return { listen: () => lifecycle.listen(), close, stats, setConfig };
}
