// Reading a chat-completion request body: the few fields the mock acts on
// (stream, usage, length limits), validated with the OpenAI API's messages,
// and a prompt-token estimate for usage. Pure: a body string in, a
// ChatRequest or a RequestError out.

import { RequestError } from './request-error.ts';

/** The model id listed by GET /v1/models and answered when a request names none. */
export const MODEL_ID = 'mock-llm';

/** What the mock takes from a chat-completion request. */
export interface ChatRequest {
  /** The request's model, or MODEL_ID. */
  model: string;
  stream: boolean;
  /** stream_options.include_usage: a usage chunk before [DONE]. */
  includeUsage: boolean;
  /** max_tokens (or max_completion_tokens); null = no cap. */
  maxTokens: number | null;
  /** Estimated from the messages (estimatePromptTokens). */
  promptTokens: number;
  ignoreEos: boolean;
  minTokens: number | null;
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

/** Parses and checks a chat-completion body; throws RequestError (400) as the OpenAI API would. */
export function parseChatRequest(body: string): ChatRequest {
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
  if (!Array.isArray(request.messages)) {
    throw new RequestError(400, "Missing required parameter: 'messages' (an array).", 'missing_required_parameter');
  }
  const limit = request.max_tokens ?? request.max_completion_tokens ?? null;
  if (limit !== null && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)) {
    throw new RequestError(400, `Invalid 'max_tokens': expected a non-negative integer, got ${JSON.stringify(limit)}.`, 'invalid_value');
  }
  const minTokens = request.min_tokens ?? null;
  if (minTokens !== null && (typeof minTokens !== 'number' || !Number.isInteger(minTokens) || minTokens < 0)) {
    throw new RequestError(400, `Invalid 'min_tokens': expected a non-negative integer, got ${JSON.stringify(minTokens)}.`, 'invalid_value');
  }
  const streamOptions = request.stream_options as { include_usage?: unknown } | null | undefined;
  return {
    model: typeof request.model === 'string' && request.model !== '' ? request.model : MODEL_ID,
    stream: request.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    maxTokens: limit,
    promptTokens: estimatePromptTokens(request.messages),
    ignoreEos: request.ignore_eos === true,
    minTokens,
  };
}
