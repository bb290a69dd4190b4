// What the adapters share about the neutral messages beyond plain text: a
// user turn's text and images, a data URI's media type and base64 data, and
// the check every request's messages pass before they are sent (their
// shapes, and whether the protocol can carry their images and tool turns),
// so a misuse stops in one line instead of reaching the server. Pure.

import { ConfigError, quote } from '../errors.ts';
import type { ChatMessage, ContentPart, ImagePart } from './protocol.ts';

/** A user turn's text: the string itself, or its text parts joined by newlines (images left out). */
export function contentText(content: string | readonly ContentPart[]): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) if (part.type === 'text') text += text === '' ? part.text : `\n${part.text}`;
  return text;
}

/** The image parts of a message (none for system, assistant and tool messages, or a plain-text user turn). */
export function imagesOf(message: ChatMessage): ImagePart[] {
  if (message.role !== 'user' || typeof message.content === 'string') return [];
  return message.content.filter((p): p is ImagePart => p.type === 'image');
}

/** A base64 data URI's parts. */
export interface DataUri {
  /** e.g. image/png. */
  mediaType: string;
  /** The base64 data after the comma. */
  data: string;
}

const DATA_URI_HEAD = /^data:([a-z]+\/[a-z0-9.+-]+);base64,/i;

/** The media type and base64 data of `data:<type>;base64,<data>`; null for anything else (an http(s) URL). */
export function dataUri(url: string): DataUri | null {
  // Only the head is matched: the data may be megabytes.
  const head = DATA_URI_HEAD.exec(url.slice(0, 100));
  return head ? { mediaType: (head[1] as string).toLowerCase(), data: url.slice(head[0].length) } : null;
}

/** True for an image reference a request can carry: a base64 image data URI or an http(s) URL. */
export function isImageUrl(url: string): boolean {
  const uri = dataUri(url);
  return uri ? uri.mediaType.startsWith('image/') : /^https?:\/\/\S+$/.test(url.slice(0, 2048));
}

/** A long value cut for an error message (an image's data URI may be megabytes). */
export function shortForError(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
}

/** What a request's messages need of the protocol: image parts, tool turns. */
export interface MessageNeeds {
  images: number;
  toolTurns: boolean;
}

/** Counts the images and tool turns (assistant tool calls, tool results) of `messages`. */
export function messageNeeds(messages: readonly ChatMessage[]): MessageNeeds {
  let images = 0;
  let toolTurns = false;
  // Indexed: k6's interpreter walks for-of through the iterator protocol, and every request counts its history.
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as ChatMessage;
    if (m.role === 'tool' || (m.role === 'assistant' && m.toolCalls !== undefined && m.toolCalls.length > 0)) toolTurns = true;
    else if (m.role === 'user' && typeof m.content !== 'string') for (const p of m.content) if (p.type === 'image') images++;
  }
  return { images, toolTurns };
}

function bad(where: string, expected: string, got: unknown): ConfigError {
  const shown = typeof got === 'string' ? quote(shortForError(got)) : quote(got);
  return new ConfigError('invalid-value', 'messages', `invalid ${where}; expected ${expected}, got ${shown}`);
}

/**
 * Checks the shape of every message (scripts in JavaScript are not held to
 * the types): throws a ConfigError naming the first bad one, e.g.
 * `invalid messages[2].toolCalls[0].id; expected the call's id (a string), got null`.
 */
export function checkMessages(messages: readonly unknown[]): void {
  if (!Array.isArray(messages)) throw bad('messages', 'a list of messages', messages);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Record<string, unknown> | null;
    // The usual message, plain text, passes without a name built for it (every request checks its history, in k6's interpreter).
    if (typeof m === 'object' && m !== null && typeof m.content === 'string' && (m.role === 'system' || m.role === 'user' || (m.role === 'assistant' && m.toolCalls === undefined))) continue;
    checkMessage(m, i);
  }
}

/** Checks one message that is not plain text (or not a message). */
function checkMessage(value: unknown, i: number): void {
  const at = `messages[${i}]`;
  const m = value as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null) throw bad(at, 'a message such as {"role": "user", "content": "text"}', value);
  switch (m.role) {
    case 'system':
      if (typeof m.content !== 'string') throw bad(`${at}.content`, 'a string (system text)', m.content);
      return;
    case 'user':
      if (typeof m.content === 'string') return;
      if (!Array.isArray(m.content)) throw bad(`${at}.content`, 'a string or a list of text and image parts', m.content);
      m.content.forEach((p: unknown, j: number) => checkPart(p, `${at}.content[${j}]`));
      return;
    case 'assistant':
      if (typeof m.content !== 'string') throw bad(`${at}.content`, "a string (the answer's text, '' when it only called tools)", m.content);
      if (m.toolCalls === undefined) return;
      if (!Array.isArray(m.toolCalls)) throw bad(`${at}.toolCalls`, 'a list of tool calls {id, name, arguments}', m.toolCalls);
      m.toolCalls.forEach((c: unknown, j: number) => {
        const call = c as Record<string, unknown> | null;
        const where = `${at}.toolCalls[${j}]`;
        if (typeof call !== 'object' || call === null) throw bad(where, 'a tool call {id, name, arguments}', c);
        if (typeof call.id !== 'string' || call.id === '') throw bad(`${where}.id`, "the call's id (a string), which the tool's result names", call.id);
        if (typeof call.name !== 'string' || call.name === '') throw bad(`${where}.name`, "the called tool's name", call.name);
        if (typeof call.arguments !== 'string') throw bad(`${where}.arguments`, 'the arguments as JSON text', call.arguments);
      });
      return;
    case 'tool':
      if (typeof m.toolCallId !== 'string' || m.toolCallId === '') throw bad(`${at}.toolCallId`, 'the id of the tool call this result answers', m.toolCallId);
      if (typeof m.content !== 'string') throw bad(`${at}.content`, "the tool's result as text", m.content);
      return;
    default:
      throw bad(`${at}.role`, 'system, user, assistant or tool', m.role);
  }
}

function checkPart(value: unknown, where: string): void {
  const p = value as Record<string, unknown> | null;
  if (typeof p !== 'object' || p === null) throw bad(where, '{"type": "text", "text": ...} or {"type": "image", "url": ...}', value);
  if (p.type === 'text') {
    if (typeof p.text !== 'string') throw bad(`${where}.text`, 'a string', p.text);
  } else if (p.type === 'image') {
    if (typeof p.url !== 'string' || !isImageUrl(p.url)) throw bad(`${where}.url`, 'a base64 image data URI (data:image/png;base64,...) or an http(s) URL', p.url);
  } else {
    throw bad(`${where}.type`, 'text or image', p.type);
  }
}
