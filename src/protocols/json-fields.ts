// Small readers of parsed JSON that every adapter shares: shape checks, an
// error payload's message, and the plain-text prompt of the text-in APIs
// (completions, TGI), which take one string instead of messages.

import { contentText } from './message-content.ts';
import { resetChunkInfo, type ChatMessage, type ChunkInfo, type CompletionInfo } from './protocol.ts';

/** True for a JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a string of at least one character. */
export function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

/** value when it is a number, else null. */
export function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** JSON.parse of data when it is an object; null when it is not JSON or not an object. */
export function parseObject(data: string): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  return isObject(parsed) ? parsed : null;
}

/** An error payload's message (a string, or an object's `message`); null when there is no error. */
export function errorMessage(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.message === 'string') return value.message;
  return JSON.stringify(value);
}

/**
 * The common opening of reading a `data:` event in the OpenAI-style APIs
 * (chat, completions, TGI): resets `into`, then settles `[DONE]`, data that
 * is not a JSON object, and an error payload. Returns the parsed event when
 * the adapter has more to read, else null (`into` says what it was).
 */
export function openDataEvent(data: string, into: ChunkInfo): Record<string, unknown> | null {
  resetChunkInfo(into);
  if (data === '[DONE]') {
    into.done = true;
    return null;
  }
  const parsed = parseObject(data);
  if (parsed === null) {
    into.malformed = true;
    return null;
  }
  const error = errorMessage(parsed.error);
  if (error !== null) {
    into.error = error;
    return null;
  }
  return parsed;
}

/**
 * The common opening of reading a whole response body: a body that is not a
 * JSON object is malformed, one with an `error` payload is that error. Returns
 * the parsed body when there is more to read, else null (`info` says why).
 */
export function openBody(body: string, info: CompletionInfo): Record<string, unknown> | null {
  const parsed = parseObject(body);
  if (parsed === null) {
    info.malformed = true;
    return null;
  }
  info.error = errorMessage(parsed.error);
  return info.error === null ? parsed : null;
}

/**
 * The messages as one plain prompt string: a lone user message is its text
 * as-is; a conversation is `System: …`, `User: …`, `Assistant: …` paragraphs
 * ending with `Assistant:` for the model to continue.
 */
export function promptText(messages: readonly ChatMessage[]): string {
  // Images and tool turns never get here: the client refuses them for text-in protocols.
  if (messages.length === 1 && messages[0]?.role === 'user') return contentText(messages[0].content);
  const label = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' } as const;
  return `${messages.map((m) => `${label[m.role]}: ${contentText(m.content)}`).join('\n\n')}\n\nAssistant:`;
}
