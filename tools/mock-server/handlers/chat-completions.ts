// POST /v1/chat/completions (protocol "openai-chat"): reads the request and
// sends it down the shared path (admit.ts) to the streamed or the whole-body
// writer.

import type { ServerResponse } from 'node:http';
import type { ProtocolSpec } from '../admit.ts';
import { admit } from '../admit.ts';
import { parseChatRequest } from '../chat-request.ts';
import type { MockContext } from '../context.ts';
import { RequestError } from '../request-error.ts';
import { sendStatusFault } from '../respond.ts';
import { respondStreamed } from './chat-stream.ts';
import { respondWhole } from './chat-whole.ts';

/** The OpenAI chat protocol: OpenAI error shapes, chatcmpl- ids. */
export const OPENAI_CHAT: ProtocolSpec = {
  name: 'openai-chat',
  idPrefix: 'chatcmpl-mock',
  statusFault: sendStatusFault,
  refusal: (status, message, code) => new RequestError(status, message, code),
  respond: (ctx, res, job) => (job.request.stream ? respondStreamed(ctx, res, job) : respondWhole(ctx, res, job)),
};

/** Answers one chat-completion request whose body was in at `t0` (ctx.clock ms); throws RequestError. */
export function handleChatCompletions(ctx: MockContext, res: ServerResponse, body: string, t0: number): void {
  admit(ctx, res, t0, OPENAI_CHAT, parseChatRequest(body));
}
