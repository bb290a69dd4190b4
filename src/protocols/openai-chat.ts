// OpenAI-compatible /v1/chat/completions (vLLM, SGLang, TGI's OpenAI route,
// llama.cpp, Ollama, OpenAI itself). Knows the role-only first chunk, the
// finish chunk, the usage chunk with empty choices, [DONE], error payloads,
// reasoning deltas (`reasoning_content` or `reasoning`) and tool-call deltas.

import { isObject, nonEmptyString, numberOrNull, openBody, openDataEvent, parseObject } from './json-fields.ts';
import {
  bearerHeaders,
  emptyCompletionInfo,
  ONE_TOKEN,
  PARSED,
  type ChatMessage,
  type ChunkKind,
  type ChunkInfo,
  type CompletionInfo,
  type GenerationRequest,
  type ProtocolAdapter,
  type ToolSpec,
  type Usage,
} from './protocol.ts';
import type { AnswerOutput } from './answer-output.ts';
import { JsonBody } from './json-body.ts';
import { matchesFastTokenRule, type FastTokenRule } from './fast-token-rule.ts';

/**
 * A mid-stream content delta, the common case, skips JSON.parse. The keys can
 * only match JSON structure (inside a string value a quote is escaped); the
 * braces and the delta key keep a cut-off chunk or another API's shape from
 * passing for a token; a chunk that also ends the generation, reports usage,
 * carries an error or reasoning text takes the full parse.
 */
const FAST_TOKEN: FastTokenRule = {
  startsWith: '{',
  endsWith: '}',
  key: '"content":"',
  emptyValueChar: '"',
  keyInside: '"delta":{',
  excludes: ['"finish_reason":"', '"usage":{', '"error"', '"reasoning_content":"', '"reasoning":"'],
};

/** Tools in OpenAI's chat shape: {type: function, function: {name, description, parameters}}. */
export function openaiChatTools(tools: readonly ToolSpec[]): unknown[] {
  return tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters } }));
}

/**
 * Messages in OpenAI's chat shape: plain ones as they are; image parts as
 * `image_url` parts; an assistant turn's tool calls as `tool_calls` (its
 * content null when it only called tools); a tool's result as `role: tool`
 * with its `tool_call_id`.
 */
export function openaiChatMessages(messages: readonly ChatMessage[], json: JsonBody = new JsonBody()): unknown[] {
  return messages.map((m) => {
    switch (m.role) {
      case 'user':
        if (typeof m.content === 'string') return m;
        return { role: 'user', content: m.content.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : { type: 'image_url', image_url: { url: json.slot(p, p.url) } })) };
      case 'assistant':
        if (m.toolCalls === undefined || m.toolCalls.length === 0) return { role: 'assistant', content: m.content };
        return {
          role: 'assistant',
          content: m.content === '' ? null : m.content,
          tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
        };
      case 'tool':
        return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
      default:
        return m;
    }
  });
}

/** The OpenAI chat completions adapter. */
export const openaiChat: ProtocolAdapter = {
  name: 'openai-chat',
  path: '/chat/completions',
  supportsTools: true,
  supportsImages: true,
  headers: bearerHeaders,

  buildBody(request: GenerationRequest): string {
    const json = new JsonBody();
    const body: Record<string, unknown> = {
      model: request.model,
      messages: openaiChatMessages(request.messages, json),
      max_tokens: request.maxTokens,
      stream: request.stream,
    };
    // Usage in the stream gives exact token counts instead of chunk counts.
    if (request.stream) body.stream_options = { include_usage: true };
    if (request.tools && request.tools.length > 0) body.tools = openaiChatTools(request.tools);
    if (request.extraBody) Object.assign(body, request.extraBody);
    return json.stringify(body);
  },

  fastTokenRule: FAST_TOKEN,

  readChunk(data: string, into: ChunkInfo): ChunkKind {
    // `into` is left untouched for a plain token: the hot path writes nothing.
    if (matchesFastTokenRule(FAST_TOKEN, data)) return ONE_TOKEN;
    const parsed = openDataEvent(data, into);
    if (parsed !== null) readParsedChunk(parsed, into);
    return PARSED;
  },

  readCompletion(body: string): CompletionInfo {
    return readOpenaiCompletion(body, (choice) => isObject(choice.message) && (hasAnswer(choice.message) || hasReasoning(choice.message)));
  },

  readOutput(data: string, into: AnswerOutput): void {
    const choice = firstChoice(parseObject(data));
    if (choice && isObject(choice.delta)) readMessageOutput(choice.delta, into);
  },

  readCompletionOutput(body: string, into: AnswerOutput): void {
    const choice = firstChoice(parseObject(body));
    if (choice && isObject(choice.message)) readMessageOutput(choice.message, into);
  },
};

