// Text Generation Inference's native routes: POST /generate_stream (streamed)
// and /generate, at the server root. One prompt string (`inputs`) in; each
// event carries one `token` ({text, special}); special tokens (end of
// sequence and the like) are not output. The last event adds
// `generated_text` and `details` (finish_reason, generated_tokens).

import { errorMessage, isObject, nonEmptyString, numberOrNull, openDataEvent, parseObject, promptText } from './json-fields.ts';
import {
  bearerHeaders,
  emptyCompletionInfo,
  ONE_TOKEN,
  PARSED,
  type ChunkKind,
  type ChunkInfo,
  type CompletionInfo,
  type GenerationRequest,
  type ProtocolAdapter,
} from './protocol.ts';
import type { AnswerOutput } from './answer-output.ts';
import { matchesFastTokenRule, type FastTokenRule } from './fast-token-rule.ts';

/** A non-special token with text, before the last event (which has generated_text and details). */
const FAST_TOKEN: FastTokenRule = {
  startsWith: '{',
  endsWith: '}',
  key: '"text":"',
  emptyValueChar: '"',
  keyInside: '"token":{',
  excludes: ['"special":true', '"generated_text":"', '"details":{', '"error"'],
};

/** The TGI native adapter. */
export const tgi: ProtocolAdapter = {
  name: 'tgi',
  path: '/generate_stream',
  completionPath: '/generate',
  rootPath: true,
  supportsTools: false,
  supportsImages: false,
  headers: bearerHeaders,

  buildBody(request: GenerationRequest): string {
    // details: the last event (or the whole answer) reports finish_reason and generated_tokens.
    const body: Record<string, unknown> = {
      inputs: promptText(request.messages),
      parameters: { max_new_tokens: request.maxTokens, details: true },
    };
    if (request.extraBody) Object.assign(body, request.extraBody);
    return JSON.stringify(body);
  },

  fastTokenRule: FAST_TOKEN,

  readChunk(data: string, into: ChunkInfo): ChunkKind {
    if (matchesFastTokenRule(FAST_TOKEN, data)) return ONE_TOKEN;
    const event = openDataEvent(data, into);
    if (event === null) return PARSED;
    if (!isObject(event.token)) {
      into.malformed = true;
      return PARSED;
    }
    if (event.token.special !== true && nonEmptyString(event.token.text)) into.tokens = 1;
    if (typeof event.generated_text === 'string') into.done = true;
    readDetails(event.details, into);
    return PARSED;
  },

  readCompletion(body: string): CompletionInfo {
    const info = emptyCompletionInfo();
    const parsed = parseBody(body);
    if (parsed === null) {
      info.malformed = true;
      return info;
    }
    info.error = errorMessage(parsed.error);
    if (info.error !== null) return info;
    if (typeof parsed.generated_text !== 'string') {
      info.malformed = true;
      return info;
    }
    info.hasOutput = parsed.generated_text.length > 0;
    const into = { finishReason: null as string | null, usage: null as ChunkInfo['usage'] };
    readDetails(parsed.details, into);
    info.finishReason = into.finishReason;
    info.outputTokens = into.usage?.completionTokens ?? null;
    return info;
  },

  readOutput(data: string, into: AnswerOutput): void {
    const event = parseObject(data);
    // Special tokens (end of sequence) are not text of the answer.
    if (event && isObject(event.token) && event.token.special !== true && typeof event.token.text === 'string') into.text += event.token.text;
  },

  readCompletionOutput(body: string, into: AnswerOutput): void {
    const parsed = parseBody(body);
    if (parsed && typeof parsed.generated_text === 'string') into.text += parsed.generated_text;
  },
};

/** A whole answer: an object, or the compat route's (/) one-element list of it; null when neither. */
function parseBody(body: string): Record<string, unknown> | null {
  const parsed = parseObject(body);
  if (parsed !== null || !/^\s*\[/.test(body)) return parsed;
  const list = parseObject(`{"list":${body}}`);
  return list && Array.isArray(list.list) && isObject(list.list[0]) ? list.list[0] : null;
}

function readDetails(details: unknown, into: Pick<ChunkInfo, 'finishReason' | 'usage'>): void {
  if (!isObject(details)) return;
  if (typeof details.finish_reason === 'string') into.finishReason = details.finish_reason;
  const generated = numberOrNull(details.generated_tokens);
  if (generated !== null) into.usage = { promptTokens: null, completionTokens: generated, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null };
}
