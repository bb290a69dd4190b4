// The mock's keep-alive limits (--keep-alive-max, --keep-alive-idle-ms): a
// request on a connection past either limit finds it closed, unread and
// unanswered, and is counted apart from the requests the mock served.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { DEFAULT_MOCK_CONFIG } from '../../../tools/mock-server/config.ts';
import { KeepAliveLimit } from '../../../tools/mock-server/keep-alive-limit.ts';
import { createMockServer, type MockServer, type MockStats } from '../../../tools/mock-server/server.ts';

const servers: MockServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A request on `agent` (one kept-alive connection); resolves with the status or the error's code. */
function post(url: string, agent: http.Agent): Promise<{ status?: number; error?: string; port?: number }> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/chat/completions`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, port: req.socket?.localPort }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 }));
  });
}

describe('mock keep-alive limits', () => {
  it('closes a connection under the request after --keep-alive-max, without counting or answering it', async () => {
    const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, ttftMs: 0, itlMs: 0, quiet: true, keepAliveMax: 3 });
    servers.push(server);
    const { url } = await server.listen();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await post(url, agent));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
    assert.equal(new Set(answers.map((a) => a.port)).size, 1, 'the three went out on one connection');
    const fourth = await post(url, agent);
    assert.equal(fourth.status, undefined, `the 4th request on the connection was answered: ${JSON.stringify(fourth)}`);
    assert.ok(fourth.error === 'ECONNRESET' || fourth.error === 'socket hang up', `error ${fourth.error}`);
    const stats: MockStats = server.stats();
    assert.equal(stats.requests, 3);
    assert.equal(stats.keepAliveCloses, 1);
    // A new connection is served again.
    assert.equal((await post(url, agent)).status, 200);
    agent.destroy();
  });

  it('closes a connection idle longer than --keep-alive-idle-ms under its next request (injected clock)', () => {
    let now = 0;
    let closes = 0;
    const limit = new KeepAliveLimit(() => ({ keepAliveMax: 0, keepAliveIdleMs: 2000 }), () => closes++, () => now);
    const socket = Object.assign(new EventEmitter(), { destroyed: false, destroy(): void { this.destroyed = true; } });
    const request = (): { admitted: boolean; res: EventEmitter } => {
      const res = new EventEmitter();
      const admitted = limit.admit({ socket } as unknown as IncomingMessage, res as unknown as ServerResponse);
      return { admitted, res };
    };
    const first = request();
    assert.ok(first.admitted);
    now = 5000; // a long answer: idle time counts from its end, not its start
    first.res.emit('finish');
    now = 7000; // exactly the limit: still open
    const second = request();
    assert.ok(second.admitted);
    now = 7100;
    second.res.emit('finish');
    now = 9101; // 2001 ms idle
    assert.equal(request().admitted, false);
    assert.equal(closes, 1);
    assert.equal(socket.destroyed, true);
  });
});
