// Prompt datasets (LLM_DATASET): JSONL, one request per line, either {"prompt": "..."} or
// {"messages": [{"role": "user", "content": "..."}, ...]} (OpenAI chat
// form). Pure parsing with errors that name the file and line; the k6 shell
// reads the file with open() in the init context.

import { ConfigError, quote } from '../errors.ts';
import type { ChatMessage } from '../protocols/protocol.ts';
import { jsonObjectLines } from './json-object-lines.ts';

/** One dataset entry: the messages of a request (the last is the user turn). */
export interface DatasetItem {
  messages: ChatMessage[];
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
    if (r.prompt !== undefined) {
      if (typeof r.prompt !== 'string' || r.prompt === '') throw lineError(source, n, '"prompt": a non-empty string', r.prompt);
      items.push({ messages: [{ role: 'user', content: r.prompt }] });
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
    items.push({ messages });
  }
  if (items.length === 0) throw new ConfigError('invalid-value', 'LLM_DATASET', `invalid dataset ${source}; expected at least one line, got none`);
  return items;
}
