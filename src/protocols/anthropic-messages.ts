// Anthropic's /v1/messages stream: message_start (input usage),
// content_block_start / _delta / _stop, ping, message_delta (output usage and
// stop_reason), message_stop, error. Deltas are text_delta (answer),
// thinking_delta (reasoning) and input_json_delta (tool-call arguments); a
// tool_use block's start carries the tool's name, generated output too.
// Every event names its type inside its data, so the data alone is enough.

import { errorMessage, isObject, nonEmptyString, numberOrNull, parseObject } from './json-fields.ts';
import {
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
} from './protocol.ts';
import type { AnswerOutput } from './answer-output.ts';
import { matchesFastTokenRule, type FastTokenRule } from './fast-token-rule.ts';

/** The API version every request names (the header is required). */
export const ANTHROPIC_VERSION = '2023-06-01';

/** A text_delta with non-empty text: the only plain answer token event. */
const FAST_TOKEN: FastTokenRule = {
  startsWith: '{',
  endsWith: '}',
  key: '"text":"',
  emptyValueChar: '"',
  keyInside: '"type":"text_delta"',
  excludes: ['"error"'],
};

/** The Anthropic messages adapter. */
export const anthropicMessages: ProtocolAdapter = {
  name: 'anthropic-messages',
  path: '/messages',
  supportsTools: true,

  headers(apiKey: string | null): Record<string, string> {
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    if (apiKey) headers['x-api-key'] = apiKey;
    return headers;
  },

  buildBody(request: GenerationRequest): string {
    const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
    const body: Record<string, unknown> = {
      model: request.model,
      max_tokens: request.maxTokens,
      // System text goes in `system`; turns keep plain string content.
      messages: request.messages.filter((m): m is ChatMessage & { role: 'user' | 'assistant' } => m.role !== 'system'),
      stream: request.stream,
    };
    if (system.length > 0) body.system = system.join('\n\n');
    if (request.tools && request.tools.length > 0) {
      body.tools = request.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), input_schema: t.parameters }));
    }
    if (request.extraBody) Object.assign(body, request.extraBody);
    return JSON.stringify(body);
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
    switch (event.type) {
      case 'message_start': {
        // Its output_tokens is a placeholder (1 or so): only message_delta's counts.
        const usage = isObject(event.message) ? event.message.usage : undefined;
        if (isObject(usage)) into.usage = { promptTokens: numberOrNull(usage.input_tokens), completionTokens: null, reasoningTokens: null };
        break;
      }
      case 'content_block_start':
        if (isObject(event.content_block)) countBlock(event.content_block, into);
        break;
      case 'content_block_delta':
        if (isObject(event.delta)) countBlock(event.delta, into);
        break;
      case 'message_delta': {
        if (isObject(event.delta) && typeof event.delta.stop_reason === 'string') into.finishReason = event.delta.stop_reason;
        if (isObject(event.usage)) {
          into.usage = { promptTokens: numberOrNull(event.usage.input_tokens), completionTokens: numberOrNull(event.usage.output_tokens), reasoningTokens: null };
        }
        break;
      }
      case 'message_stop':
        into.done = true;
        break;
      case 'error':
        into.error = errorMessage(event.error) ?? 'error event without a message';
        break;
      default:
        // ping, content_block_stop, and event types added later: no output.
        break;
    }
    return PARSED;
  },

  readCompletion(body: string): CompletionInfo {
    const info = emptyCompletionInfo();
    const parsed = parseObject(body);
    if (parsed === null) {
      info.malformed = true;
      return info;
    }
    if (parsed.type === 'error' || parsed.error !== undefined) {
      info.error = errorMessage(parsed.error) ?? 'error without a message';
      return info;
    }
    if (!Array.isArray(parsed.content)) {
      info.malformed = true;
      return info;
    }
    const chunk = { tokens: 0, reasoningTokens: 0 };
    for (const block of parsed.content) if (isObject(block)) countBlock(block, chunk);
    info.hasOutput = chunk.tokens > 0;
    info.finishReason = typeof parsed.stop_reason === 'string' ? parsed.stop_reason : null;
    if (isObject(parsed.usage)) {
      info.outputTokens = numberOrNull(parsed.usage.output_tokens);
      info.promptTokens = numberOrNull(parsed.usage.input_tokens);
    }
    return info;
  },

  readOutput(data: string, into: AnswerOutput): void {
    const event = parseObject(data);
    if (event === null || typeof event.index !== 'number') return;
    if (event.type === 'content_block_start' && isObject(event.content_block)) blockOutput(event.content_block, event.index, into);
    else if (event.type === 'content_block_delta' && isObject(event.delta)) blockOutput(event.delta, event.index, into);
  },

  readCompletionOutput(body: string, into: AnswerOutput): void {
    const parsed = parseObject(body);
    if (parsed === null || !Array.isArray(parsed.content)) return;
    parsed.content.forEach((block: unknown, index: number) => {
      if (!isObject(block)) return;
      blockOutput(block, index, into);
      // A whole tool_use block carries its input as an object, not as streamed JSON text.
      if (block.type === 'tool_use' && block.input !== undefined) into.toolCall(index).arguments = JSON.stringify(block.input);
    });
  },
};

/** A content block's (or delta's) text, thinking or tool-use part, for the block at `index`. */
function blockOutput(block: Record<string, unknown>, index: number, into: AnswerOutput): void {
  switch (block.type) {
    case 'text':
    case 'text_delta':
      if (typeof block.text === 'string') into.text += block.text;
      break;
    case 'thinking':
    case 'thinking_delta':
      if (typeof block.thinking === 'string') into.reasoning += block.thinking;
      break;
    case 'tool_use': {
      const call = into.toolCall(index);
      if (typeof block.id === 'string') call.id = block.id;
      if (typeof block.name === 'string') call.name = block.name;
      break;
    }
    case 'input_json_delta':
      if (typeof block.partial_json === 'string') into.toolCall(index).arguments += block.partial_json;
      break;
    default:
      break;
  }
}

/** Counts a content block or delta: text and tool use are answer output, thinking is reasoning (signatures are not output). */
function countBlock(block: Record<string, unknown>, into: { tokens: number; reasoningTokens: number }): void {
  switch (block.type) {
    case 'text':
    case 'text_delta':
      if (nonEmptyString(block.text)) into.tokens += 1;
      break;
    case 'thinking':
    case 'thinking_delta':
      if (nonEmptyString(block.thinking)) {
        into.tokens += 1;
        into.reasoningTokens += 1;
      }
      break;
    case 'tool_use':
      if (nonEmptyString(block.name)) into.tokens += 1;
      break;
    case 'input_json_delta':
      if (nonEmptyString(block.partial_json)) into.tokens += 1;
      break;
    default:
      break;
  }
}
