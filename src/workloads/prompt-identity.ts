// What the summary's prompt warnings need to know about each request's
// prompt: whether it is the one its VU just sent (a server's prompt cache —
// llama.cpp keeps the KV cache of its last prompt — would skip its prefill),
// and how many characters it held (to tell a prompt the server lost from one
// it read). The prompt is the messages, or an embedding request's inputs.
// Pure: a request in, a key and a count out.

import type { GenerationRequest } from '../protocols/protocol.ts';
import { hashString } from '../random.ts';

/** What of a request is its prompt. */
export type PromptPart = Pick<GenerationRequest, 'messages' | 'inputs'>;

/** A 32-bit key of the prompt (roles and contents in order, then inputs): equal prompts, equal keys. */
export function promptKey(request: PromptPart): number {
  let text = '';
  for (const m of request.messages) text += `${m.role}\u0000${m.content}\u0001`;
  for (const input of request.inputs ?? []) text += `\u0002${input}`;
  return hashString(text);
}

/** Characters of prompt sent: message contents and inputs (roles and framing not counted). */
export function promptChars(request: PromptPart): number {
  let n = 0;
  for (const m of request.messages) n += typeof m.content === 'string' ? m.content.length : 0;
  for (const input of request.inputs ?? []) n += input.length;
  return n;
}
