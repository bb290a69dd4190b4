// POST /v1/embeddings: one JSON body per request, as OpenAI-compatible
// servers answer it. Each input gets a deterministic unit vector (seeded by
// its text, so the same text always embeds the same), usage.prompt_tokens is
// counted as chat prompts are (estimatePromptTokens: characters / 4), and the
// answer is due when a chat request's first token would be: --ttft-ms and
// the prompt's prefill (--prefill-ms-per-token per prompt token) after the
// body was in, or, under the capacity model, after a slot is free.
// Faults and scale-to-zero apply to chat requests only.

import type { ServerResponse } from 'node:http';
import { hashSeed, hashString, seededRandom } from '../../../src/random.ts';
import { estimatePromptTokens, MODEL_ID } from '../chat-request.ts';
import type { MockContext } from '../context.ts';
import { DueTimer } from '../due-timer.ts';
import { RequestError } from '../request-error.ts';
import { sendJson } from '../respond.ts';

/** Vector length when the request names no `dimensions`. */
export const DEFAULT_DIMENSIONS = 8;
const MAX_DIMENSIONS = 4096;

/** What the mock takes from an embeddings request. */
export interface EmbeddingsRequest {
  model: string;
  /** The texts (or token-id lists) to embed, one embedding each. */
  inputs: (string | number[])[];
  /** Estimated as chat prompts are: ceil(characters / 4) per text, a token list's length, at least 1. */
  promptTokens: number;
  dimensions: number;
  encoding: 'float' | 'base64';
}

/** Parses and checks an embeddings body; throws RequestError (400) as the OpenAI API would. */
export function parseEmbeddingsRequest(body: string): EmbeddingsRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new RequestError(400, 'We could not parse the JSON body of your request: invalid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RequestError(400, 'The request body must be a JSON object.');
  }
  const request = parsed as Record<string, unknown>;
  const inputs = readInputs(request.input);
  const dimensions = request.dimensions ?? DEFAULT_DIMENSIONS;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
    throw new RequestError(400, `Invalid 'dimensions': expected a whole number from 1 to ${MAX_DIMENSIONS}, got ${JSON.stringify(dimensions)}.`, 'invalid_value');
  }
  const encoding = request.encoding_format ?? 'float';
  if (encoding !== 'float' && encoding !== 'base64') {
    throw new RequestError(400, `Invalid 'encoding_format': expected float or base64, got ${JSON.stringify(encoding)}.`, 'invalid_value');
  }
  const texts = inputs.filter((i): i is string => typeof i === 'string').map((content) => ({ content }));
  const listed = inputs.reduce((n, i) => n + (typeof i === 'string' ? 0 : i.length), 0);
  return {
    model: typeof request.model === 'string' && request.model !== '' ? request.model : MODEL_ID,
    inputs,
    promptTokens: texts.length > 0 ? estimatePromptTokens(texts) + listed : Math.max(1, listed),
    dimensions,
    encoding,
  };
}

/** `input`: a string, a list of strings, a token-id list, or a list of token-id lists; none empty. */
function readInputs(input: unknown): (string | number[])[] {
  const invalid = (got: string): RequestError =>
    new RequestError(400, `Invalid 'input': expected a non-empty string or a non-empty list of them (or of token-id lists), got ${got}.`, 'invalid_value');
  if (typeof input === 'string') {
    if (input === '') throw invalid('an empty string');
    return [input];
  }
  if (!Array.isArray(input) || input.length === 0) throw invalid(input === undefined ? 'nothing' : JSON.stringify(input).slice(0, 40));
  if (input.every(isTokenId)) return [input as number[]];
  for (const item of input) {
    const ok = (typeof item === 'string' && item !== '') || (Array.isArray(item) && item.length > 0 && item.every(isTokenId));
    if (!ok) throw invalid(`an item ${JSON.stringify(item).slice(0, 40)}`);
  }
  return input as (string | number[])[];
}

function isTokenId(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The unit vector of one input: seeded by its text, so equal inputs embed equally. */
export function embeddingVector(input: string | number[], dimensions: number): number[] {
  const random = seededRandom(hashSeed(0xe3bedd, hashString(typeof input === 'string' ? input : input.join(','))));
  const v: number[] = [];
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const x = random() * 2 - 1;
    v.push(x);
    norm += x * x;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
  return v.map((x) => Math.round(x * scale * 1e6) / 1e6);
}

/** The answer body: one data[] item per input, in order, and usage. */
export function embeddingsBody(request: EmbeddingsRequest): string {
  const data = request.inputs.map((input, index) => {
    const vector = embeddingVector(input, request.dimensions);
    const embedding = request.encoding === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  return JSON.stringify({
    object: 'list',
    data,
    model: request.model,
    usage: { prompt_tokens: request.promptTokens, total_tokens: request.promptTokens },
  });
}

/** Answers one embeddings request whose body was in at `t0` (ctx.clock ms); throws RequestError. */
export function handleEmbeddings(ctx: MockContext, res: ServerResponse, body: string, t0: number): void {
  const request = parseEmbeddingsRequest(body);
  const cfg = { ...ctx.config() };
  const counts = ctx.recorder.embeddings;
  counts.requests += 1;
  counts.inputs += request.inputs.length;
  counts.promptTokens += request.promptTokens;
  const answerAt = (due: number): void => {
    const timer = new DueTimer(ctx.clock);
    ctx.timers.add(timer);
    res.on('close', () => {
      timer.cancel();
      ctx.timers.delete(timer);
    });
    timer.at(due, () => {
      ctx.timers.delete(timer);
      if (res.destroyed) return;
      const text = embeddingsBody(request);
      ctx.recorder.lateness.record(ctx.clock.now() - due);
      sendJson(res, 200, text);
    });
  };
  const { capacity } = ctx;
  if (capacity.enabled()) {
    // A slot, then the prefill of every input: the first "token" of the capacity clock.
    const accepted = capacity.submit(res, t0, (waitMs) => answerAt(t0 + capacity.clock(waitMs, request.promptTokens * cfg.prefillMsPerToken).next()));
    if (!accepted) throw new RequestError(429, 'The server is overloaded: too many requests in flight; retry later.', 'overloaded');
  } else {
    answerAt(t0 + cfg.ttftMs + request.promptTokens * cfg.prefillMsPerToken);
  }
}
