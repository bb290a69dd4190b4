// Stopping the mock's streams over real HTTP: a client that aborts stops its
// stream at once, and close() ends open streams. The server runs on a fake
// clock, so "no token after the client left" is exact, not a wait.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MOCK_CONFIG } from '../../../tools/mock-server/config.ts';
import { createMockServer, type MockServer } from '../../../tools/mock-server/server.ts';
import { FakeClock, until } from './fake-clock.ts';

const servers: MockServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function chatBody(): string {
  return JSON.stringify({ model: 'test-model', messages: [{ role: 'user', content: 'Say something, please.' }], stream: true });
}

describe('stopping mock streams', () => {
  it('stops a stream as soon as the client aborts', async () => {
    const clock = new FakeClock();
    const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, ttftMs: 0, itlMs: 10, outputTokens: 1000, keepaliveEvery: 0, quiet: true }, { clock });
    servers.push(server);
    const { url } = await server.listen();
    const controller = new AbortController();
    const res = await fetch(`${url}/chat/completions`, { method: 'POST', body: chatBody(), signal: controller.signal });
    await until(() => clock.waiting() === 1, 'the stream was scheduled');
    // Tokens 0 and 1, and no more until the clock moves.
    clock.advanceTo(clock.now() + 10);
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('tok1"')) {
      const { value, done } = await reader.read();
      assert.ok(!done, 'stream ended early');
      seen += new TextDecoder().decode(value);
    }
    assert.equal(server.stats().activeStreams, 1);
    controller.abort();
    await reader.cancel().catch(() => {});

    await until(() => server.stats().activeStreams === 0, 'the mock saw the client leave');
    const stopped = server.stats();
    assert.equal(stopped.aborted, 1);
    assert.equal(stopped.tokensSent, 2);
    assert.equal(clock.waiting(), 0, "the stream's timer was dropped");
    clock.advanceTo(clock.now() + 100_000);
    assert.equal(server.stats().tokensSent, 2, 'no tokens sent after the client left');
  });

  // The timeout only turns a hang into a failure: on a clock that never moves
  // the stream cannot end by itself, so close() resolving at all shows it does
  // not wait for open streams.
  it('close() ends open streams and resolves', { timeout: 10_000 }, async () => {
    const clock = new FakeClock();
    const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, ttftMs: 0, itlMs: 50, outputTokens: 1000, quiet: true }, { clock });
    const { url } = await server.listen();
    const res = await fetch(`${url}/chat/completions`, { method: 'POST', body: chatBody() });
    const reader = res.body!.getReader();
    await reader.read();
    assert.equal(server.stats().activeStreams, 1);
    await server.close();
    assert.equal(clock.waiting(), 0, 'no send is left pending');
    await assert.rejects(async () => {
      for (;;) if ((await reader.read()).done) break;
    });
    assert.equal(server.stats().activeStreams, 0);
  });
});
