// The path every generation request takes before its first byte, whatever
// its protocol: a config snapshot, the counters, scale-to-zero, the fault
// plan and the capacity model, then (once admitted) the images' tokens, the
// prefix cache and the prefill, and the protocol's writer with a ChatJob on
// the request's token clock. Handlers differ only in how they read the body
// and write the answer (ProtocolSpec).

import type { ServerResponse } from 'node:http';
import type { ChatRequest } from './chat-request.ts';
import { completionLength, type ChatJob } from './completion.ts';
import type { MockContext } from './context.ts';
import type { RequestError } from './request-error.ts';
import { TokenClock } from './token-clock.ts';
import { imageTokens, promptBlocks } from './prompt-cache.ts';

/** How one protocol refuses and answers; the rest of a request's path is shared (admit). */
export interface ProtocolSpec {
  /** Its name in GET /mock/stats `protocols`, as LLM_PROTOCOL names it, e.g. "openai-chat". */
  readonly name: string;
  /** The start of its response ids, e.g. "chatcmpl-mock" (the request index follows). */
  readonly idPrefix: string;
  /** Writes an HTTP error answer in the protocol's error shape; 429 and 503 carry Retry-After (s). */
  statusFault(res: ServerResponse, status: number, retryAfterS: number, message: string): void;
  /** A refusal in the protocol's error shape, for the request listener to write. */
  refusal(status: number, message: string, code: string): RequestError;
  /** Writes the accepted job, streamed or whole. */
  respond(ctx: MockContext, res: ServerResponse, job: ChatJob): void;
}

/** Runs a parsed request whose body was in at `t0` (ctx.clock ms) through the shared path; throws RequestError. */
export function admit(ctx: MockContext, res: ServerResponse, t0: number, spec: ProtocolSpec, request: ChatRequest): void {
  // A snapshot, so a /mock/config change never alters a response mid-way.
  const cfg = { ...ctx.config() };
  const { recorder, scaleToZero, capacity } = ctx;
  const counts = recorder.protocol(spec.name);
  recorder.counts.requests += 1;
  counts.requests += 1;
  recorder.arrivals.record(t0);
  const ready = scaleToZero.gate(cfg, t0);
  scaleToZero.begin(ctx.clock.now());
  res.once('close', () => scaleToZero.end(ctx.clock.now()));
  if (ready === null) {
    recorder.scaling.warmingRejections += 1;
    const retryAfterS = Math.max(cfg.retryAfterS, Math.ceil((scaleToZero.warmUntil - t0) / 1000));
    spec.statusFault(res, 503, retryAfterS, 'The model is scaling up from zero; retry later.');
    return;
  }
  // A cold request's schedule starts when the warm-up ends.
  const start = ready;
  const fault = ctx.nextFault();
  if (fault !== null) recorder.faults[fault] += 1;
  if (fault === '429' || fault === '500' || fault === '502' || fault === '503') {
    spec.statusFault(res, Number(fault), cfg.retryAfterS, `Injected HTTP ${fault} from the mock.`);
    return;
  }
  const requestIndex = ctx.nextRequestIndex();
  const id = `${spec.idPrefix}${requestIndex}`;
  const created = Math.floor(Date.now() / 1000);
  /** Runs when the request starts on the model (at once, or when a slot frees): `clock` makes its schedule from its prefill. */
  const respond = (clock: (prefillMs: number) => ChatJob['clock']): void => {
    // Images are prompt tokens too; the cache is looked up as the model takes the request.
    let tokens = 0;
    for (const piece of request.pieces) {
      if (piece.kind !== 'image') continue;
      const n = imageTokens(piece.image, cfg.imagePixelsPerToken);
      tokens += n;
      recorder.images.images += 1;
      recorder.images.pixels += piece.image.pixels;
      recorder.images.tokens += n;
    }
    const prompted: ChatRequest = tokens === 0 ? request : { ...request, promptTokens: request.promptTokens + tokens };
    const cache = ctx.prefixCache.lookup(promptBlocks(request.pieces, cfg.imagePixelsPerToken), prompted.promptTokens, cfg.prefixCacheBlocks);
    const prefillMs = (prompted.promptTokens - cache.cachedTokens) * cfg.prefillMsPerToken + (cache.uncachedPixels / 1000) * cfg.imageMsPerKpixel;
    const on = cfg.prefixCacheBlocks > 0 ? cache : null;
    const job: ChatJob = { cfg, request: prompted, ...completionLength(cfg, prompted, on), id, created, clock: clock(prefillMs), t0: start, fault, counts, cache: on };
    if (request.stream) {
      recorder.counts.streams += 1;
      counts.streams += 1;
    }
    spec.respond(ctx, res, job);
  };
  if (capacity.enabled()) {
    // Wait for a decode slot (or be refused), then tokens on the batch-size clock.
    const accepted = capacity.submit(res, start, (waitMs) => respond((prefillMs) => capacity.clock(waitMs, prefillMs)));
    if (!accepted) throw spec.refusal(429, 'The server is overloaded: too many requests in flight; retry later.', 'overloaded');
  } else {
    respond((prefillMs) => new TokenClock(cfg, requestIndex, prefillMs));
  }
}
