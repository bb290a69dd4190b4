// OpenAI's /v1/responses stream: response.created, output items, text deltas
// (response.output_text.delta), reasoning deltas (response.reasoning_text.delta,
// response.reasoning_summary_text.delta), function-call argument deltas,
// response.completed / response.incomplete with usage (reasoning tokens in
// output_tokens_details), response.failed and error events. Every event names
// its type inside its data.

import { errorMessage, isObject, nonEmptyString, numberOrNull, openBody, parseObject } from './json-fields.ts';
import { usageInto } from './openai-chat.ts';
import { JsonBody } from './json-body.ts';
import {
  bearerHeaders,
  emptyCompletionInfo,
  ONE_TOKEN,
  PARSED,
  resetChunkInfo,
  type ChatMessage,
  type ChunkKind,
  type ChunkInfo,
  type CompletionInfo,
  type GenerationRequest,
  type ProtocolAdapter,
  type Usage,
} from './protocol.ts';
import type { AnswerOutput } from './answer-output.ts';
import { matchesFastTokenRule, type FastTokenRule } from './fast-token-rule.ts';

/** A response.output_text.delta with a non-empty delta: the only plain answer token event. */
const FAST_TOKEN: FastTokenRule = {
  startsWith: '{',
  endsWith: '}',
  key: '"delta":"',
  emptyValueChar: '"',
  keyInside: '"type":"response.output_text.delta"',
  excludes: ['"error"'],
};

/** Delta events by what they carry. */
const ANSWER_DELTAS: ReadonlySet<string> = new Set(['response.output_text.delta', 'response.function_call_arguments.delta', 'response.refusal.delta']);
const REASONING_DELTAS: ReadonlySet<string> = new Set(['response.reasoning_text.delta', 'response.reasoning_summary_text.delta']);

/** The OpenAI responses adapter. */
export const openaiResponses: ProtocolAdapter = {
  name: 'openai-responses',
  path: '/responses',
  supportsTools: true,
  supportsImages: true,
  headers: bearerHeaders,

  buildBody(request: GenerationRequest): string {
    const json = new JsonBody();
    const body: Record<string, unknown> = {
      model: request.model,
      input: responsesInput(request.messages, json),
      max_output_tokens: request.maxTokens,
      stream: request.stream,
    };
    if (request.tools && request.tools.length > 0) {
      body.tools = request.tools.map((t) => ({ type: 'function', name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters }));
    }
    if (request.extraBody) Object.assign(body, request.extraBody);
    return json.stringify(body);
  },

  fastTokenRule: FAST_TOKEN,

  readChunk(data: string, into: ChunkInfo): ChunkKind {
    if (matchesFastTokenRule(FAST_TOKEN, data)) return ONE_TOKEN;
    resetChunkInfo(into);
    const event = parseObject(data);
    if (event === null || typeof event.type !== 'string') {
      into.malformed = true;
      return PARSED;
    }
    const type = event.type;
    if (ANSWER_DELTAS.has(type)) {
      if (nonEmptyString(event.delta)) into.tokens = 1;
    } else if (REASONING_DELTAS.has(type)) {
      if (nonEmptyString(event.delta)) {
        into.tokens = 1;
        into.reasoningTokens = 1;
      }
    } else if (type === 'response.output_item.added') {
      // A function call's item carries its name: generated output, as a chat tool call's first delta.
      if (isObject(event.item) && event.item.type === 'function_call' && nonEmptyString(event.item.name)) into.tokens = 1;
    } else if (type === 'response.completed' || type === 'response.incomplete') {
      const response = isObject(event.response) ? event.response : {};
      into.usage = readResponsesUsage(response.usage);
      into.finishReason = finishReasonOf(response);
      into.done = true;
    } else if (type === 'response.failed') {
      const response = isObject(event.response) ? event.response : {};
      into.error = errorMessage(response.error) ?? 'response.failed without an error message';
    } else if (type === 'error') {
      into.error = typeof event.message === 'string' ? event.message : (errorMessage(event.error) ?? 'error event without a message');
    }
    // Everything else (created, in_progress, part and item bookkeeping, *.done) carries no new output.
    return PARSED;
  },

  readCompletion(body: string): CompletionInfo {
    const info = emptyCompletionInfo();
    const parsed = openBody(body, info);
    if (parsed === null) return info;
    if (!Array.isArray(parsed.output)) {
      info.malformed = true;
      return info;
    }
    for (const item of parsed.output) if (isObject(item) && itemHasOutput(item)) info.hasOutput = true;
    const usage = readResponsesUsage(parsed.usage);
    if (usage) usageInto(usage, info);
    info.finishReason = finishReasonOf(parsed);
    return info;
  },

  readOutput(data: string, into: AnswerOutput): void {
    const event = parseObject(data);
    if (event === null) return;
    const slot = typeof event.output_index === 'number' ? event.output_index : 0;
    if (event.type === 'response.output_text.delta' && typeof event.delta === 'string') into.text += event.delta;
    else if (REASONING_DELTAS.has(event.type as string) && typeof event.delta === 'string') into.reasoning += event.delta;
    else if (event.type === 'response.function_call_arguments.delta' && typeof event.delta === 'string') into.toolCall(slot).arguments += event.delta;
    else if (event.type === 'response.output_item.added' && isObject(event.item) && event.item.type === 'function_call') functionCallItem(event.item, into.toolCall(slot));
  },

  readCompletionOutput(body: string, into: AnswerOutput): void {
    const parsed = parseObject(body);
    if (parsed === null || !Array.isArray(parsed.output)) return;
    parsed.output.forEach((item: unknown, slot: number) => {
      if (!isObject(item)) return;
      if (item.type === 'function_call') {
        const call = into.toolCall(slot);
        functionCallItem(item, call);
        if (typeof item.arguments === 'string') call.arguments = item.arguments;
        return;
      }
      for (const part of item.type === 'reasoning' ? [...asArray(item.content), ...asArray(item.summary)] : asArray(item.content)) {
        if (!isObject(part) || typeof part.text !== 'string') continue;
        if (item.type === 'reasoning') into.reasoning += part.text;
        else into.text += part.text;
      }
    });
  },
};

