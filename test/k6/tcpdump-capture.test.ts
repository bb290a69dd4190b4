// One real loopback SSE exchange captured with tcpdump and read back through
// the whole wire analysis (skipped, with the reason, when tcpdump is missing
// or may not capture). Real timers send the tokens and the capture is given
// time to flush, and its TTFT and ITL are checked against wall-clock bounds,
// so it runs here, one file at a time; bounded, about a second. Moved from
// test/unit/bench/tcpdump.test.ts, assertions unchanged.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openaiChat } from '../../src/protocols/openai-chat.ts';
import { findTcpdump, startCapture } from '../../tools/bench/tcpdump.ts';
import { analyseCapture } from '../../tools/bench/wire-truth.ts';
import { EVENTS, REQUEST_BODY, sse } from '../unit/bench/support/chat-exchange.ts';

describe('tcpdump', () => {
  const binary = findTcpdump();
  const skip = binary === null ? 'tcpdump is not installed (apt-get install -y tcpdump)' : process.platform !== 'linux' ? 'captures on Linux lo only' : false;
  it('captures a real loopback SSE exchange and reads its TTFT and ITL back', { skip, timeout: 20_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-tcpdump-test-'));
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(sse(EVENTS.role));
        // Tokens at 40, 60 and 80 ms after the request arrived.
        setTimeout(() => res.write(sse(EVENTS.token('a'))), 40);
        setTimeout(() => res.write(sse(EVENTS.token('b'))), 60);
        setTimeout(() => res.end(sse(EVENTS.token('c')) + sse(EVENTS.finish) + sse(EVENTS.usage) + sse(EVENTS.done)), 80);
      });
    });
    try {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      const file = join(dir, 'lo.pcap');
      let capture;
      try {
        capture = await startCapture({ binary: binary!, iface: 'lo', filter: `tcp port ${port}`, file, bufferKiB: 4096 });
      } catch (err) {
        t.skip(`tcpdump may not capture here: ${(err as Error).message}`);
        return;
      }
      const client = await new Promise<{ localPort: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(REQUEST_BODY) } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ localPort: req.socket!.localPort!, body }));
        });
        req.on('error', reject);
        req.end(REQUEST_BODY);
      });
      await new Promise((r) => setTimeout(r, 200));
      const { stats } = await capture.stop();
      assert.equal(stats.droppedByKernel, 0);
      const a = analyseCapture(file, openaiChat);
      assert.equal(a.requests.length, 1);
      const w = a.requests[0]!;
      assert.equal(w.clientPort, client.localPort);
      assert.equal(w.status, 200);
      assert.equal(w.complete, true);
      assert.equal(w.eventNs.length, 7);
      const r = w.record!;
      assert.equal(r.success, true);
      assert.equal(r.outputTokens, 3);
      // Timers fire no earlier than asked; a loaded machine makes them later.
      assert.ok(r.ttftMs! >= 39 && r.ttftMs! < 1000, `TTFT ${r.ttftMs}`);
      assert.equal(r.itlMs.length, 2);
      for (const gap of r.itlMs) assert.ok(gap > 0 && gap < 1000, `ITL ${gap}`);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
