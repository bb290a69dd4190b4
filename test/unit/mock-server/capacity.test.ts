// The mock's capacity model (continuous batching): the batch-size clock on
// its own, then over real HTTP: requests beyond the slots queue and their
// TTFT includes the wait, prefill grows with prompt length, 429 past
// --max-concurrent, a client that leaves frees its slot or queue place, and
// with the model off nothing changes. Timing bounds are loose.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CapacityModel, type CapacitySettings } from '../../../tools/mock-server/capacity.ts';
import { DEFAULT_MOCK_CONFIG, type MockConfig } from '../../../tools/mock-server/config.ts';
import { createMockServer, type MockServer } from '../../../tools/mock-server/server.ts';

const servers: MockServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(overrides: Partial<MockConfig>): Promise<{ server: MockServer; url: string }> {
  const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, quiet: true, keepaliveEvery: 0, ...overrides });
  servers.push(server);
  const { url } = await server.listen();
  return { server, url };
}

/** Sends one streamed request; resolves with status, time to first content chunk and to the end (ms). */
async function timed(url: string, content = 'hi', signal?: AbortSignal): Promise<{ status: number; ttft: number | null; end: number }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content }] }),
    signal,
  });
  let ttft: number | null = null;
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (ttft === null && decoder.decode(value).includes('"content":" tok')) ttft = performance.now() - t0;
  }
  return { status: res.status, ttft, end: performance.now() - t0 };
}

describe('BatchClock', () => {
  const settings: CapacitySettings = { slots: 4, prefillMsPerToken: 2, batchSlowdown: 0.5, maxConcurrent: 0, ttftMs: 100, itlMs: 10 };

  it('first token after wait + ttft + prefill; decode steps slow with the running batch', () => {
    const model = new CapacityModel(() => settings);
    const clock = model.clock(40, 5); // waited 40 ms, 5 prompt tokens
    model.running = 1;
    assert.equal(clock.next(), 40 + 100 + 10);
    assert.equal(clock.next(), 150 + 10); // alone: no slowdown
    model.running = 3;
    assert.equal(clock.next(), 160 + 10 * (1 + 0.5 * 2));
  });
});

describe('capacity model over HTTP', () => {
  it('is off by default: no queue, no capacity stats', async () => {
    const { server, url } = await start({ ttftMs: 30, itlMs: 2, outputTokens: 4 });
    const results = await Promise.all([1, 2, 3, 4].map(() => timed(url)));
    for (const r of results) assert.ok(r.ttft !== null && r.ttft < 150, `TTFT ${r.ttft}`);
    assert.equal(server.stats().capacity, undefined);
  });

  it('queues requests beyond the slots: their TTFT includes the wait', async () => {
    // Service time ≈ 40 + 9 × 10 = 130 ms; 2 slots, 4 requests: two wait one service time.
    const { server, url } = await start({ slots: 2, ttftMs: 40, itlMs: 10, outputTokens: 10 });
    const results = await Promise.all([1, 2, 3, 4].map(() => timed(url)));
    const ttfts = results.map((r) => r.ttft as number).sort((a, b) => a - b);
    assert.ok(ttfts[1]! < 120, `served at once: ${ttfts}`);
    assert.ok(ttfts[2]! >= 165, `queued behind a whole request: ${ttfts}`);
    const stats = server.stats().capacity!;
    assert.equal(stats.admitted, 4);
    assert.equal(stats.maxWaiting, 2);
    assert.equal(stats.running, 0);
    assert.equal(stats.waiting, 0);
  });

  it('prefill grows with the prompt length', async () => {
    const { url } = await start({ slots: 4, ttftMs: 10, itlMs: 1, outputTokens: 2, prefillMsPerToken: 1 });
    const short = await timed(url, 'x');
    const long = await timed(url, 'x'.repeat(800)); // 200 prompt tokens → +200 ms
    assert.ok(short.ttft! < 100, `short prompt TTFT ${short.ttft}`);
    assert.ok(long.ttft! >= 205 && long.ttft! < 400, `long prompt TTFT ${long.ttft}`);
  });

  it('decode slows as the batch grows', async () => {
    const { url } = await start({ slots: 8, ttftMs: 5, itlMs: 10, outputTokens: 11, batchSlowdown: 0.5 });
    const alone = await timed(url);
    const batch = await Promise.all([1, 2, 3, 4].map(() => timed(url)));
    // Alone: 10 steps of 10 ms. Four at once: steps of 10 × (1 + 0.5 × 3) = 25 ms.
    const decodeAlone = alone.end - alone.ttft!;
    const decodeBatch = Math.min(...batch.map((r) => r.end - r.ttft!));
    assert.ok(decodeAlone >= 95 && decodeAlone < 180, `alone ${decodeAlone}`);
    assert.ok(decodeBatch >= 200, `batched ${decodeBatch}`);
  });

  it('refuses with 429 past --max-concurrent', async () => {
    const { server, url } = await start({ slots: 1, maxConcurrent: 2, ttftMs: 50, itlMs: 5, outputTokens: 4 });
    const results = await Promise.all([1, 2, 3].map(() => timed(url)));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 429]);
    assert.equal(server.stats().capacity!.rejected, 1);
  });

  it('a client that leaves frees its slot and its queue place', async () => {
    const { server, url } = await start({ slots: 1, ttftMs: 20, itlMs: 20, outputTokens: 50 });
    const first = new AbortController();
    const queued = new AbortController();
    const a = timed(url, 'a', first.signal).catch(() => null);
    await sleep(30);
    const b = timed(url, 'b', queued.signal).catch(() => null);
    await sleep(30);
    assert.deepEqual({ running: server.stats().capacity!.running, waiting: server.stats().capacity!.waiting }, { running: 1, waiting: 1 });
    queued.abort();
    await b;
    await sleep(30);
    assert.equal(server.stats().capacity!.waiting, 0);
    first.abort();
    await a;
    await sleep(30);
    assert.equal(server.stats().capacity!.running, 0);
    const next = await timed(url);
    assert.ok(next.ttft !== null && next.ttft < 150, `the slot is free again: ${next.ttft}`);
  });
});
