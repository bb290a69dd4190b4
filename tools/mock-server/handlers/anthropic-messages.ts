// POST /v1/messages (protocol "anthropic-messages"): Anthropic's Messages
// API. Authenticated by `x-api-key` (the mock's --api-key) with an
// `anthropic-version` header; errors in Anthropic's shape
// {"type":"error","error":{"type","message"}}. A stream is message_start
// (input usage), content_block_start, ping, then content_block_delta events
// (thinking_delta for reasoning, then text_delta or input_json_delta of a
// tool_use block), content_block_stop, message_delta (stop_reason, output
// usage) and message_stop; an in-stream fault is an `error` event.

import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { admit, type ProtocolSpec } from '../admit.ts';
import { firstToolName, modelOf, optionalCount, parseJsonObject, readPrompt, type ChatRequest } from '../chat-request.ts';
import { ImageError } from '../image-check.ts';
import { argumentsText, jsonInner, tokensText, type ChatJob } from '../completion.ts';
import type { MockContext } from '../context.ts';
import { RequestError } from '../request-error.ts';
import { sendJson } from '../respond.ts';
import { eventEnd, streamJob, type StreamEncoder } from '../sse-stream.ts';
import { sendWholeJob } from '../whole-body.ts';

/** Anthropic's error body. */
export function anthropicError(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}

/** A refusal in Anthropic's shape, for the request listener to write. */
function refusal(status: number, type: string, message: string): RequestError {
  return new RequestError(status, message, type, anthropicError(type, message));
}

/** Refuses a request without the right `x-api-key` (when --api-key is set: 401) or without `anthropic-version` (400). */
export function checkAnthropicHeaders(apiKey: string | null, headers: IncomingHttpHeaders): void {
  const key = headers['x-api-key'];
  if (apiKey !== null && key === undefined) throw refusal(401, 'authentication_error', 'x-api-key header is required');
  if (apiKey !== null && key !== apiKey) throw refusal(401, 'authentication_error', 'invalid x-api-key');
  if (headers['anthropic-version'] === undefined) throw refusal(400, 'invalid_request_error', 'anthropic-version: header is required');
}

/** Parses and checks a Messages body; throws RequestError (400, Anthropic's shape) as the API would. */
export function parseMessagesRequest(body: string): ChatRequest {
  let request: Record<string, unknown>;
  let maxTokens: number | null;
  try {
    request = parseJsonObject(body);
    maxTokens = optionalCount(request.max_tokens, 'max_tokens');
  } catch (err) {
    throw err instanceof RequestError ? refusal(400, 'invalid_request_error', err.message) : err;
  }
  if (!Array.isArray(request.messages)) throw refusal(400, 'invalid_request_error', 'messages: Field required');
  if (maxTokens === null) throw refusal(400, 'invalid_request_error', 'max_tokens: Field required');
  const system = request.system;
  // The system text reads as a first message, so a conversation's prefix is the same whichever protocol carries it.
  const turns = typeof system === 'string' || Array.isArray(system) ? [{ role: 'system', content: system }, ...request.messages] : request.messages;
  let prompt: ReturnType<typeof readPrompt>;
  try {
    prompt = readPrompt(turns, 'messages');
  } catch (err) {
    // Anthropic's words for an image it cannot read, in its error shape.
    throw err instanceof ImageError ? refusal(400, 'invalid_request_error', err.message) : err;
  }
  return {
    model: modelOf(request),
    stream: request.stream === true,
    // Anthropic streams always carry usage (message_start and message_delta).
    includeUsage: true,
    maxTokens,
    promptTokens: Math.max(1, prompt.textTokens),
    pieces: prompt.pieces,
    ignoreEos: false,
    minTokens: null,
    toolName: firstToolName(request.tools),
  };
}

const SIGNATURE = 'bW9jay1zaWduYXR1cmU=';

/**
 * The input side of Anthropic's usage: input_tokens alone while the prefix
 * cache is off; with it, as the API splits them, input_tokens (neither read
 * from nor written to the cache), cache_read_input_tokens and
 * cache_creation_input_tokens.
 */
function inputUsage(job: ChatJob): Record<string, number> {
  const prompt = job.request.promptTokens;
  if (job.cache === null) return { input_tokens: prompt };
  const { cachedTokens, writtenTokens } = job.cache;
  return { input_tokens: Math.max(0, prompt - cachedTokens - writtenTokens), cache_creation_input_tokens: writtenTokens, cache_read_input_tokens: cachedTokens };
}

/** Anthropic's stop_reason for the job's finish. */
function stopReason(job: ChatJob): string {
  return job.finishReason === 'length' ? 'max_tokens' : job.finishReason === 'tool_calls' ? 'tool_use' : 'end_turn';
}

/** The answer's content block as content_block_start opens it. */
function answerBlock(job: ChatJob): string {
  if (!job.toolCall) return '{"type":"text","text":""}';
  return `{"type":"tool_use","id":"toolu_${job.id}","name":${JSON.stringify(job.request.toolName)},"input":{}}`;
}

