// Small readers of parsed JSON that every adapter shares: shape checks, an
// error payload's message, and the plain-text prompt of the text-in APIs
// (completions, TGI), which take one string instead of messages.

import type { ChatMessage } from './protocol.ts';

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
 * The messages as one plain prompt string: a lone user message is its text
 * as-is; a conversation is `System: …`, `User: …`, `Assistant: …` paragraphs
 * ending with `Assistant:` for the model to continue.
 */
export function promptText(messages: readonly ChatMessage[]): string {
  if (messages.length === 1 && messages[0]?.role === 'user') return messages[0].content;
  const label = { system: 'System', user: 'User', assistant: 'Assistant' } as const;
  return `${messages.map((m) => `${label[m.role]}: ${m.content}`).join('\n\n')}\n\nAssistant:`;
}
