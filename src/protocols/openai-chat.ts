// OpenAI-compatible /v1/chat/completions (vLLM, SGLang, TGI's OpenAI route,
// llama.cpp, Ollama, OpenAI itself). Knows the role-only first chunk, the
// finish chunk, the usage chunk with empty choices, [DONE] and error payloads.

import {
  ONE_TOKEN,
  PARSED,
  resetChunkInfo,
  type ChunkKind,
  type ChunkInfo,
  type CompletionInfo,
  type GenerationRequest,
  type ProtocolAdapter,
  type Usage,
} from './protocol.ts';
import { matchesFastTokenRule, type FastTokenRule } from './fast-token-rule.ts';

/**
 * A mid-stream content delta, the common case, skips JSON.parse. The keys can
 * only match JSON structure (inside a string value a quote is escaped); the
 * braces and the delta key keep a cut-off chunk or another API's shape from
 * passing for a token; a chunk that also ends the generation, reports usage
 * or carries an error takes the full parse.
 */
const FAST_TOKEN: FastTokenRule = {
  startsWith: '{',
  endsWith: '}',
  key: '"content":"',
  emptyValueChar: '"',
  keyInside: '"delta":{',
  excludes: ['"finish_reason":"', '"usage":{', '"error"'],
};

/** The OpenAI chat completions adapter. */
export const openaiChat: ProtocolAdapter = {
  name: 'openai-chat',
  path: '/chat/completions',

  buildBody(request: GenerationRequest): string {
    const body: Record<string, unknown> = {
      model: request.model,
      messages: request.messages,
      max_tokens: request.maxTokens,
      stream: request.stream,
    };
    // Usage in the stream gives exact token counts instead of chunk counts.
    if (request.stream) body.stream_options = { include_usage: true };
    if (request.extraBody) Object.assign(body, request.extraBody);
    return JSON.stringify(body);
  },

  fastTokenRule: FAST_TOKEN,

  readChunk(data: string, into: ChunkInfo): ChunkKind {
    // `into` is left untouched for a plain token: the hot path writes nothing.
    if (matchesFastTokenRule(FAST_TOKEN, data)) return ONE_TOKEN;
    resetChunkInfo(into);
    if (data === '[DONE]') into.done = true;
    else readParsedChunk(data, into);
    return PARSED;
  },

  readCompletion(body: string): CompletionInfo {
    const info: CompletionInfo = {
      outputTokens: null,
      promptTokens: null,
      finishReason: null,
      hasOutput: false,
      error: null,
      malformed: false,
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      info.malformed = true;
      return info;
    }
    if (!isObject(parsed)) {
      info.malformed = true;
      return info;
    }
    const error = errorMessage(parsed.error);
    if (error !== null) {
      info.error = error;
      return info;
    }
    const usage = readUsage(parsed.usage);
    if (usage) {
      info.outputTokens = usage.completionTokens;
      info.promptTokens = usage.promptTokens;
    }
    const choice = Array.isArray(parsed.choices) ? parsed.choices[0] : undefined;
    if (isObject(choice)) {
      info.finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
      info.hasOutput = isObject(choice.message) && hasOutput(choice.message);
    } else if (!usage) {
      info.malformed = true;
    }
    return info;
  },
};

function readParsedChunk(data: string, into: ChunkInfo): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    into.malformed = true;
    return;
  }
  if (!isObject(parsed)) {
    into.malformed = true;
    return;
  }
  const error = errorMessage(parsed.error);
  if (error !== null) {
    into.error = error;
    return;
  }
  into.usage = readUsage(parsed.usage);
  const choices = parsed.choices;
  if (!Array.isArray(choices)) {
    // A chunk with neither choices nor usage is not an OpenAI chunk.
    if (!into.usage) into.malformed = true;
    return;
  }
  for (const choice of choices) {
    if (!isObject(choice)) continue;
    if (isObject(choice.delta) && hasOutput(choice.delta)) into.tokens = 1;
    if (typeof choice.finish_reason === 'string') into.finishReason = choice.finish_reason;
  }
}

/** True when a delta or message carries generated output of any kind. */
function hasOutput(delta: Record<string, unknown>): boolean {
  return (
    nonEmptyString(delta.content) ||
    nonEmptyString(delta.reasoning_content) ||
    nonEmptyString(delta.reasoning) ||
    (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) ||
    (Array.isArray(delta.content) && delta.content.length > 0)
  );
}

function readUsage(value: unknown): Usage | null {
  if (!isObject(value)) return null;
  return {
    promptTokens: typeof value.prompt_tokens === 'number' ? value.prompt_tokens : null,
    completionTokens: typeof value.completion_tokens === 'number' ? value.completion_tokens : null,
  };
}

function errorMessage(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.message === 'string') return value.message;
  return JSON.stringify(value);
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
