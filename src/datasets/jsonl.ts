// User datasets: JSONL, one request per line, either {"prompt": "..."} or
// {"messages": [{"role": "user", "content": "..."}, ...]} (OpenAI chat
// form). Pure parsing with errors that name the file and line; the k6 shell
// reads the file with open() in the init context.

import { ConfigError, quote } from '../errors.ts';
import type { ChatMessage } from '../protocols/protocol.ts';

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
  const lines = text.split('\n');
  const shape = '{"prompt": "text"} or {"messages": [{"role": "user", "content": "text"}]}';
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const n = i + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw lineError(source, n, `one JSON object per line, ${shape}`, line.length > 80 ? `${line.slice(0, 80)}…` : line);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw lineError(source, n, shape, parsed);
    const r = parsed as Record<string, unknown>;
    if (r.prompt !== undefined) {
      if (typeof r.prompt !== 'string' || r.prompt === '') throw lineError(source, n, '"prompt": a non-empty string', r.prompt);
      items.push({ messages: [{ role: 'user', content: r.prompt }] });
      continue;
    }
    if (!Array.isArray(r.messages) || r.messages.length === 0) throw lineError(source, n, shape, parsed);
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
