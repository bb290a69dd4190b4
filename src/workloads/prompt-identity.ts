// What the summary's prompt warnings need to know about each request's
// prompt: whether it is the one its VU just sent (a server's prompt cache —
// llama.cpp keeps the KV cache of its last prompt — would skip its prefill),
// and how many characters it held (to tell a prompt the server lost from one
// it read). The prompt is the messages, or an embedding request's inputs.
// Pure: a request in, a key and a count out.

import { contentText } from '../protocols/message-content.ts';
import type { ChatMessage, GenerationRequest } from '../protocols/protocol.ts';
import { hashString } from '../random.ts';

/** What of a request is its prompt. */
export type PromptPart = Pick<GenerationRequest, 'messages' | 'inputs'>;

/**
 * A 32-bit key of the prompt (roles and contents in order, tool calls, then
 * inputs): equal prompts, equal keys. An image counts by its length and its
 * last 64 characters (hashing megabytes per request would cost a VU more
 * than the request; synthetic images differ in their last row).
 */
export function promptKey(request: PromptPart): number {
  let text = '';
  for (const m of request.messages) text += `${m.role}\u0000${messageKey(m)}\u0001`;
  for (const input of request.inputs ?? []) text += `\u0002${input}`;
  return hashString(text);
}

function messageKey(m: ChatMessage): string {
  if (m.role === 'tool') return `${m.toolCallId}\u0003${m.content}`;
  if (m.role === 'assistant') return m.toolCalls ? `${m.content}${m.toolCalls.map((c) => `\u0003${c.id}\u0004${c.name}\u0004${c.arguments}`).join('')}` : m.content;
  if (typeof m.content === 'string') return m.content;
  return m.content.map((p) => (p.type === 'text' ? p.text : `\u0005${p.url.length}\u0004${p.url.slice(-64)}`)).join('\u0006');
}

/** Characters of prompt sent: message texts and inputs (roles, framing and images not counted). */
export function promptChars(request: PromptPart): number {
  let n = 0;
  for (const m of request.messages) n += contentText(m.content).length;
  for (const input of request.inputs ?? []) n += input.length;
  return n;
}
