// The wire truth of synthetic captures with known timestamps: exact TTFT and
// ITL per request through the whole chain (pcap → TCP reassembly → HTTP →
// SSE → StreamMeter), for both loopback link types, IPv4 and IPv6, LF and
// CRLF framing, segments cut mid-event and mid chunk-size line, a
// retransmitted segment, out-of-order segments and keep-alive connections.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { LINKTYPE, PcapReader } from '../../../tools/bench/pcap.ts';
import { analyseCapture, WireTruthCollector, type WireTruth } from '../../../tools/bench/wire-truth.ts';
import { mockWrites, REQUEST, RESPONSE_HEAD, sendCut } from './support/chat-exchange.ts';
import { Conversation, merge, writePcap, type PcapFormat, type SynthSegment } from './support/pcap-writer.ts';

function truthOf(format: PcapFormat, segments: SynthSegment[]): WireTruth[] {
  const collector = new WireTruthCollector(openaiChat);
  new PcapReader((s) => collector.push(s)).push(writePcap(format, segments));
  collector.finish();
  return collector.requests;
}

const figures = (t: WireTruth) => ({
  startMs: t.startNs / 1e6,
  status: t.status,
  ttftMs: t.record?.ttftMs,
  itlMs: t.record?.itlMs,
  e2eMs: t.record?.e2eMs,
  outputTokens: t.record?.outputTokens,
  success: t.record?.success,
  events: t.eventNs.length,
  complete: t.complete,
});

