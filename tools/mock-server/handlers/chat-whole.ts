// A non-streamed chat completion (whole-body.ts sends it when its last token
// is due): the message with its content, its reasoning_content and its tool
// calls, and the usage.

import type { ServerResponse } from 'node:http';
import { argumentsText, tokensText, type ChatJob } from '../completion.ts';
import type { MockContext } from '../context.ts';
import { STREAM_ERROR_EVENT } from '../respond.ts';
import { sendWholeJob } from '../whole-body.ts';

/** The chat.completion body of a job; `empty` leaves out every generated token. */
export function chatWholeBody(job: ChatJob, empty: boolean): string {
  const message: Record<string, unknown> = { role: 'assistant', content: empty || job.toolCall ? '' : tokensText(job.reasoning, job.n) };
  if (job.toolCall) message.content = null;
  if (job.reasoning > 0 && !empty) message[job.cfg.reasoningField] = tokensText(0, job.reasoning);
  if (job.toolCall && !empty) {
    const args = argumentsText(job.reasoning, job.n, job.reasoning, job.n);
    message.tool_calls = [{ id: `call_${job.id}`, type: 'function', function: { name: job.request.toolName, arguments: args } }];
  }
  return JSON.stringify({
    id: job.id,
    object: 'chat.completion',
    created: job.created,
    model: job.request.model,
    choices: [{ index: 0, message, finish_reason: job.finishReason }],
    usage: job.usage,
  });
}

/** Sends the job as one chat.completion body at t0 + the last token's offset (+ stallMs for a stall). */
export function respondWhole(ctx: MockContext, res: ServerResponse, job: ChatJob): void {
  sendWholeJob(ctx, res, job, {
    body: (empty) => chatWholeBody(job, empty),
    malformed: '{"id":"broken","choices":[{"message":',
    error: { status: 200, body: STREAM_ERROR_EVENT },
  });
}
