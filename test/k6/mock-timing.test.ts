// The mock's schedule in real time, over real sockets and Node's timers:
// what the fake-clock unit tests (test/unit/mock-server/schedule.test.ts)
// cannot show, that the production clock sends on time, never early, with a
// small lateness. Wall-clock bounds (loose), so it runs here, one file at a
// time, and not among the parallel unit tests.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MOCK_CONFIG, type MockConfig } from '../../tools/mock-server/config.ts';
import { createMockServer, type MockServer, type MockStats } from '../../tools/mock-server/server.ts';

const servers: MockServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(overrides: Partial<MockConfig> = {}): Promise<{ url: string; root: string }> {
  const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, ttftMs: 5, itlMs: 1, outputTokens: 8, quiet: true, ...overrides });
  servers.push(server);
  const { url } = await server.listen();
  return { url, root: url.replace(/\/v1$/, '') };
}

interface SseEvent {
  /** ms from just before the request was sent to when the event was complete. */
  at: number;
  text: string;
}

const USER = [{ role: 'user', content: 'Say something, please.' }]; // 22 chars -> 6 prompt tokens

function chatBody(): string {
  return JSON.stringify({ model: 'test-model', messages: USER, stream: true });
}

/** Reads a streaming response raw, splitting events on blank lines and timing each one. */
async function stream(url: string, body: string): Promise<{ events: SseEvent[] }> {
  const started = performance.now();
  const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const events: SseEvent[] = [];
  let pending = '';
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const at = performance.now() - started;
    pending += decoder.decode(value, { stream: true });
    let match: RegExpExecArray | null;
    while ((match = /\r?\n\r?\n/.exec(pending)) !== null) {
      events.push({ at, text: pending.slice(0, match.index) });
      pending = pending.slice(match.index + match[0].length);
    }
  }
  assert.equal(pending, '', 'stream ended mid-event');
  return { events };
}

function contentEvents(events: SseEvent[]): SseEvent[] {
  return events.filter((e) => {
    if (!e.text.startsWith('data: {')) return false;
    const content = (JSON.parse(e.text.slice('data: '.length)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content;
    return typeof content === 'string' && content !== '';
  });
}

async function getStats(root: string): Promise<MockStats> {
  return (await (await fetch(`${root}/mock/stats`)).json()) as MockStats;
}

describe('mock server timing', () => {
  it('sends the first content at ttft and the last at ttft + (n-1) * itl (loose bounds)', async () => {
    const { url, root } = await start({ ttftMs: 100, itlMs: 10, outputTokens: 20, keepaliveEvery: 0 });
    const result = await stream(url, chatBody());
    const contents = contentEvents(result.events);
    assert.equal(contents.length, 20);
    const first = contents[0]!.at;
    const last = contents.at(-1)!.at;
    assert.ok(first >= 95 && first <= 250, `first content at ${first.toFixed(1)} ms, expected ~100`);
    assert.ok(last >= 280 && last <= 600, `last content at ${last.toFixed(1)} ms, expected ~290`);
    // The role chunk is sent before the schedule starts, not with the first token.
    assert.ok(result.events[0]!.at < first, 'role chunk arrives before the first content');

    const stats = await getStats(root);
    assert.equal(stats.lateness.count, 20);
    assert.ok(stats.lateness.p50 >= 0 && stats.lateness.p50 <= stats.lateness.p99);
    assert.ok(stats.lateness.p99 <= stats.lateness.max + 1e-9);
    assert.ok(stats.lateness.max < 200, `max lateness ${stats.lateness.max} ms`);
  });

  it('waits ttft + (n-1) * itl before a non-streaming response', async () => {
    const { url } = await start({ ttftMs: 50, itlMs: 10, outputTokens: 6 });
    const started = performance.now();
    const res = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: USER }),
    });
    const body = (await res.json()) as {
      object: string;
      model: string;
      choices: Array<{ index: number; message: { role: string; content: string }; finish_reason: string }>;
      usage: unknown;
    };
    const elapsed = performance.now() - started;
    assert.equal(res.status, 200);
    assert.ok(elapsed >= 95 && elapsed <= 500, `response after ${elapsed.toFixed(1)} ms, expected ~100`);
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'm');
    assert.deepEqual(body.choices, [
      { index: 0, message: { role: 'assistant', content: ' tok0 tok1 tok2 tok3 tok4 tok5' }, finish_reason: 'stop' },
    ]);
    assert.deepEqual(body.usage, { prompt_tokens: 6, completion_tokens: 6, total_tokens: 12 });
  });
});
