// HTTP/1.1 and SSE on the wire: requests by Content-Length (end = time of
// the last byte), chunked and Content-Length and close-delimited responses,
// chunked decoding across any cut (mid chunk-size line, mid CRLF), SSE events
// stamped with the time of their last byte (LF, CRLF with the LF in a later
// segment, lone CR), keep-alive, interim 100 responses, truncation.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpWireConnection, type WireRequest, type WireResponseHead } from '../../../tools/bench/http-wire.ts';
import { SseFramer, type WireEvent } from '../../../tools/bench/sse-framer.ts';
import { bytes } from './support/pcap-writer.ts';

interface Log {
  requests: WireRequest[];
  heads: WireResponseHead[];
  events: { index: number; ms: number; data: string }[];
  ends: { index: number; ms: number; complete: boolean; bodyBytes: number }[];
}

function connection(): { conn: HttpWireConnection; log: Log; c: (ms: number, s: string) => void; s: (ms: number, s: string) => void } {
  const log: Log = { requests: [], heads: [], events: [], ends: [] };
  const conn = new HttpWireConnection({
    request: (r) => log.requests.push(r),
    responseHead: (h) => log.heads.push(h),
    event: (index, e) => log.events.push({ index, ms: e.tsNs / 1e6, data: e.data }),
    responseEnd: (index, endNs, complete, bodyBytes) => log.ends.push({ index, ms: endNs / 1e6, complete, bodyBytes }),
  });
  return {
    conn,
    log,
    c: (ms, text) => conn.data(true, bytes(text), ms * 1e6),
    s: (ms, text) => conn.data(false, bytes(text), ms * 1e6),
  };
}

const chunk = (body: string): string => `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n`;
const SSE_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n';

