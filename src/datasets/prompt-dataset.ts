// Prompt datasets (LLM_DATASET): JSONL, one request per line, either {"prompt": "..."} or
// {"messages": [{"role": "user", "content": "..."}, ...]} (OpenAI chat
// form, a user turn's content a string or text and image_url parts),
// optionally with "tools" (src/datasets/tool-specs.ts) and "images" (files or
// URLs the last user turn carries). Pure parsing with errors that name the
// file and line; the k6 shell reads the file with open() in the init
// context, and the image files a line names (resolveImageFiles).

import { ConfigError, quote } from '../errors.ts';
import { isImageUrl, shortForError } from '../protocols/message-content.ts';
import type { ChatMessage, ContentPart, ImagePart, ToolSpec } from '../protocols/protocol.ts';
import { PROTOCOLS } from '../protocols/index.ts';
import { parseTools } from './tool-specs.ts';
import { jsonObjectLines } from './json-object-lines.ts';

/** One dataset entry: the messages of a request (the last is the user turn), and the tools it offers. */
export interface DatasetItem {
  /** The line's chat history; the last message is the user turn. */
  messages: ChatMessage[];
  /** The line's `tools` (any shape parseTools reads); absent: LLM_TOOLS, if given. */
  tools?: ToolSpec[];
}

function lineError(source: string, line: number, expected: string, got: unknown): ConfigError {
  const shown = typeof got === 'string' ? shortForError(got) : got;
  return new ConfigError('invalid-value', 'LLM_DATASET', `invalid dataset ${source} at line ${line}; expected ${expected}, got ${quote(shown)}`);
}

const MESSAGE_SHAPE = '{"role": "system"|"user"|"assistant", "content": "text"} (a user turn\'s content may be a list of {"type": "text", "text"} and {"type": "image_url", "image_url": {"url"}} parts)';

/**
 * Parses a JSONL dataset; blank lines are skipped. An image is a data URI,
 * an http(s) URL, or a file path (read later by resolveImageFiles; until
 * then its ImagePart's url is the path as written).
 */
export function parseDataset(text: string, source: string): DatasetItem[] {
  const items: DatasetItem[] = [];
  const shape = '{"prompt": "text"} or {"messages": [{"role": "user", "content": "text"}]}, optionally with "images": ["file.png", "https://..."]';
  for (const { line: n, value: r } of jsonObjectLines(text, shape, (line, expected, got) => lineError(source, line, expected, got))) {
    const fail = (expected: string, got: unknown): ConfigError => lineError(source, n, expected, got);
    const tools = r.tools === undefined ? {} : { tools: parseTools(r.tools, 'LLM_DATASET', `dataset ${source} at line ${n}: "tools"`) };
    const images = r.images === undefined ? [] : imageList(r.images, fail);
    let messages: ChatMessage[];
    if (r.prompt !== undefined) {
      if (typeof r.prompt !== 'string' || r.prompt === '') throw fail('"prompt": a non-empty string', r.prompt);
      messages = [{ role: 'user', content: r.prompt }];
    } else {
      if (!Array.isArray(r.messages) || r.messages.length === 0) throw fail(shape, r);
      messages = r.messages.map((m: unknown, j: number) => datasetMessage(m, j, fail));
    }
    const last = messages[messages.length - 1] as ChatMessage;
    if (last.role !== 'user') throw fail('the last message to be the user turn', last.role);
    if (images.length > 0) {
      const parts: ContentPart[] = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
      messages[messages.length - 1] = { role: 'user', content: [...parts, ...images] };
    }
    items.push({ messages, ...tools });
  }
  if (items.length === 0) throw new ConfigError('invalid-value', 'LLM_DATASET', `invalid dataset ${source}; expected at least one line, got none`);
  return items;
}

function datasetMessage(m: unknown, j: number, fail: (expected: string, got: unknown) => ConfigError): ChatMessage {
  const msg = m as Record<string, unknown> | null;
  if (typeof msg !== 'object' || msg === null) throw fail(`messages[${j}] as ${MESSAGE_SHAPE}`, m);
  const { role, content } = msg;
  if ((role === 'system' || role === 'assistant') && typeof content === 'string') return { role, content };
  if (role === 'user' && typeof content === 'string') return { role, content };
  if (role === 'user' && Array.isArray(content) && content.length > 0) {
    return { role, content: content.map((p: unknown, k: number) => datasetPart(p, `messages[${j}].content[${k}]`, fail)) };
  }
  throw fail(`messages[${j}] as ${MESSAGE_SHAPE}`, m);
}

/** A content part in OpenAI's chat form ({"type": "image_url", "image_url": {"url"}} or a bare url string) or the neutral one ({"type": "image", "url"}). */
function datasetPart(value: unknown, where: string, fail: (expected: string, got: unknown) => ConfigError): ContentPart {
  const p = value as Record<string, unknown> | null;
  if (typeof p === 'object' && p !== null) {
    if (p.type === 'text' && typeof p.text === 'string') return { type: 'text', text: p.text };
    const url = p.type === 'image_url' ? (typeof p.image_url === 'string' ? p.image_url : (p.image_url as { url?: unknown } | null)?.url) : p.type === 'image' ? p.url : undefined;
    if (typeof url === 'string') return imageRef(url, `${where}: an image`, fail);
  }
  throw fail(`${where} as {"type": "text", "text": "..."} or {"type": "image_url", "image_url": {"url": "..."}}`, value);
}

