// Records file → the figures k6 computes; records matched to captured
// requests by port and nearest start (port reuse, a record too far from any
// request, a record without a port, a second record for the same request);
// client − wire differences per TTFT and per ITL gap by index; the server's
// share; events in a window; spreads.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamMeter } from '../../../src/measure/stream-meter.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { accuracy, eventsBetween, matchRequests, outliers, serverShare, spread } from '../../../tools/bench/match.ts';
import { clientRequestOf, readRecordsFile } from '../../../tools/bench/records.ts';
import type { WireTruth } from '../../../tools/bench/wire-truth.ts';

const role = '{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}';
const token = '{"choices":[{"index":0,"delta":{"content":"x"}}]}';
const finish = '{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}';

const BASE_SEC = 1_760_000_000;

/** A records-file line: the meter's record plus vu and url. */
function line(port: number, sentMsAfterBase: number, times: number[]): string {
  return JSON.stringify({
    status: 200,
    retryAfter: '',
    headersMs: 1,
    endMs: times.at(-1),
    isSSE: true,
    times,
    data: ['', ...times.slice(1, -2).map(() => ''), finish, '[DONE]'].map((d, i) => (i === 0 ? role : d)),
    fast: times.map((_, i) => (i > 0 && i < times.length - 2 ? 1 : 0)),
    comments: 0,
    unterminated: false,
    body: '',
    bodyBytes: 0,
    errorKind: '',
    errorMessage: '',
    kernelStamps: true,
    readLagMaxMs: 0,
    sendLagMs: 0.01,
    localPort: port,
    sentUnixNs: BASE_SEC * 1e9 + sentMsAfterBase * 1e6,
    vu: '3',
    url: 'http://127.0.0.1:8080/v1/chat/completions',
  });
}

/** A captured request: start at startMs (capture clock), events at startMs + offsets. */
function wire(port: number, startMs: number, offsets: number[]): WireTruth {
  const meter = new StreamMeter(openaiChat, 0);
  offsets.forEach((o, i) => meter.onEvent(o, i === 0 ? role : i >= offsets.length - 2 ? (i === offsets.length - 1 ? '[DONE]' : finish) : token));
  return {
    connection: 0,
    client: '127.0.0.1',
    clientPort: port,
    index: 0,
    method: 'POST',
    target: '/v1/chat/completions',
    startNs: startMs * 1e6,
    status: 200,
    eventStream: true,
    eventNs: offsets.map((o) => (startMs + o) * 1e6),
    complete: true,
    record: meter.finish({ status: 200, headersMs: 1, endMs: offsets.at(-1)!, error: null, isEventStream: true }),
  };
}