/**
 * The messages as Responses input items: plain string content per message
 * (a string keeps the prompt whole); image parts as input_text and
 * input_image parts; an assistant turn's tool calls as function_call items
 * after its text; a tool's result as a function_call_output item.
 */
export function responsesInput(messages: readonly ChatMessage[], json: JsonBody = new JsonBody()): unknown[] {
  const items: unknown[] = [];
  for (const m of messages) {
    if (m.role === 'tool') {
      items.push({ type: 'function_call_output', call_id: m.toolCallId, output: m.content });
    } else if (m.role === 'user' && typeof m.content !== 'string') {
      items.push({ role: 'user', content: m.content.map((p) => (p.type === 'text' ? { type: 'input_text', text: p.text } : { type: 'input_image', image_url: json.slot(p, p.url) })) });
    } else if (m.role === 'assistant' && m.toolCalls !== undefined && m.toolCalls.length > 0) {
      if (m.content !== '') items.push({ role: 'assistant', content: m.content });
      for (const call of m.toolCalls) items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
    } else {
      items.push({ role: m.role, content: m.content });
    }
  }
  return items;
}

/** A function_call item's id and name. */
function functionCallItem(item: Record<string, unknown>, call: { id: string | null; name: string }): void {
  if (typeof item.call_id === 'string') call.id = item.call_id;
  if (typeof item.name === 'string') call.name = item.name;
}

/** completed, or the reason an incomplete response stopped (e.g. max_output_tokens). */
function finishReasonOf(response: Record<string, unknown>): string | null {
  const details = response.incomplete_details;
  if (isObject(details) && typeof details.reason === 'string') return details.reason;
  return typeof response.status === 'string' ? response.status : null;
}

/** An output item carrying text, a refusal, a function call or reasoning. */
function itemHasOutput(item: Record<string, unknown>): boolean {
  if (item.type === 'function_call') return true;
  const parts = item.type === 'reasoning' ? [...asArray(item.content), ...asArray(item.summary)] : asArray(item.content);
  return parts.some((p) => isObject(p) && (nonEmptyString(p.text) || nonEmptyString(p.refusal)));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The Responses usage object: input_tokens (input_tokens_details.cached_tokens), output_tokens (output_tokens_details.reasoning_tokens). */
function readResponsesUsage(value: unknown): Usage | null {
  if (!isObject(value)) return null;
  const details = value.output_tokens_details;
  const input = value.input_tokens_details;
  return {
    promptTokens: numberOrNull(value.input_tokens),
    completionTokens: numberOrNull(value.output_tokens),
    reasoningTokens: isObject(details) ? numberOrNull(details.reasoning_tokens) : null,
    cachedPromptTokens: isObject(input) ? numberOrNull(input.cached_tokens) : null,
    cacheWriteTokens: null,
  };
}
