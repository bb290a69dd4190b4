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

// Substrings whose absence lets a content chunk skip JSON.parse. They can
// only match JSON structure: inside a string value a quote is escaped.
const CONTENT_KEY = '"content":"';
// A content chunk that also ends the generation, reports usage or carries an
// error (servers differ on what they bundle together) takes the full parse.
const FINISH_KEY = '"finish_reason":"';
const USAGE_KEY = '"usage":{';
const ERROR_KEY = '"error"';

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

  readChunk(data: string, into: ChunkInfo): ChunkKind {
    // Fast path, the common case of a mid-stream content delta: no parse, and
    // `into` is left untouched. A chunk cut short (the usual malformed chunk)
    // does not end with '}', so it takes the full parse and is caught there.
    const at = data.indexOf(CONTENT_KEY);
    if (
      at >= 0 &&
      data.charCodeAt(data.length - 1) === 125 /* '}' */ &&
      data.charCodeAt(at + CONTENT_KEY.length) !== 34 /* '"' */ &&
      data.indexOf(FINISH_KEY) < 0 &&
      data.indexOf(USAGE_KEY) < 0 &&
      data.indexOf(ERROR_KEY) < 0
    ) {
      return ONE_TOKEN;
    }
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
