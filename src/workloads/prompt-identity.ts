// What the summary's prompt warnings need to know about each request's
// prompt: whether it is the one its VU just sent (a server's prompt cache —
// llama.cpp keeps the KV cache of its last prompt — would skip its prefill),
// and how many characters it held (to tell a prompt the server lost from one
// it read). The prompt is the messages, or an embedding request's inputs.
// Pure: a request in, its parts and a count out. The parts keep the
// request's own strings (no copy) and are compared string by string: k6's
// interpreter hashes a prompt a character at a time for hundreds of µs,
// where comparing strings is native.

import { contentText } from '../protocols/message-content.ts';
import type { ChatMessage, GenerationRequest } from '../protocols/protocol.ts';

/** What of a request is its prompt. */
export type PromptPart = Pick<GenerationRequest, 'messages' | 'inputs'>;

/**
 * The prompt as a list to compare (samePrompt): the message count, each
 * message's role and what it says (its text as it is; tool calls, a tool
 * result's call id and content parts joined into one string, an image by
 * its length and its last 64 characters: comparing megabytes per request
 * would cost a VU more than the request; synthetic images differ in their
 * last row), then the inputs.
 */
export function promptParts(request: PromptPart): unknown[] {
  const parts: unknown[] = [request.messages.length];
  for (const m of request.messages) parts.push(m.role, messageKey(m));
  const inputs = request.inputs;
  if (inputs) for (let i = 0; i < inputs.length; i++) parts.push(inputs[i]);
  return parts;
}

/** True when two prompts' parts (promptParts) are equal, part by part. */
export function samePrompt(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