describe('HTTP on the wire', () => {
  it('ends a request at the time of its last body byte', () => {
    const { log, c } = connection();
    const body = '{"model":"m","stream":true}';
    c(1, 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Len');
    c(2, `gth: ${body.length}\r\nContent-Type: application/json\r\n\r\n`);
    c(3, body.slice(0, 10));
    c(4.5, body.slice(10));
    assert.equal(log.requests.length, 1);
    const r = log.requests[0]!;
    assert.deepEqual(
      { method: r.method, target: r.target, first: r.firstByteNs, end: r.endNs, bytes: r.bodyBytes, cl: r.headers['content-length'] },
      { method: 'POST', target: '/v1/chat/completions', first: 1e6, end: 4.5e6, bytes: body.length, cl: String(body.length) },
    );
  });

  it('ends a body-less request at its blank line, and reads keep-alive requests in turn', () => {
    const { log, c } = connection();
    c(1, 'GET /mock/stats HTTP/1.1\r\nHost: x\r\n\r');
    c(2, '\nPOST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nab');
    c(3, 'POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n');
    assert.deepEqual(
      log.requests.map((r) => [r.index, r.method, r.target, r.endNs / 1e6, r.bodyBytes]),
      [
        [0, 'GET', '/mock/stats', 2, 0],
        [1, 'POST', '/a', 2, 2],
        [2, 'POST', '/b', 3, 2],
      ],
    );
  });

  it('drops a request cut short by the connection end', () => {
    const { log, c, conn } = connection();
    c(1, 'POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc');
    conn.end();
    assert.equal(log.requests.length, 0);
  });

  it('decodes a chunked SSE body cut mid chunk-size line and mid event, stamping each event with its last byte', () => {
    const { log, s, c } = connection();
    c(0, 'POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 0\r\n\r\n');
    const e1 = 'data: {"a":1}\n\n';
    const e2 = 'data: {"b":2}\n\n';
    const e3 = ': keep-alive\n\ndata: line1\ndata: line2\n\n';
    const wire = SSE_HEAD + chunk(e1) + chunk(e2) + chunk(e3) + '0\r\n\r\n';
    // Cut inside the head, inside the second chunk-size line ("f\r\n" is "f" | "\r\n"), mid event 2, mid CRLF after it.
    const cuts = [10, SSE_HEAD.length + chunk(e1).length + 1, SSE_HEAD.length + chunk(e1).length + 3 + 8, SSE_HEAD.length + chunk(e1).length + chunk(e2).length - 1];
    let prev = 0;
    cuts.forEach((cut, i) => {
      s(10 + i, wire.slice(prev, cut));
      prev = cut;
    });
    s(20, wire.slice(prev));
    assert.equal(log.heads[0]!.status, 200);
    assert.equal(log.heads[0]!.eventStream, true);
    assert.equal(log.heads[0]!.headNs, 11e6);
    assert.deepEqual(log.events, [
      { index: 0, ms: 11, data: '{"a":1}' },
      // Its last LF is in the segment at 13 (the chunk's CRLF follows at 14).
      { index: 0, ms: 13, data: '{"b":2}' },
      { index: 0, ms: 20, data: 'line1\nline2' },
    ]);
    assert.deepEqual(log.ends, [{ index: 0, ms: 20, complete: true, bodyBytes: e1.length + e2.length + e3.length }]);
  });

  it('times a CRLF-framed event by its final LF even when it comes in a later segment', () => {
    const { log, s } = connection();
    s(1, 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nContent-Length: 44\r\n\r\n');
    s(2, 'data: one\r\n\r');
    s(3, '\ndata: two\r\n');
    s(4, '\r\ndata: x\r\r');
    s(5, 'data: y\n\n');
    assert.deepEqual(
      log.events.map((e) => [e.ms, e.data]),
      [
        [3, 'one'],
        [4, 'two'],
        // Lone CRs end lines: "data: x" CR, then a blank line (CR), which completes at 4.
        [4, 'x'],
        [5, 'y'],
      ],
    );
    assert.equal(log.ends[0]!.complete, true);
    assert.equal(log.ends[0]!.bodyBytes, 44);
  });

  it('reads Content-Length and close-delimited bodies, skips 100 Continue, and flags a cut-short response', () => {
    const { log, s, c, conn } = connection();
    c(0, 'POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 0\r\n\r\nPOST /c HTTP/1.1\r\nContent-Length: 0\r\n\r\n');
    s(1, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
    s(2, 'HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n');
    s(3, 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: a\n\ndata: unterminated');
    conn.end();
    assert.deepEqual(
      log.heads.map((h) => [h.index, h.status, h.eventStream]),
      [
        [0, 200, false],
        [1, 429, false],
        [2, 200, true],
      ],
    );
    assert.deepEqual(
      log.ends.map((e) => [e.index, e.ms, e.complete]),
      [
        [0, 1, true],
        [1, 2, true],
        [2, 3, true],
      ],
    );
    // The final event without its blank line is dispatched when the body ends.
    assert.deepEqual(
      log.events.map((e) => e.data),
      ['a', 'unterminated'],
    );

    const cut = connection();
    cut.c(0, 'POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n');
    cut.s(1, `${SSE_HEAD}${chunk('data: a\n\n')}5\r\nda`);
    cut.conn.end();
    assert.deepEqual(cut.log.ends, [{ index: 0, ms: 1, complete: false, bodyBytes: 'data: a\n\n'.length + 2 }]);
    // "da" is half a line of a field that never completed: no event.
    assert.deepEqual(
      cut.log.events.map((e) => e.data),
      ['a'],
    );
  });

  it('says when a connection stops being HTTP', () => {
    const { conn, s } = connection();
    s(1, 'SSH-2.0-OpenSSH\r\n\r\n');
    assert.match(conn.problems.server ?? '', /status line/);
  });
});

describe('SSE framer', () => {
  it('strips a BOM, ignores other fields, keeps UTF-8 split across pushes', () => {
    const events: WireEvent[] = [];
    const f = new SseFramer((e) => events.push(e));
    const text = Buffer.from('\ufeffevent: x\nid: 3\ndata:no space\ndata:  two spaces\n\ndata: é😀\n\n', 'utf8');
    for (let i = 0; i < text.length; i++) f.push(text.subarray(i, i + 1), i);
    assert.deepEqual(
      events.map((e) => e.data),
      ['no space\n two spaces', 'é😀'],
    );
    assert.equal(events[1]!.tsNs, text.length - 1);
  });
});
