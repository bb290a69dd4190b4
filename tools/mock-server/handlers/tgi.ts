// POST /generate_stream and POST /generate (protocol "tgi"): Text Generation
// Inference's native API. `inputs` is the prompt, `parameters.max_new_tokens`
// the cap. A stream is one `data:` event per token (TGI writes no space after
// the colon) {"index","token":{"id","text","logprob","special"},
// "generated_text":null,"details":null}; the last token's event carries
// generated_text and details {finish_reason, generated_tokens, input_length}.
// Errors are {"error","error_type"}. The API has no reasoning or tool-call
// form: reasoning tokens go out as plain tokens and no tool call is made.

import type { ServerResponse } from 'node:http';
import { admit, type ProtocolSpec } from '../admit.ts';
import { modelOf, optionalCount, parseJsonObject, textTokens, type ChatRequest } from '../chat-request.ts';
import { tokenText, tokensText, type ChatJob } from '../completion.ts';
import type { MockContext } from '../context.ts';
import { RequestError } from '../request-error.ts';
import { sendJson } from '../respond.ts';
import { eventEnd, streamJob, type StreamEncoder } from '../sse-stream.ts';
import { sendWholeJob } from '../whole-body.ts';

/** TGI's error body. */
export function tgiError(message: string, errorType: string): string {
  return JSON.stringify({ error: message, error_type: errorType });
}

/** Token ids: distinct per token, clear of the small ids tokenizers keep for special tokens. */
const FIRST_TOKEN_ID = 1000;
/** The logprob every mock token carries. */
const LOGPROB = -0.25;
const GENERATION_ERROR = 'Request failed during generation: the model had an internal error (injected by the mock).';

/** Parses and checks a TGI body; `stream` comes from the route. Throws RequestError (422, TGI's shape). */
export function parseGenerateRequest(body: string, stream: boolean): ChatRequest & { details: boolean } {
  let request: Record<string, unknown>;
  let maxTokens: number | null;
  const parameters = (): Record<string, unknown> => {
    const p = request.parameters;
    return typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
  };
  try {
    request = parseJsonObject(body);
    maxTokens = optionalCount(parameters().max_new_tokens, 'max_new_tokens');
  } catch (err) {
    throw err instanceof RequestError ? new RequestError(422, err.message, null, tgiError(err.message, 'validation')) : err;
  }
  if (typeof request.inputs !== 'string') {
    const message = `Invalid 'inputs': expected a string, got ${JSON.stringify(request.inputs ?? null)}.`;
    throw new RequestError(422, message, null, tgiError(message, 'validation'));
  }
  return {
    model: modelOf(request),
    stream,
    includeUsage: true,
    maxTokens,
    promptTokens: Math.max(1, textTokens(request.inputs)),
    pieces: [{ kind: 'text', role: 'user', text: request.inputs }],
    ignoreEos: false,
    minTokens: null,
    toolName: null,
    details: parameters().details === true,
  };
}

/** TGI's finish_reason for the job's finish. */
function finishReason(job: ChatJob): string {
  return job.finishReason === 'length' ? 'length' : 'eos_token';
}

/** The per-token events of one job. */
export function generateStreamEncoder(job: ChatJob): StreamEncoder {
  const end = eventEnd(job.cfg.crlf);
  const details = `{"finish_reason":"${finishReason(job)}","generated_tokens":${job.n},"seed":null,"input_length":${job.request.promptTokens}}`;
  const tokenEvent = (i: number, last: string, detailsJson: string): string =>
    `data:{"index":${i + 1},"token":{"id":${FIRST_TOKEN_ID + i},"text":"${tokenText(i)}","logprob":${LOGPROB},"special":false},"generated_text":${last},"details":${detailsJson},"top_tokens":null}${end}`;
  return {
    open: () => '',
    tokens(from, to) {
      let out = '';
      for (let i = from; i < to; i++) {
        out += i === job.n - 1 ? tokenEvent(i, JSON.stringify(tokensText(0, job.n)), details) : tokenEvent(i, 'null', 'null');
      }
      return out;
    },
    // The last token's event closed the stream.
    tail: () => '',
    error: () => `data:${tgiError(GENERATION_ERROR, 'generation')}${end}`,
    malformed: () => `data:{"index":1,"token":{"id":${end}`,
    keepAlive: `: keep-alive${end}`,
    // Only the end-of-sequence token, which is special: no text was generated.
    empty: () =>
      `data:{"index":1,"token":{"id":1,"text":"</s>","logprob":0,"special":true},"generated_text":"","details":{"finish_reason":"eos_token","generated_tokens":0,"seed":null,"input_length":${job.request.promptTokens}},"top_tokens":null}${end}`,
  };
}

/** The /generate body of a job: generated_text, and details when parameters.details was true. */
export function generateWholeBody(job: ChatJob, empty: boolean, details: boolean): string {
  const body: Record<string, unknown> = { generated_text: empty ? '' : tokensText(0, job.n) };
  if (details) body.details = { finish_reason: finishReason(job), generated_tokens: empty ? 0 : job.n, seed: null };
  return JSON.stringify(body);
}

/** Writes an HTTP error in TGI's shape; 429 and 503 carry Retry-After. */
function statusFault(res: ServerResponse, status: number, retryAfterS: number, message: string): void {
  const type = status === 429 || status === 503 ? 'overloaded' : 'generation';
  sendJson(res, status, tgiError(message, type), status === 429 || status === 503 ? { 'Retry-After': String(retryAfterS) } : {});
}

/** The TGI protocol, for a request that asked (or not) for details. */
function tgiSpec(details: boolean): ProtocolSpec {
  return {
    name: 'tgi',
    idPrefix: 'tgi-mock',
    statusFault,
    refusal: (status, message) => new RequestError(status, message, null, tgiError(message, status === 429 ? 'overloaded' : 'validation')),
    respond(ctx, res, job) {
      // The API has no reasoning form: every token is a plain token, counted as answer.
      const plain: ChatJob = { ...job, reasoning: 0, toolCall: false };
      if (job.request.stream) {
        streamJob(ctx, res, plain, generateStreamEncoder(plain));
        return;
      }
      sendWholeJob(ctx, res, plain, {
        body: (empty) => generateWholeBody(plain, empty, details),
        malformed: '{"generated_text":',
        error: { status: 424, body: tgiError(GENERATION_ERROR, 'generation') },
      });
    },
  };
}

const STREAMED = tgiSpec(false);

/** POST /generate_stream: the token stream; throws RequestError. */
export function handleGenerateStream(ctx: MockContext, res: ServerResponse, body: string, t0: number): void {
  admit(ctx, res, t0, STREAMED, parseGenerateRequest(body, true));
}

/** POST /generate: one body when the last token is due; throws RequestError. */
export function handleGenerate(ctx: MockContext, res: ServerResponse, body: string, t0: number): void {
  const request = parseGenerateRequest(body, false);
  admit(ctx, res, t0, tgiSpec(request.details), request);
}
