// Test helpers for the mock's protocol routes: start a fast mock (on a fake
// clock when a test needs time to stand still), POST a body and read the
// answer raw, split into SSE events (comments kept apart). When each event is
// sent is checked on a fake clock without sockets (fake-exchange.ts).

import { after } from 'node:test';
import { DEFAULT_MOCK_CONFIG, type MockConfig } from '../../../tools/mock-server/config.ts';
import { createMockServer, type MockServer } from '../../../tools/mock-server/server.ts';
import type { FakeClock } from './fake-clock.ts';

const servers: MockServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Starts a mock with fast defaults (on `clock` when given); returns it and its root URL (no /v1). */
export async function startMock(overrides: Partial<MockConfig> = {}, clock?: FakeClock): Promise<{ server: MockServer; root: string }> {
  const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, ttftMs: 5, itlMs: 1, outputTokens: 8, keepaliveEvery: 0, quiet: true, ...overrides }, { clock });
  servers.push(server);
  const { url } = await server.listen();
  return { server, root: url.replace(/\/v1$/, '') };
}

/** One SSE event: its `event:` name (or null), its data (joined lines), or a comment. */
export interface Event {
  event: string | null;
  data: string;
  comment: boolean;
}

/** An answer read raw. */
export interface Answer {
  status: number;
  headers: Headers;
  raw: string;
  events: Event[];
}

/** Parses one SSE event block (lines without their final blank line). */
function parseBlock(block: string): Event {
  let event: string | null = null;
  const data: string[] = [];
  let comment = true;
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    comment = false;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { event, data: data.join('\n'), comment };
}

/** POSTs `body` (JSON) to root + path and reads the answer, split into SSE events. */
export async function post(root: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${root}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const events: Event[] = [];
  let raw = '';
  let pending = '';
  const decoder = new TextDecoder();
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(part, { stream: true });
    raw += text;
    pending += text;
    let cut: RegExpExecArray | null;
    while ((cut = /\r?\n\r?\n/.exec(pending)) !== null) {
      events.push(parseBlock(pending.slice(0, cut.index)));
      pending = pending.slice(cut.index + cut[0].length);
    }
  }
  return { status: res.status, headers: res.headers, raw, events };
}

/** The data of every non-comment event, parsed as JSON ('[DONE]' kept as a string). */
export function payloads(answer: Answer): unknown[] {
  return answer.events.filter((e) => !e.comment).map((e) => (e.data === '[DONE]' ? e.data : JSON.parse(e.data)));
}
