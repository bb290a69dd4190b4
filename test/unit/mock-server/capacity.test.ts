// The mock's capacity model (continuous batching): the batch-size clock on
// its own; then on a fake clock without sockets, where every time is exact:
// requests beyond the slots queue and their TTFT includes the wait, prefill
// grows with prompt length, decode slows with the batch, 429 past
// --max-concurrent, a client that leaves frees its slot or queue place, and
// with the model off nothing queues; then the same admission over real HTTP,
// on a clock that stands still so every request is in before any ends.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CapacityModel, type CapacitySettings } from '../../../tools/mock-server/capacity.ts';
import { DEFAULT_MOCK_CONFIG, type MockConfig } from '../../../tools/mock-server/config.ts';
import { createMockServer, type MockServer } from '../../../tools/mock-server/server.ts';
import { FakeClock, until } from './fake-clock.ts';
import { fakeMock, type RecordingResponse } from './fake-exchange.ts';

const servers: MockServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const CHAT = '/v1/chat/completions';

function chat(content = 'hi'): unknown {
  return { model: 'm', stream: true, messages: [{ role: 'user', content }] };
}

/** When the first content chunk was written (clock ms), or null. */
function firstToken(res: RecordingResponse): number | null {
  return res.writes.find((w) => w.text.includes('"content":" tok'))?.at ?? null;
}

/** When the last write went out (clock ms). */
function end(res: RecordingResponse): number {
  return res.writes.at(-1)!.at;
}

describe('BatchClock', () => {
  const settings: CapacitySettings = { slots: 4, batchSlowdown: 0.5, maxConcurrent: 0, ttftMs: 100, itlMs: 10 };

  it('first token after wait + ttft + prefill; decode steps slow with the running batch', () => {
    const model = new CapacityModel(() => settings, () => 0);
    const clock = model.clock(40, 10); // waited 40 ms, 10 ms of prefill
    model.running = 1;
    assert.equal(clock.next(), 40 + 100 + 10);
    assert.equal(clock.next(), 150 + 10); // alone: no slowdown
    model.running = 3;
    assert.equal(clock.next(), 160 + 10 * (1 + 0.5 * 2));
  });
});

describe('capacity model on a fake clock', () => {
  it('is off by default: no queue, every TTFT is ttft, no capacity stats', () => {
    const mock = fakeMock({ ttftMs: 30, itlMs: 2, outputTokens: 4, keepaliveEvery: 0 });
    const answers = [1, 2, 3, 4].map(() => mock.post(CHAT, chat()));
    mock.clock.runAll();
    assert.deepEqual(answers.map(firstToken), [30, 30, 30, 30]);
    assert.equal(mock.stats().capacity, undefined);
    mock.close();
  });

  it('queues requests beyond the slots: their TTFT includes the wait for a whole request', () => {
    // 2 slots, 4 requests: each takes 40 + 9 × 10 = 130 ms; the last two start when the first two end.
    const mock = fakeMock({ slots: 2, ttftMs: 40, itlMs: 10, outputTokens: 10, keepaliveEvery: 0 });
    const answers = [1, 2, 3, 4].map(() => mock.post(CHAT, chat()));
    assert.deepEqual(mock.stats().capacity, { running: 2, waiting: 2, maxWaiting: 2, admitted: 2, rejected: 0 });
    assert.deepEqual(answers.map((r) => r.headersAt), [0, 0, null, null], 'a queued request gets no answer yet');
    mock.clock.runAll();
    assert.deepEqual(answers.map(firstToken), [40, 40, 130 + 40, 130 + 40]);
    assert.deepEqual(answers.map(end), [130, 130, 260, 260]);
    assert.deepEqual(mock.stats().capacity, { running: 0, waiting: 0, maxWaiting: 2, admitted: 4, rejected: 0 });
    mock.close();
  });

  it('adds prefill for every prompt token to the TTFT', () => {
    const mock = fakeMock({ slots: 4, ttftMs: 10, itlMs: 1, outputTokens: 2, prefillMsPerToken: 1, keepaliveEvery: 0 });
    const short = mock.post(CHAT, chat('x')); // 1 prompt token
    const long = mock.post(CHAT, chat('x'.repeat(800))); // 200 prompt tokens
    mock.clock.runAll();
    assert.equal(firstToken(short), 10 + 1);
    assert.equal(firstToken(long), 10 + 200);
    mock.close();
  });

  it('slows decode as the batch grows', () => {
    const mock = fakeMock({ slots: 8, ttftMs: 5, itlMs: 10, outputTokens: 11, batchSlowdown: 0.5, keepaliveEvery: 0 });
    const alone = mock.post(CHAT, chat());
    mock.clock.runAll();
    const batch = [1, 2, 3, 4].map(() => mock.post(CHAT, chat()));
    mock.clock.runAll();
    // Alone: 10 steps of 10 ms. Four at once: steps of 10 × (1 + 0.5 × 3) = 25 ms.
    assert.equal(end(alone) - firstToken(alone)!, 100);
    assert.deepEqual(batch.map((r) => end(r) - firstToken(r)!), [250, 250, 250, 250]);
    mock.close();
  });

  it('refuses with 429 past --max-concurrent, at once', () => {
    const mock = fakeMock({ slots: 1, maxConcurrent: 2, ttftMs: 50, itlMs: 5, outputTokens: 4, keepaliveEvery: 0 });
    const answers = [1, 2, 3].map(() => mock.post(CHAT, chat()));
    assert.equal(answers[2]!.statusCode, 429);
    assert.equal(answers[2]!.headersAt, 0);
    mock.clock.runAll();
    assert.deepEqual(answers.map((r) => r.statusCode), [200, 200, 429]);
    assert.equal(mock.stats().capacity!.rejected, 1);
    mock.close();
  });

  it('a client that leaves frees its slot and its queue place', () => {
    const mock = fakeMock({ slots: 1, ttftMs: 20, itlMs: 20, outputTokens: 50, keepaliveEvery: 0 });
    const first = mock.post(CHAT, chat('a'));
    mock.clock.advanceTo(30);
    const queued = mock.post(CHAT, chat('b'));
    mock.clock.advanceTo(60);
    const capacity = (): unknown => ({ running: mock.stats().capacity!.running, waiting: mock.stats().capacity!.waiting });
    assert.deepEqual(capacity(), { running: 1, waiting: 1 });
    queued.destroy();
    assert.deepEqual(capacity(), { running: 1, waiting: 0 });
    mock.clock.advanceTo(90);
    first.destroy();
    assert.deepEqual(capacity(), { running: 0, waiting: 0 });
    assert.equal(queued.headersAt, null, 'the request that left was never started');
    const next = mock.post(CHAT, chat());
    mock.clock.runAll();
    assert.equal(firstToken(next), 90 + 20, 'the slot is free again: no wait');
    mock.close();
  });
});