describe('wire truth', () => {
  it('EN10MB, IPv4, LF: TTFT from the request’s last byte to the first token event, ITL between token events', () => {
    const c = new Conversation('127.0.0.1', 41000, '127.0.0.1', 8080).handshake(99);
    sendCut(c, true, REQUEST, [REQUEST.length - 7], [99.5, 100]);
    const { roleWrite, tokenWrites } = mockWrites(false);
    c.server_(100.5, roleWrite);
    c.server_(300.25, tokenWrites[0]!);
    c.server_(400.125, tokenWrites[1]!);
    c.server_(500.0625, tokenWrites[2]!);
    c.fin(true, 501);
    c.fin(false, 501);
    const [t, ...rest] = truthOf({ linkType: LINKTYPE.EN10MB, nanos: true, littleEndian: true }, c.segments);
    assert.equal(rest.length, 0);
    assert.equal(t!.clientPort, 41000);
    assert.equal(t!.target, '/v1/chat/completions');
    // The role chunk (empty content), the finish, usage and [DONE] events carry no token.
    assert.deepEqual(figures(t!), {
      startMs: 100,
      status: 200,
      ttftMs: 200.25,
      itlMs: [99.875, 99.9375],
      e2eMs: 400.0625,
      outputTokens: 3,
      success: true,
      events: 7,
      complete: true,
    });
  });

  it('LINUX_SLL2, IPv6, CRLF: cuts mid chunk-size line and mid event, a retransmission, out-of-order segments', () => {
    const c = new Conversation('::1', 41001, '::1', 8080).handshake(999);
    c.client_(1000, REQUEST);
    const { roleWrite, tokenWrites } = mockWrites(true);
    // Role write cut inside the chunk-size line ("b8" | "\r\n...").
    sendCut(c, false, roleWrite, [RESPONSE_HEAD.length + 1], [1000.25, 1000.3]);
    // Token a cut mid event: its event completes with the second piece.
    const [a1] = sendCut(c, false, tokenWrites[0]!, [20], [1200.5, 1200.75]);
    // Token b's two halves captured in reverse order: readable when the first half arrives.
    const [b1, b2] = sendCut(c, false, tokenWrites[1]!, [30], [1300.5, 1300]);
    // Token c's CRLF blank line cut between its CR and LF: the event ends with the LF.
    const tc = tokenWrites[2]!;
    const lf = tc.indexOf('\r\n\r\n') + 3;
    sendCut(c, false, tc, [lf], [1400.125, 1400.25]);
    c.fin(false, 1401);
    c.fin(true, 1401);
    const segments = merge(c.segments.filter((s) => s !== b1 && s !== b2), [b2!, b1!]);
    // A retransmission of token a's first piece, captured later: ignored.
    segments.splice(segments.indexOf(b2!), 0, { ...a1!, unixNs: b2!.unixNs - 1000n });
    const [t, ...rest] = truthOf({ linkType: LINKTYPE.LINUX_SLL2, nanos: true, littleEndian: true }, segments);
    assert.equal(rest.length, 0);
    assert.equal(t!.client, '0:0:0:0:0:0:0:1');
    assert.deepEqual(figures(t!), {
      startMs: 1000,
      status: 200,
      ttftMs: 200.75,
      itlMs: [99.75, 99.75],
      e2eMs: 400.25,
      outputTokens: 3,
      success: true,
      events: 7,
      complete: true,
    });
  });

  it('keeps requests of keep-alive and interleaved connections apart (LINUX_SLL, µs, big-endian)', () => {
    const x = new Conversation('127.0.0.1', 41002, '127.0.0.1', 8080).handshake(0);
    const y = new Conversation('127.0.0.1', 41003, '127.0.0.1', 8080).handshake(0.5);
    const w = mockWrites(false);
    x.client_(1, REQUEST);
    y.client_(2, REQUEST);
    x.server_(1.5, w.roleWrite);
    y.server_(2.5, w.roleWrite);
    [101, 201, 301].forEach((ms, i) => x.server_(ms, w.tokenWrites[i]!));
    [152, 252, 352].forEach((ms, i) => y.server_(ms, w.tokenWrites[i]!));
    x.client_(400, REQUEST);
    x.server_(400.5, w.roleWrite);
    [420, 440, 460].forEach((ms, i) => x.server_(ms, w.tokenWrites[i]!));
    const all = truthOf({ linkType: LINKTYPE.LINUX_SLL, nanos: false, littleEndian: false }, merge(x.segments, y.segments));
    assert.deepEqual(
      all.map((t) => [t.clientPort, t.index, t.startNs / 1e6, t.record?.ttftMs, t.record?.itlMs]),
      [
        [41002, 0, 1, 100, [100, 100]],
        [41003, 0, 2, 150, [100, 100]],
        [41002, 1, 400, 20, [20, 20]],
      ],
    );
    // The connections never closed in the capture: the first two answers are whole, the last too.
    assert.deepEqual(
      all.map((t) => t.complete),
      [true, true, true],
    );
  });

  it('marks a response cut short by the end of the capture', () => {
    const c = new Conversation('127.0.0.1', 41004, '127.0.0.1', 8080).handshake(0);
    c.client_(1, REQUEST);
    const w = mockWrites(false);
    c.server_(2, w.roleWrite);
    c.server_(50, w.tokenWrites[0]!);
    const [t] = truthOf({ linkType: LINKTYPE.EN10MB, nanos: true, littleEndian: true }, c.segments);
    assert.equal(t!.complete, false);
    assert.equal(t!.record?.ttftMs, 49);
    assert.equal(t!.record?.success, false);
  });

  it('analyses a capture file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-wire-test-'));
    try {
      const c = new Conversation('127.0.0.1', 41005, '127.0.0.1', 8080).handshake(0);
      c.client_(1, REQUEST);
      const w = mockWrites(false);
      c.server_(2, w.roleWrite);
      [11, 21, 31].forEach((ms, i) => c.server_(ms, w.tokenWrites[i]!));
      const path = join(dir, 'x.pcap');
      writeFileSync(path, writePcap({ linkType: LINKTYPE.EN10MB, nanos: true, littleEndian: true }, c.segments));
      const a = analyseCapture(path, openaiChat);
      assert.equal(a.requests.length, 1);
      assert.equal(a.requests[0]!.record?.ttftMs, 10);
      assert.equal(a.baseSec, 1_760_000_000);
      assert.equal(a.flows.connections, 1);
      assert.equal(a.leftoverBytes, 0);
      assert.deepEqual(a.unreadable, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
