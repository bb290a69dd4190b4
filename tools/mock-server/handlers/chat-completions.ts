// POST /v1/chat/completions: takes a config snapshot, counts the request,
// passes it through scale-to-zero, the fault plan and the capacity model,
// then hands the planned answer to the streamed or the whole-body writer.

import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseChatRequest } from '../chat-request.ts';
import { completionLength, type ChatJob } from '../completion.ts';
import type { MockContext } from '../context.ts';
import { RequestError } from '../request-error.ts';
import { sendStatusFault } from '../respond.ts';
import { TokenClock } from '../token-clock.ts';
import { respondStreamed } from './chat-stream.ts';
import { respondWhole } from './chat-whole.ts';

/** Answers one chat-completion request whose body was in at `t0` (performance.now() ms); throws RequestError. */
export function handleChatCompletions(ctx: MockContext, res: ServerResponse, body: string, t0: number): void {
  const request = parseChatRequest(body);
  // A snapshot, so a /mock/config change never alters a response mid-way.
  const cfg = { ...ctx.config() };
  const { recorder, scaleToZero, capacity } = ctx;
  recorder.counts.requests += 1;
  recorder.arrivals.record(t0);
  const ready = scaleToZero.gate(cfg, t0);
  scaleToZero.begin(performance.now());
  res.once('close', () => scaleToZero.end(performance.now()));
  if (ready === null) {
    recorder.scaling.warmingRejections += 1;
    const retryAfterS = Math.max(cfg.retryAfterS, Math.ceil((scaleToZero.warmUntil - t0) / 1000));
    sendStatusFault(res, 503, retryAfterS, 'The model is scaling up from zero; retry later.');
    return;
  }
  // A cold request's schedule starts when the warm-up ends.
  const start = ready;
  const fault = ctx.nextFault();
  if (fault !== null) recorder.faults[fault] += 1;
  if (fault === '429' || fault === '500' || fault === '502' || fault === '503') {
    sendStatusFault(res, Number(fault), cfg.retryAfterS, `Injected HTTP ${fault} from the mock.`);
    return;
  }
  const requestIndex = ctx.nextRequestIndex();
  const length = completionLength(cfg, request);
  const id = `chatcmpl-mock${requestIndex}`;
  const created = Math.floor(Date.now() / 1000);
  const respond = (clock: ChatJob['clock']): void => {
    const job: ChatJob = { cfg, request, ...length, id, created, clock, t0: start, fault };
    if (request.stream) {
      recorder.counts.streams += 1;
      respondStreamed(ctx, res, job);
    } else {
      respondWhole(ctx, res, job);
    }
  };
  if (capacity.enabled()) {
    // Wait for a decode slot (or be refused), then tokens on the batch-size clock.
    const accepted = capacity.submit(res, start, (waitMs) => respond(capacity.clock(waitMs, request.promptTokens)));
    if (!accepted) throw new RequestError(429, 'The server is overloaded: too many requests in flight; retry later.', 'overloaded');
  } else {
    respond(new TokenClock(cfg, requestIndex));
  }
}