describe('records file', () => {
  it('computes what k6 computes from each record', () => {
    const r = clientRequestOf(line(40000, 5, [1, 101, 201, 301, 302, 303]), openaiChat)!;
    assert.equal(r.localPort, 40000);
    assert.equal(r.vu, '3');
    assert.equal(r.events, 6);
    assert.equal(r.record.ttftMs, 101);
    assert.deepEqual(r.record.itlMs, [100, 100]);
    assert.equal(r.record.success, true);
    assert.equal(clientRequestOf('{"not":"a record"}', openaiChat), null);
  });

  it('reads a file line by line across chunk boundaries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-records-test-'));
    try {
      const path = join(dir, 'records.jsonl');
      const lines = Array.from({ length: 20 }, (_, i) => line(40000 + i, i, [1, 50, 60, 61, 62]));
      writeFileSync(path, `${lines.join('\n')}\nnot json\n`);
      const f = readRecordsFile(path, openaiChat, 97);
      assert.equal(f.requests.length, 20);
      assert.equal(f.requests[19]!.localPort, 40019);
      assert.equal(f.unreadable, 1);
      assert.equal(f.firstUnreadable, 'not json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('matching and differences', () => {
  it('pairs by port and nearest start, across port reuse', () => {
    const w = [wire(40000, 1000, [1, 200, 300, 301, 302]), wire(40000, 5000, [1, 200, 300, 301, 302]), wire(40001, 1000.5, [1, 200, 300, 301, 302])];
    const clients = [
      // Written 20 µs before the request's last byte was captured.
      clientRequestOf(line(40000, 4999.98, [1, 200.03, 300.02, 301, 302]), openaiChat)!,
      clientRequestOf(line(40000, 999.99, [1, 200.01, 299.99, 301, 302]), openaiChat)!,
      clientRequestOf(line(40001, 1000.5, [1, 201, 305, 306, 307]), openaiChat)!,
      // Too far from any request on its port, no port at all, the same request again.
      clientRequestOf(line(40001, 9000, [1, 2, 3, 4]), openaiChat)!,
      clientRequestOf(line(0, 1000, [1, 2, 3, 4]), openaiChat)!,
      clientRequestOf(line(40001, 1000.6, [1, 2, 3, 4]), openaiChat)!,
    ];
    const m = matchRequests(clients, [...w, wire(40002, 3000, [1, 2, 3])], BASE_SEC);
    assert.equal(m.pairs.length, 3);
    assert.equal(m.pairs[0]!.wire, w[1]);
    assert.equal(m.pairs[1]!.wire, w[0]);
    assert.equal(m.pairs[2]!.wire, w[2]);
    // sentUnixNs is a JSON number: at ~1.8e18 ns a double resolves 256 ns.
    assert.ok(Math.abs(m.pairs[0]!.offsetMs - 0.02) < 0.001, String(m.pairs[0]!.offsetMs));
    assert.equal(m.unmatchedClients.length, 3);
    assert.equal(m.conflicts, 1);
    assert.deepEqual(
      m.unmatchedWire.map((x) => x.clientPort),
      [40002],
    );

    const a = accuracy(m.pairs);
    assert.equal(a.requests, 3);
    const near = (x: number, y: number) => Math.abs(x - y) < 1e-9;
    // TTFT errors: +0.03, +0.01, +1 → p50 0.03 ms; ITL errors per gap by index.
    assert.ok(near(a.ttftError.p50, 0.03), String(a.ttftError.p50));
    assert.ok(near(a.ttftError.max, 1));
    assert.ok(near(a.ttftError.min, 0.01));
    // Gaps: (100.02 − 100 − 0.03 =) −0.01, (99.98 − 100 =) −0.02, (104 − 100 =) +4 (2nd request has 1 gap each).
    assert.equal(a.itlError.n, 3);
    assert.ok(near(a.itlError.max, 4));
    assert.ok(near(a.itlError.min, -0.02));
    assert.equal(a.itlCountMismatches, 0);
  });

  it('reports the server’s share and events in a window', () => {
    const w = [wire(40000, 1000, [1, 205, 310, 311, 312]), wire(40001, 2000, [1, 201, 301, 302, 303])];
    const s = serverShare(w, 200, 100);
    assert.deepEqual([s.ttft.n, s.ttft.min, s.ttft.max], [2, 1, 5]);
    assert.deepEqual([s.itl.n, s.itl.min, s.itl.max], [2, 0, 5]);
    // Events at 1001, 1205, 1310, 1311, 1312, 2001, 2201, ...: [1200, 2002) holds 1205..1312 and 2001.
    assert.equal(eventsBetween(w, 1200e6, 2002e6), 5);
  });

  it('interpolates percentiles like k6', () => {
    const s = spread([5, 1, 4, 2, 3]);
    assert.deepEqual(s, { n: 5, min: 1, p50: 3, p99: 4.96, max: 5 });
    assert.ok(Number.isNaN(spread([]).p50));
  });
});

describe('outliers', () => {
  it('counts differences over the limit, when they were, and keeps the worst', () => {
    const w = [wire(40000, 1000, [1, 200, 300, 400, 401, 402]), wire(40001, 2000, [1, 200, 300, 400, 401, 402]), wire(40002, 3000, [1, 200, 300, 400, 401, 402])];
    const clients = [
      clientRequestOf(line(40000, 1000, [1, 200.5, 300, 400, 401, 402]), openaiChat)!,
      // The first token stamped at the second's time: TTFT +100, first gap −100.
      clientRequestOf(line(40001, 2000, [1, 300, 300, 400, 401, 402]), openaiChat)!,
      clientRequestOf(line(40002, 3000, [1, 206, 300, 400, 401, 402]), openaiChat)!,
    ];
    const m = matchRequests(clients, w, BASE_SEC);
    const o = outliers(m.pairs, 5, 1);
    assert.equal(o.ttft.count, 2);
    assert.equal(o.ttft.firstNs, 2000e6);
    assert.equal(o.ttft.lastNs, 3000e6);
    assert.deepEqual(o.ttft.worst, [{ wireStartNs: 2000e6, clientPort: 40001, gap: -1, clientMs: 300, wireMs: 200, errorMs: 100 }]);
    assert.equal(o.itl.count, 2);
    assert.deepEqual(
      o.itl.worst.map((x) => [x.clientPort, x.gap, x.errorMs]),
      [[40001, 0, -100]],
    );
  });
});
