// Anthropic's /v1/messages stream: message_start (input usage),
// content_block_start / _delta / _stop, ping, message_delta (output usage and
// stop_reason), message_stop, error. Deltas are text_delta (answer),
// thinking_delta (reasoning) and input_json_delta (tool-call arguments); a
// tool_use block's start carries the tool's name, generated output too.
// Every event names its type inside its data, so the data alone is enough.

import { errorMessage, isObject, nonEmptyString, numberOrNull, parseObject } from './json-fields.ts';
import { dataUri } from './message-content.ts';
import { JsonBody } from './json-body.ts';
import { ConfigError } from '../errors.ts';
import {
  emptyCompletionInfo,
  ONE_TOKEN,
  PARSED,
  resetChunkInfo,
  type ChatMessage,
  type ChunkKind,
  type ContentPart,
  type ChunkInfo,
  type CompletionInfo,
  type GenerationRequest,
  type ProtocolAdapter,
  type Usage,
} from './protocol.ts';
import type { AnswerOutput, ToolCall } from './answer-output.ts';
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
  supportsImages: true,

  headers(apiKey: string | null): Record<string, string> {
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    if (apiKey) headers['x-api-key'] = apiKey;
    return headers;
  },

  buildBody(request: GenerationRequest): string {
    const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
    const json = new JsonBody();
    const body: Record<string, unknown> = {
      model: request.model,
      max_tokens: request.maxTokens,
      // System text goes in `system`; turns keep plain string content where they have it.
      messages: anthropicMessagesOf(request.messages, json),
      stream: request.stream,
    };
    if (system.length > 0) body.system = system.join('\n\n');
    if (request.tools && request.tools.length > 0) {
      body.tools = request.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), input_schema: t.parameters }));
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
    switch (event.type) {
      case 'message_start': {
        // Its output_tokens is a placeholder (1 or so): only message_delta's counts.
        const usage = isObject(event.message) ? event.message.usage : undefined;
        if (isObject(usage)) into.usage = { ...readAnthropicUsage(usage), completionTokens: null };
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
        // Its usage is cumulative: input and cache figures when the API repeats them (else null: message_start's stand).
        if (isObject(event.usage)) into.usage = readAnthropicUsage(event.usage);
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
      const usage = readAnthropicUsage(parsed.usage);
      info.outputTokens = usage.completionTokens;
      info.promptTokens = usage.promptTokens;
      info.cachedPromptTokens = usage.cachedPromptTokens;
      info.cacheWriteTokens = usage.cacheWriteTokens;
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

/**
 * Anthropic's usage: input_tokens counts only the prompt after the last
 * cache breakpoint, so the prompt is input + cache_read_input_tokens +
 * cache_creation_input_tokens (the three as the API reports them); the cache
 * figures are null when absent.
 */
export function readAnthropicUsage(usage: Record<string, unknown>): Usage {
  const input = numberOrNull(usage.input_tokens);
  const read = numberOrNull(usage.cache_read_input_tokens);
  const write = numberOrNull(usage.cache_creation_input_tokens);
  return {
    promptTokens: input === null ? null : input + (read ?? 0) + (write ?? 0),
    completionTokens: numberOrNull(usage.output_tokens),
    reasoningTokens: null,
    cachedPromptTokens: read,
    cacheWriteTokens: write,
  };
}

/**
 * The turns in Anthropic's shape (system messages left out: they go in
 * `system`): plain text as it is; image parts as `image` blocks (a data URI
 * as a base64 source, a URL as a url source); an assistant turn's tool calls
 * as `tool_use` blocks after its text; tool results as `tool_result` blocks
 * of one user turn (consecutive results join it, as the API wants every
 * result of a turn's calls in the next user turn).
 */
export function anthropicMessagesOf(messages: readonly ChatMessage[], json: JsonBody = new JsonBody()): unknown[] {
  const out: unknown[] = [];
  let results: unknown[] | null = null;
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      const block = { type: 'tool_result', tool_use_id: m.toolCallId, content: m.content };
      if (results === null) {
        results = [block];
        out.push({ role: 'user', content: results });
      } else results.push(block);
      continue;
    }
    results = null;
    if (m.role === 'user') {
      out.push(typeof m.content === 'string' ? m : { role: 'user', content: m.content.map((p) => anthropicBlock(p, json)) });
    } else if (m.toolCalls === undefined || m.toolCalls.length === 0) {
      out.push({ role: 'assistant', content: m.content });
    } else {
      const blocks: unknown[] = m.content === '' ? [] : [{ type: 'text', text: m.content }];
      for (const call of m.toolCalls) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call) });
      out.push({ role: 'assistant', content: blocks });
    }
  }
  return out;
}

function anthropicBlock(part: ContentPart, json: JsonBody): unknown {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const uri = dataUri(part.url);
  return { type: 'image', source: uri ? { type: 'base64', media_type: uri.mediaType, data: json.slot(part, uri.data) } : { type: 'url', url: part.url } };
}

/** A tool call's arguments as the object a tool_use block's input must be ('' is no arguments). */
function toolInput(call: ToolCall): Record<string, unknown> {
  if (call.arguments.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(call.arguments);
  } catch {
    input = undefined;
  }
  if (!isObject(input)) {
    const got = call.arguments.length > 60 ? `${call.arguments.slice(0, 60)}…` : call.arguments;
    throw new ConfigError('invalid-value', 'toolCalls', `invalid toolCalls arguments of ${call.name} for anthropic-messages; expected a JSON object (a tool_use block's input), got ${JSON.stringify(got)}`);
  }
  return input;
}

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