/** The Messages stream events of one job; templates built once, each delta only splices in its text. */
export function messagesStreamEncoder(job: ChatJob): StreamEncoder {
  const end = eventEnd(job.cfg.crlf);
  const nl = job.cfg.crlf ? '\r\n' : '\n';
  const event = (name: string, data: string): string => `event: ${name}${nl}data: ${data}${end}`;
  const thinking = job.reasoning > 0;
  const answerIndex = thinking ? 1 : 0;
  const start = (index: number, block: string): string => event('content_block_start', `{"type":"content_block_start","index":${index},"content_block":${block}}`);
  const stop = (index: number): string => event('content_block_stop', `{"type":"content_block_stop","index":${index}}`);
  const closeThinking = event('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"${SIGNATURE}"}}`) + stop(0);
  const message = JSON.stringify({
    id: job.id,
    type: 'message',
    role: 'assistant',
    model: job.request.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { ...inputUsage(job), output_tokens: 1 },
  });
  // A tool_use block's start names the tool: generated output, so without
  // thinking it opens with the first answer token, not with the stream.
  const lateToolBlock = job.toolCall && !thinking;
  const firstBlock = thinking ? '{"type":"thinking","thinking":"","signature":""}' : lateToolBlock ? null : answerBlock(job);
  const open = (): string =>
    event('message_start', `{"type":"message_start","message":${message}}`) +
    (firstBlock === null ? '' : start(0, firstBlock)) +
    event('ping', '{"type":"ping"}');
  const finish = (outputTokens: number): string =>
    event('message_delta', `{"type":"message_delta","delta":{"stop_reason":"${stopReason(job)}","stop_sequence":null},"usage":{"output_tokens":${outputTokens}}}`) +
    event('message_stop', '{"type":"message_stop"}');
  const thinkingPrefix = `event: content_block_delta${nl}data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"`;
  const deltaType = job.toolCall ? '"input_json_delta","partial_json"' : '"text_delta","text"';
  const answerPrefix = `event: content_block_delta${nl}data: {"type":"content_block_delta","index":${answerIndex},"delta":{"type":${deltaType}:"`;
  const suffix = `"}}${end}`;
  return {
    open,
    tokens(from, to) {
      if (from < job.reasoning) return thinkingPrefix + tokensText(from, to) + suffix;
      // The thinking block ends and the answer's block opens with the first answer token.
      let opening = '';
      if (thinking && from === job.reasoning) opening = closeThinking + start(answerIndex, answerBlock(job));
      else if (lateToolBlock && from === 0) opening = start(0, answerBlock(job));
      const text = job.toolCall ? jsonInner(argumentsText(from, to, job.reasoning, job.n)) : tokensText(from, to);
      return opening + answerPrefix + text + suffix;
    },
    tail: () => (job.reasoning === job.n ? closeThinking : stop(answerIndex)) + finish(job.n),
    error: () => event('error', anthropicError('api_error', 'The model had an internal error while generating (injected by the mock).')),
    malformed: () => `${answerPrefix}broken${end}`,
    keepAlive: event('ping', '{"type":"ping"}'),
    // No token, so no tool name either: an empty text block.
    empty: () => open() + (lateToolBlock ? start(0, '{"type":"text","text":""}') : '') + (thinking ? closeThinking : stop(0)) + finish(0),
  };
}

/** The Messages body of a job; `empty` leaves out every generated token. */
export function messagesWholeBody(job: ChatJob, empty: boolean): string {
  const content: unknown[] = [];
  if (job.reasoning > 0 && !empty) content.push({ type: 'thinking', thinking: tokensText(0, job.reasoning), signature: SIGNATURE });
  if (job.toolCall && !empty && job.n > job.reasoning) {
    const args = argumentsText(job.reasoning, job.n, job.reasoning, job.n);
    // A cut-short argument string is not JSON; the API then sends what it has as a string.
    let input: unknown = args;
    try {
      input = JSON.parse(args);
    } catch {
      input = { partial: args };
    }
    content.push({ type: 'tool_use', id: `toolu_${job.id}`, name: job.request.toolName, input });
  } else if (!job.toolCall) {
    content.push({ type: 'text', text: empty ? '' : tokensText(job.reasoning, job.n) });
  }
  return JSON.stringify({
    id: job.id,
    type: 'message',
    role: 'assistant',
    model: job.request.model,
    content,
    stop_reason: stopReason(job),
    stop_sequence: null,
    usage: { ...inputUsage(job), output_tokens: empty ? 0 : job.n },
  });
}

/** Writes an HTTP error in Anthropic's shape; 429 and 503 carry Retry-After. */
function statusFault(res: ServerResponse, status: number, retryAfterS: number, message: string): void {
  const type = status === 429 ? 'rate_limit_error' : status === 503 ? 'overloaded_error' : 'api_error';
  sendJson(res, status, anthropicError(type, message), status === 429 || status === 503 ? { 'Retry-After': String(retryAfterS) } : {});
}

/** The Anthropic Messages protocol: Anthropic error shapes, msg_ ids. */
export const ANTHROPIC_MESSAGES: ProtocolSpec = {
  name: 'anthropic-messages',
  idPrefix: 'msg_mock',
  statusFault,
  // Anthropic answers an overloaded API with 529 overloaded_error (429 is its per-key rate limit).
  refusal: (status, message, code) =>
    code === 'overloaded' ? refusal(529, 'overloaded_error', message) : refusal(status, status === 429 ? 'rate_limit_error' : 'invalid_request_error', message),
  respond(ctx, res, job) {
    if (job.request.stream) {
      streamJob(ctx, res, job, messagesStreamEncoder(job));
      return;
    }
    sendWholeJob(ctx, res, job, {
      body: (empty) => messagesWholeBody(job, empty),
      malformed: '{"id":"broken","type":"message","content":[',
      error: { status: 500, body: anthropicError('api_error', 'The model had an internal error while generating (injected by the mock).') },
    });
  },
};

/** Answers one Messages request whose body was in at `t0` (ctx.clock ms); throws RequestError. */
export function handleMessages(ctx: MockContext, res: ServerResponse, body: string, t0: number): void {
  admit(ctx, res, t0, ANTHROPIC_MESSAGES, parseMessagesRequest(body));
}
