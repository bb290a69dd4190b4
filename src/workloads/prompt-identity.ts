// What the summary's prompt warnings need to know about each request's
// prompt: whether it is the one its VU just sent (a server's prompt cache —
// llama.cpp keeps the KV cache of its last prompt — would skip its prefill),
// and how many characters it held (to tell a prompt the server lost from one
// it read). The prompt is the messages, or an embedding request's inputs.
// Pure: a request in, its parts and a count out. The parts keep the
// request's own strings (no copy) and are compared string by string: k6's
// interpreter hashes a prompt a character at a time for hundreds of µs,
// where comparing strings is native.

import type { GenerationRequest } from '../protocols/protocol.ts';

/** What of a request is its prompt. */
export type PromptPart = Pick<GenerationRequest, 'messages' | 'inputs'>;

/** The prompt as a list to compare (samePrompt): the message count, each message's role and content in order, then the inputs. */
export function promptParts(request: PromptPart): unknown[] {
  const parts: unknown[] = [request.messages.length];
  for (const m of request.messages) parts.push(m.role, m.content);
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

/** Characters of prompt sent: message contents and inputs (roles and framing not counted). */
export function promptChars(request: PromptPart): number {
  let n = 0;
  for (const m of request.messages) n += typeof m.content === 'string' ? m.content.length : 0;
  for (const input of request.inputs ?? []) n += input.length;
  return n;
}