describe('capacity model over HTTP', () => {
  async function start(clock: FakeClock, overrides: Partial<MockConfig>): Promise<{ server: MockServer; url: string }> {
    const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, quiet: true, keepaliveEvery: 0, ...overrides }, { clock });
    servers.push(server);
    const { url } = await server.listen();
    return { server, url };
  }

  async function send(url: string, content = 'hi', signal?: AbortSignal): Promise<{ status: number; tokens: number }> {
    const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(chat(content)), signal });
    const text = await res.text();
    return { status: res.status, tokens: text.split('"content":" tok').length - 1 };
  }

  it('queues the requests beyond the slots and serves them all', async () => {
    const clock = new FakeClock();
    const { server, url } = await start(clock, { slots: 2, ttftMs: 40, itlMs: 10, outputTokens: 10 });
    const answers = Promise.all([1, 2, 3, 4].map(() => send(url)));
    // The clock stands still: no request can end before all four are in.
    await until(() => server.stats().capacity!.waiting === 2, 'two requests queued');
    assert.equal(server.stats().capacity!.running, 2);
    assert.deepEqual(await clock.runUntil(answers), Array(4).fill({ status: 200, tokens: 10 }));
    await until(() => server.stats().capacity!.running === 0, 'every slot freed');
    assert.deepEqual(server.stats().capacity, { running: 0, waiting: 0, maxWaiting: 2, admitted: 4, rejected: 0 });
  });

  it('refuses with 429 past --max-concurrent', async () => {
    const clock = new FakeClock();
    const { server, url } = await start(clock, { slots: 1, maxConcurrent: 2, ttftMs: 50, itlMs: 5, outputTokens: 4 });
    const answers = Promise.all([1, 2, 3].map(() => send(url)));
    await until(() => server.stats().capacity!.rejected === 1, 'the third request refused');
    const statuses = (await clock.runUntil(answers)).map((a) => a.status);
    assert.deepEqual(statuses.sort(), [200, 200, 429]);
  });

  it('a client that leaves frees its slot and its queue place', async () => {
    const clock = new FakeClock();
    const { server, url } = await start(clock, { slots: 1, ttftMs: 20, itlMs: 20, outputTokens: 50 });
    const capacity = (): unknown => ({ running: server.stats().capacity!.running, waiting: server.stats().capacity!.waiting });
    const first = new AbortController();
    const queued = new AbortController();
    const a = send(url, 'a', first.signal).catch(() => null);
    await until(() => server.stats().capacity!.running === 1, 'the first request runs');
    const b = send(url, 'b', queued.signal).catch(() => null);
    await until(() => server.stats().capacity!.waiting === 1, 'the second request waits');
    queued.abort();
    await b;
    await until(() => server.stats().capacity!.waiting === 0, 'the queue place freed');
    assert.deepEqual(capacity(), { running: 1, waiting: 0 });
    first.abort();
    await a;
    await until(() => server.stats().capacity!.running === 0, 'the slot freed');
    assert.deepEqual(await clock.runUntil(send(url)), { status: 200, tokens: 50 });
  });
});