/** choices[0] of a parsed chunk or body, when it is an object. */
function firstChoice(parsed: Record<string, unknown> | null): Record<string, unknown> | null {
  const choice = parsed && Array.isArray(parsed.choices) ? parsed.choices[0] : undefined;
  return isObject(choice) ? choice : null;
}

/** A delta's or message's text, reasoning and tool calls (a delta's tool call parts go to their index). */
function readMessageOutput(message: Record<string, unknown>, into: AnswerOutput): void {
  if (typeof message.content === 'string') into.text += message.content;
  if (typeof message.reasoning_content === 'string') into.reasoning += message.reasoning_content;
  else if (typeof message.reasoning === 'string') into.reasoning += message.reasoning;
  if (!Array.isArray(message.tool_calls)) return;
  message.tool_calls.forEach((part: unknown, position: number) => {
    if (!isObject(part)) return;
    const call = into.toolCall(typeof part.index === 'number' ? part.index : position);
    if (typeof part.id === 'string') call.id = part.id;
    const fn = isObject(part.function) ? part.function : {};
    if (typeof fn.name === 'string') call.name += fn.name;
    if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
  });
}

/**
 * A whole OpenAI-style body (chat or completions): usage, and the first
 * choice's finish reason and whether it carries output (`choiceHasOutput`:
 * the one thing the two APIs answer differently).
 */
export function readOpenaiCompletion(body: string, choiceHasOutput: (choice: Record<string, unknown>) => boolean): CompletionInfo {
  const info = emptyCompletionInfo();
  const parsed = openBody(body, info);
  if (parsed === null) return info;
  const usage = readOpenaiUsage(parsed.usage);
  if (usage) usageInto(usage, info);
  const choice = Array.isArray(parsed.choices) ? parsed.choices[0] : undefined;
  if (isObject(choice)) {
    info.finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
    info.hasOutput = choiceHasOutput(choice);
  } else if (!usage) {
    info.malformed = true;
  }
  return info;
}

function readParsedChunk(parsed: Record<string, unknown>, into: ChunkInfo): void {
  into.usage = readOpenaiUsage(parsed.usage);
  const choices = parsed.choices;
  if (!Array.isArray(choices)) {
    // A chunk with neither choices nor usage is not an OpenAI chunk.
    if (!into.usage) into.malformed = true;
    return;
  }
  let answer = false;
  let reasoning = false;
  // Indexed: k6's interpreter walks for-of through the iterator protocol, several times slower.
  for (let i = 0; i < choices.length; i++) {
    const choice: unknown = choices[i];
    if (!isObject(choice)) continue;
    if (isObject(choice.delta)) {
      answer ||= hasAnswer(choice.delta);
      reasoning ||= hasReasoning(choice.delta);
    }
    if (typeof choice.finish_reason === 'string') into.finishReason = choice.finish_reason;
  }
  if (answer || reasoning) into.tokens = 1;
  if (reasoning && !answer) into.reasoningTokens = 1;
}

/** True when a delta or message carries answer output: text, content parts or tool calls. */
function hasAnswer(delta: Record<string, unknown>): boolean {
  return (
    nonEmptyString(delta.content) ||
    (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) ||
    (Array.isArray(delta.content) && delta.content.length > 0)
  );
}

/** True when a delta or message carries reasoning text (vLLM, DeepSeek: reasoning_content; SGLang, Ollama: reasoning). */
function hasReasoning(delta: Record<string, unknown>): boolean {
  return nonEmptyString(delta.reasoning_content) || nonEmptyString(delta.reasoning);
}

/**
 * OpenAI's usage object (chat and completions), with
 * completion_tokens_details.reasoning_tokens and
 * prompt_tokens_details.cached_tokens when given (vLLM sends the latter with
 * --enable-prompt-tokens-details; a null details object is not a report).
 */
export function readOpenaiUsage(value: unknown): Usage | null {
  if (!isObject(value)) return null;
  const details = value.completion_tokens_details;
  const prompt = value.prompt_tokens_details;
  return {
    promptTokens: numberOrNull(value.prompt_tokens),
    completionTokens: numberOrNull(value.completion_tokens),
    reasoningTokens: isObject(details) ? numberOrNull(details.reasoning_tokens) : null,
    cachedPromptTokens: isObject(prompt) ? numberOrNull(prompt.cached_tokens) : null,
    cacheWriteTokens: null,
  };
}

/** A whole body's usage into its CompletionInfo. */
export function usageInto(usage: Usage, info: CompletionInfo): void {
  info.outputTokens = usage.completionTokens;
  info.promptTokens = usage.promptTokens;
  info.reasoningTokens = usage.reasoningTokens;
  info.cachedPromptTokens = usage.cachedPromptTokens;
  info.cacheWriteTokens = usage.cacheWriteTokens;
}
