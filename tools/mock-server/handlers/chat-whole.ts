// A non-streamed chat completion: one JSON body sent when its last token is
// due, with the whole-body forms of the in-stream faults.

import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { tokensText, type ChatJob } from '../completion.ts';
import type { MockContext } from '../context.ts';
import { DueTimer } from '../due-timer.ts';
import { resetConnection, sendJson, STREAM_ERROR_EVENT } from '../respond.ts';

/** Sends the job as one chat.completion body at t0 + the last token's offset (+ stallMs for a stall). */
export function respondWhole(ctx: MockContext, res: ServerResponse, job: ChatJob): void {
  let lastOffset = 0;
  for (let i = 0; i < job.n; i++) lastOffset = job.clock.next();
  if (job.fault === 'reset') {
    // No answer at all: the connection dies before the response.
    resetConnection(res);
    return;
  }
  const due = job.t0 + lastOffset + (job.fault === 'stall' ? job.cfg.stallMs : 0);
  const timer = new DueTimer();
  ctx.timers.add(timer);
  res.on('close', () => {
    timer.cancel();
    ctx.timers.delete(timer);
  });
  timer.at(due, () => {
    ctx.timers.delete(timer);
    if (res.destroyed) return;
    const content = job.fault === 'empty' ? '' : tokensText(0, job.n);
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
    ctx.recorder.lateness.record(performance.now() - due);
    ctx.recorder.counts.tokensSent += job.n;
    sendJson(res, 200, body);
  });
}
