// A non-streamed answer in any protocol: one JSON body sent when its last
// token is due, with the whole-body forms of the in-stream faults. The
// protocol says what the bodies are (WholeEncoder); when they go out is here.

import type { ServerResponse } from 'node:http';
import type { ChatJob } from './completion.ts';
import type { MockContext } from './context.ts';
import { DueTimer } from './due-timer.ts';
import { resetConnection, sendJson } from './respond.ts';

/** A protocol's bodies for one non-streamed answer. */
export interface WholeEncoder {
  /** The answer; `empty` (the empty fault) asks for one without any generated text. */
  body(empty: boolean): string;
  /** The body of a malformed fault: JSON cut short. */
  readonly malformed: string;
  /** Status and body of a stream_error fault: the error the server reports when generation fails. */
  readonly error: { status: number; body: string };
}

/** Sends the job as one body at t0 + the last token's offset (+ stallMs for a stall). */
export function sendWholeJob(ctx: MockContext, res: ServerResponse, job: ChatJob, encoder: WholeEncoder): void {
  let lastOffset = 0;
  for (let i = 0; i < job.n; i++) lastOffset = job.clock.next();
  if (job.fault === 'reset') {
    // No answer at all: the connection dies before the response.
    resetConnection(res);
    return;
  }
  const due = job.t0 + lastOffset + (job.fault === 'stall' ? job.cfg.stallMs : 0);
  const timer = new DueTimer(ctx.clock);
  ctx.timers.add(timer);
  res.on('close', () => {
    timer.cancel();
    ctx.timers.delete(timer);
  });
  timer.at(due, () => {
    ctx.timers.delete(timer);
    if (res.destroyed) return;
    if (job.fault === 'malformed') {
      sendJson(res, 200, encoder.malformed);
      return;
    }
    if (job.fault === 'stream_error') {
      sendJson(res, encoder.error.status, encoder.error.body);
      return;
    }
    const body = encoder.body(job.fault === 'empty');
    ctx.recorder.lateness.record(ctx.clock.now() - due);
    ctx.recorder.counts.tokensSent += job.n;
    job.counts.reasoningTokens += job.reasoning;
    job.counts.answerTokens += job.n - job.reasoning;
    if (job.toolCall) job.counts.toolCalls += 1;
    sendJson(res, 200, body);
  });
}
