// Reading a generation request body: the few fields the mock acts on
// (stream, usage, length limits, tools), validated with the OpenAI API's
// messages, and a prompt-token estimate for usage. Pure: a body string in, a
// ChatRequest or a RequestError out. The other protocols' readers (in
// handlers/) build the same ChatRequest from their own field names with the
// helpers exported here.

import { RequestError } from './request-error.ts';

/** The model id listed by GET /v1/models and answered when a request names none. */
export const MODEL_ID = 'mock-llm';

/** What the mock takes from a generation request, whatever its protocol. */
export interface ChatRequest {
  /** The request's model, or MODEL_ID. */
  model: string;
  stream: boolean;
  /** stream_options.include_usage: a usage chunk before [DONE]. */
  includeUsage: boolean;
  /** max_tokens (or max_completion_tokens, max_output_tokens, max_new_tokens); null = no cap. */
  maxTokens: number | null;
  /** Estimated from the messages (estimatePromptTokens). */
  promptTokens: number;
  ignoreEos: boolean;
  minTokens: number | null;
  /** The name of the first tool the request offers (tools[0]), or null when it offers none. */
  toolName: string | null;
}

/** Prompt-token estimate of a text: ceil(characters / 4). */
export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Prompt-token estimate: ceil(characters / 4) per message, at least 1 in total. */
export function estimatePromptTokens(messages: unknown[]): number {
  let total = 0;
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) continue;
    const content = (message as { content?: unknown }).content;
    let chars = 0;
    if (typeof content === 'string') {
      chars = content.length;
    } else if (Array.isArray(content)) {
      for (const part of content) {
        const text = (part as { text?: unknown } | null)?.text;
        if (typeof text === 'string') chars += text.length;
      }
    }
    total += Math.ceil(chars / 4);
  }
  return Math.max(1, total);
}

/** Parses a body that must be a JSON object; throws RequestError (400). */
export function parseJsonObject(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new RequestError(400, 'We could not parse the JSON body of your request: invalid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RequestError(400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** A token count field: null when absent, else a non-negative integer; throws RequestError (400) naming `name`. */
export function optionalCount(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RequestError(400, `Invalid '${name}': expected a non-negative integer, got ${JSON.stringify(value)}.`, 'invalid_value');
  }
  return value;
}

/** The first offered tool's name (OpenAI chat `function.name`, Anthropic/Responses `name`); null without tools. */
export function firstToolName(tools: unknown): string | null {
  if (!Array.isArray(tools) || tools.length === 0) return null;
  const tool = tools[0] as { name?: unknown; function?: { name?: unknown } } | null;
  const name = tool?.function?.name ?? tool?.name;
  return typeof name === 'string' && name !== '' ? name : 'mock_tool';
}

/** The request's model, or MODEL_ID. */
export function modelOf(request: Record<string, unknown>): string {
  return typeof request.model === 'string' && request.model !== '' ? request.model : MODEL_ID;
}

/** Parses and checks a chat-completion body; throws RequestError (400) as the OpenAI API would. */
export function parseChatRequest(body: string): ChatRequest {
  const request = parseJsonObject(body);
  if (!Array.isArray(request.messages)) {
    throw new RequestError(400, "Missing required parameter: 'messages' (an array).", 'missing_required_parameter');
  }
  const limit = optionalCount(request.max_tokens ?? request.max_completion_tokens, 'max_tokens');
  const streamOptions = request.stream_options as { include_usage?: unknown } | null | undefined;
  return {
    model: modelOf(request),
    stream: request.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    maxTokens: limit,
    promptTokens: estimatePromptTokens(request.messages),
    ignoreEos: request.ignore_eos === true,
    minTokens: optionalCount(request.min_tokens, 'min_tokens'),
    toolName: firstToolName(request.tools),
  };
}
