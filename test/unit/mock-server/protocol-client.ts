// Test helpers for the mock's protocol routes: start a fast mock, POST a
// body and read the answer raw, split into SSE events (comments kept apart),
// each stamped with when it was complete; and the schedule check that every
// token event came no earlier than its due offset, all by about the same
// delay (so a token sent one ITL early or late shows).

import { after } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MOCK_CONFIG, type MockConfig } from '../../../tools/mock-server/config.ts';
import { createMockServer, type MockServer } from '../../../tools/mock-server/server.ts';

const servers: MockServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Starts a mock with fast defaults; returns it and its root URL (no /v1). */
export async function startMock(overrides: Partial<MockConfig> = {}): Promise<{ server: MockServer; root: string }> {
  const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, ttftMs: 5, itlMs: 1, outputTokens: 8, keepaliveEvery: 0, quiet: true, ...overrides });
  servers.push(server);
  const { url } = await server.listen();
  const root = url.replace(/\/v1$/, '');
  // The first fetch of a process sets up its client (and compiles it): done
  // here, so the timing of the first request a test makes is not the client's start-up.
  await (await fetch(`${root}/mock/config`)).text();
  return { server, root };
}

/** One SSE event: its `event:` name (or null), its data (joined lines), or a comment. */
export interface Event {
  /** ms from just before the request was sent to when the event was complete. */
  at: number;
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
function parseBlock(block: string, at: number): Event {
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
  return { at, event, data: data.join('\n'), comment };
}

/** POSTs `body` (JSON) to root + path and reads the answer, timing each SSE event. */
export async function post(root: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
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
    const at = performance.now() - started;
    let cut: RegExpExecArray | null;
    while ((cut = /\r?\n\r?\n/.exec(pending)) !== null) {
      events.push(parseBlock(pending.slice(0, cut.index), at));
      pending = pending.slice(cut.index + cut[0].length);
    }
  }
  return { status: res.status, headers: res.headers, raw, events };
}

/** The data of every non-comment event, parsed as JSON ('[DONE]' kept as a string). */
export function payloads(answer: Answer): unknown[] {
  return answer.events.filter((e) => !e.comment).map((e) => (e.data === '[DONE]' ? e.data : JSON.parse(e.data)));
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** How late each token event came after its last token's due offset ttft + i × itl (ms; the request's own travel included). */
export function delays(at: readonly number[], lastToken: readonly number[], ttftMs: number, itlMs: number): number[] {
  assert.equal(at.length, lastToken.length);
  return at.map((t, k) => t - (ttftMs + lastToken[k]! * itlMs));
}

/**
 * Checks token events against the schedule ttft + i × itl: none came before
 * its due offset (strict: the mock never sends early), and the typical one
 * within itl / 2 of the least delayed, so a schedule off by one token shows
 * while a stall of the shared machine that delays a few events does not.
 */
export function assertOnSchedule(at: readonly number[], lastToken: readonly number[], ttftMs: number, itlMs: number): void {
  const late = delays(at, lastToken, ttftMs, itlMs);
  for (const [k, delay] of late.entries()) assert.ok(delay >= 0, `token event ${k} came ${-delay} ms before it was due`);
  const typical = median(late) - Math.min(...late);
  assert.ok(typical < itlMs / 2, `token events off the schedule by ${typical.toFixed(1)} ms: delays ${late.map((d) => d.toFixed(1)).join(', ')} ms`);
}
