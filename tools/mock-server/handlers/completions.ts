// POST /v1/completions (protocol "openai-completions"): OpenAI's legacy text
// completions. `prompt` is a string, a list of strings or a list of token
// ids; a list is answered as one completion (choice 0). Streamed chunks carry
// `choices[0].text`; a finish chunk, the usage chunk (with
// stream_options.include_usage) and [DONE] close the stream. There is no
// reasoning field in this API: reasoning tokens go out as plain text, and a
// tool call is never made.

import type { ServerResponse } from 'node:http';
import { admit, type ProtocolSpec } from '../admit.ts';
import { modelOf, optionalCount, parseJsonObject, textTokens, type ChatRequest } from '../chat-request.ts';
import { tokensText, type ChatJob } from '../completion.ts';
import type { PromptPiece } from '../prompt-cache.ts';
import type { MockContext } from '../context.ts';
import { RequestError } from '../request-error.ts';
import { sendStatusFault, STREAM_ERROR_EVENT } from '../respond.ts';
import { eventEnd, streamJob, type StreamEncoder } from '../sse-stream.ts';
import { sendWholeJob } from '../whole-body.ts';

/** Prompt-token estimate of a `prompt`: ceil(characters / 4) per string, one per token id; at least 1. */
function promptTokens(prompt: unknown): number {
  if (typeof prompt === 'string') return Math.max(1, textTokens(prompt));
  if (Array.isArray(prompt)) {
    let total = 0;
    for (const item of prompt) total += typeof item === 'string' ? textTokens(item) : typeof item === 'number' ? 1 : Array.isArray(item) ? item.length : 0;
    return Math.max(1, total);
  }
  throw new RequestError(400, `Invalid 'prompt': expected a string or an array, got ${JSON.stringify(prompt ?? null)}.`, 'invalid_value');
}

/** The prompt's text pieces for the prefix cache: a string, or each string of a list; token ids are not read. */
function promptPieces(prompt: unknown): PromptPiece[] {
  const texts = typeof prompt === 'string' ? [prompt] : Array.isArray(prompt) && prompt.every((p) => typeof p === 'string') ? (prompt as string[]) : [];
  return texts.map((text) => ({ kind: 'text', role: 'user', text }));
}

/** Parses and checks a completions body; throws RequestError (400) as the OpenAI API would. */
export function parseCompletionRequest(body: string): ChatRequest {
  const request = parseJsonObject(body);
  if (request.prompt === undefined) {
    throw new RequestError(400, "Missing required parameter: 'prompt'.", 'missing_required_parameter');
  }
  const streamOptions = request.stream_options as { include_usage?: unknown } | null | undefined;
  return {
    model: modelOf(request),
    stream: request.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    maxTokens: optionalCount(request.max_tokens, 'max_tokens'),
    promptTokens: promptTokens(request.prompt),
    pieces: promptPieces(request.prompt),
    ignoreEos: request.ignore_eos === true,
    minTokens: optionalCount(request.min_tokens, 'min_tokens'),
    // Legacy completions have no tools, so a tool call is never planned.
    toolName: null,
  };
}

/** The text_completion chunk events of one job. */
export function completionStreamEncoder(job: ChatJob): StreamEncoder {
  const end = eventEnd(job.cfg.crlf);
  const head = `data: {"id":"${job.id}","object":"text_completion","created":${job.created},"model":${JSON.stringify(job.request.model)},"choices":[`;
  const textPrefix = `${head}{"text":"`;
  const textSuffix = `","index":0,"logprobs":null,"finish_reason":null}]}${end}`;
  const finishReason = job.finishReason === 'length' ? 'length' : 'stop';
  const tail = (): string => {
    let out = `${head}{"text":"","index":0,"logprobs":null,"finish_reason":"${finishReason}"}]}${end}`;
    if (job.request.includeUsage) out += `${head}],"usage":${JSON.stringify(usageOf(job))}}${end}`;
    return out + `data: [DONE]${end}`;
  };
  return {
    open: () => '',
    tokens: (from, to) => textPrefix + tokensText(from, to) + textSuffix,
    tail,
    error: () => `data: ${STREAM_ERROR_EVENT}${end}`,
    malformed: () => `${textPrefix}broken${end}`,
    keepAlive: `: keep-alive${end}`,
    empty: tail,
  };
}

/** The usage of a completion; reasoning tokens are plain text here, so no completion details (prompt details while the prefix cache is on). */
function usageOf(job: ChatJob): Omit<ChatJob['usage'], 'completion_tokens_details'> {
  const { completion_tokens_details: _, ...usage } = job.usage;
  return usage;
}

/** The text_completion body of a job. */
export function completionWholeBody(job: ChatJob, empty: boolean): string {
  return JSON.stringify({
    id: job.id,
    object: 'text_completion',
    created: job.created,
    model: job.request.model,
    choices: [{ text: empty ? '' : tokensText(0, job.n), index: 0, logprobs: null, finish_reason: job.finishReason === 'length' ? 'length' : 'stop' }],
    usage: usageOf(job),
  });
}

/** The legacy completions protocol: OpenAI error shapes, cmpl- ids. */
export const OPENAI_COMPLETIONS: ProtocolSpec = {
  name: 'openai-completions',
  idPrefix: 'cmpl-mock',
  statusFault: sendStatusFault,
  refusal: (status, message, code) => new RequestError(status, message, code),
  respond(ctx, res, job) {
    // The API has no reasoning field: every token is text, counted as answer.
    const plain: ChatJob = { ...job, reasoning: 0 };
    if (job.request.stream) streamJob(ctx, res, plain, completionStreamEncoder(plain));
    else {
      sendWholeJob(ctx, res, plain, {
        body: (empty) => completionWholeBody(plain, empty),
        malformed: '{"id":"broken","choices":[{"text":',
        error: { status: 200, body: STREAM_ERROR_EVENT },
      });
    }
  },
};

/** Answers one completions request whose body was in at `t0` (ctx.clock ms); throws RequestError. */
export function handleCompletions(ctx: MockContext, res: ServerResponse, body: string, t0: number): void {
  admit(ctx, res, t0, OPENAI_COMPLETIONS, parseCompletionRequest(body));
}
