// Prompt datasets (LLM_DATASET): JSONL, one request per line, either {"prompt": "..."} or
// {"messages": [{"role": "user", "content": "..."}, ...]} (OpenAI chat
// form), optionally with "tools" (src/datasets/tool-specs.ts). Pure parsing
// with errors that name the file and line; the k6 shell reads the file with
// open() in the init context.

import { ConfigError, quote } from '../errors.ts';
import type { ChatMessage, ToolSpec } from '../protocols/protocol.ts';
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

const ROLES = ['system', 'user', 'assistant'];

function lineError(source: string, line: number, expected: string, got: unknown): ConfigError {
  return new ConfigError('invalid-value', 'LLM_DATASET', `invalid dataset ${source} at line ${line}; expected ${expected}, got ${quote(got)}`);
}

/** Parses a JSONL dataset; blank lines are skipped. */
export function parseDataset(text: string, source: string): DatasetItem[] {
  const items: DatasetItem[] = [];
  const shape = '{"prompt": "text"} or {"messages": [{"role": "user", "content": "text"}]}';
  for (const { line: n, value: r } of jsonObjectLines(text, shape, (line, expected, got) => lineError(source, line, expected, got))) {
    const tools = r.tools === undefined ? {} : { tools: parseTools(r.tools, 'LLM_DATASET', `dataset ${source} at line ${n}: "tools"`) };
    if (r.prompt !== undefined) {
      if (typeof r.prompt !== 'string' || r.prompt === '') throw lineError(source, n, '"prompt": a non-empty string', r.prompt);
      items.push({ messages: [{ role: 'user', content: r.prompt }], ...tools });
      continue;
    }
    if (!Array.isArray(r.messages) || r.messages.length === 0) throw lineError(source, n, shape, r);
    const messages: ChatMessage[] = [];
    r.messages.forEach((m: unknown, j: number) => {
      const msg = m as Record<string, unknown> | null;
      if (typeof msg !== 'object' || msg === null || !ROLES.includes(msg.role as string) || typeof msg.content !== 'string') {
        throw lineError(source, n, `messages[${j}] as {"role": "system"|"user"|"assistant", "content": "text"}`, m);
      }
      messages.push({ role: msg.role as ChatMessage['role'], content: msg.content });
    });
    if ((messages[messages.length - 1] as ChatMessage).role !== 'user') {
      throw lineError(source, n, 'the last message to be the user turn', (messages[messages.length - 1] as ChatMessage).role);
    }
    items.push({ messages, ...tools });
  }
  if (items.length === 0) throw new ConfigError('invalid-value', 'LLM_DATASET', `invalid dataset ${source}; expected at least one line, got none`);
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