function imageList(value: unknown, fail: (expected: string, got: unknown) => ConfigError): ImagePart[] {
  if (!Array.isArray(value) || value.length === 0) throw fail('"images": a list of image files or URLs', value);
  return value.map((v: unknown, i: number) => {
    if (typeof v !== 'string') throw fail(`"images"[${i}]: an image file or URL`, v);
    return imageRef(v, `"images"[${i}]`, fail);
  });
}

/** An image reference as written: a data URI or http(s) URL as it is, anything else a file path (resolveImageFiles reads it). */
function imageRef(ref: string, where: string, fail: (expected: string, got: unknown) => ConfigError): ImagePart {
  const trimmed = ref.trim();
  if (trimmed === '') throw fail(`${where}: an image file, a data URI or an http(s) URL`, ref);
  if ((trimmed.startsWith('data:') || /^https?:/i.test(trimmed)) && !isImageUrl(trimmed)) {
    throw fail(`${where}: a base64 image data URI (data:image/png;base64,...) or an http(s) URL`, ref);
  }
  return { type: 'image', url: trimmed };
}

/** True for an image reference that names a file (neither a data URI nor an http(s) URL). */
export function isImageFile(url: string): boolean {
  return !url.startsWith('data:') && !/^https?:/i.test(url);
}

/** What an image file's first bytes say it is; null for a format servers do not take. */
export function imageMediaType(bytes: Uint8Array): string | null {
  const at = (i: number): number => bytes[i] ?? -1;
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return 'image/png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46) return 'image/gif';
  if (at(0) === 0x52 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x46 && at(8) === 0x57 && at(9) === 0x45 && at(10) === 0x42 && at(11) === 0x50) return 'image/webp';
  return null;
}

/**
 * The items with every image file they name read into a data URI: a
 * relative path counts from the dataset's folder. `read` gives a file's
 * bytes (k6's open(path, 'b') in the shell) and throws when it cannot;
 * `base64` encodes them. A file read once serves every line naming it.
 */
export function resolveImageFiles(items: DatasetItem[], source: string, read: (path: string) => Uint8Array, base64: (bytes: Uint8Array) => string): DatasetItem[] {
  const folder = source.includes('/') ? source.slice(0, source.lastIndexOf('/') + 1) : '';
  const done = new Map<string, string>();
  const fail = (entry: number, expected: string, got: string): ConfigError =>
    new ConfigError('invalid-value', 'LLM_DATASET', `invalid dataset ${source} at entry ${entry} (blank lines not counted); expected ${expected}, got ${quote(got)}`);
  const resolve = (ref: string, entry: number): string => {
    const path = ref.startsWith('/') ? ref : folder + ref;
    let uri = done.get(path);
    if (uri === undefined) {
      let bytes: Uint8Array;
      try {
        bytes = read(path);
      } catch (err) {
        throw fail(entry, "a readable image file (a relative path counts from the dataset's folder)", `${path} (${String((err as Error).message ?? err).split('\n')[0]})`);
      }
      const type = imageMediaType(bytes);
      if (type === null) throw fail(entry, 'a PNG, JPEG, GIF or WebP image file', path);
      uri = `data:${type};base64,${base64(bytes)}`;
      done.set(path, uri);
    }
    return uri;
  };
  return items.map((item, i) => {
    const messages = item.messages.map((m) => {
      if (m.role !== 'user' || typeof m.content === 'string' || !m.content.some((p) => p.type === 'image' && isImageFile(p.url))) return m;
      return { role: 'user' as const, content: m.content.map((p) => (p.type === 'image' && isImageFile(p.url) ? { type: 'image' as const, url: resolve(p.url, i + 1) } : p)) };
    });
    return { ...item, messages };
  });
}

/** items as they are, or a ConfigError when a line carries images and `protocol` takes none. */
export function refuseDatasetImages(items: DatasetItem[], source: string, protocol: string): DatasetItem[] {
  const at = items.findIndex((item) => item.messages.some((m) => m.role === 'user' && typeof m.content !== 'string' && m.content.some((p) => p.type === 'image')));
  if (at >= 0 && PROTOCOLS[protocol]?.supportsImages !== true) {
    throw new ConfigError(
      'invalid-value',
      'LLM_DATASET',
      `invalid dataset ${source} for LLM_PROTOCOL=${protocol}; expected no images (${protocol} takes none), got images on entry ${at + 1} (blank lines not counted): drop them or use openai-chat, anthropic-messages or openai-responses`,
    );
  }
  return items;
}

/** items as they are, or a ConfigError when a line offers tools and `protocol` takes none (the tools would be dropped). */
export function refuseDatasetTools(items: DatasetItem[], source: string, protocol: string): DatasetItem[] {
  const at = items.findIndex((item) => item.tools !== undefined);
  if (at >= 0 && PROTOCOLS[protocol]?.supportsTools !== true) {
    throw new ConfigError(
      'invalid-value',
      'LLM_DATASET',
      `invalid dataset ${source} for LLM_PROTOCOL=${protocol}; expected no "tools" (${protocol} takes none), got tools on entry ${at + 1} (blank lines not counted): drop them or use a protocol that takes tools`,
    );
  }
  return items;
}
