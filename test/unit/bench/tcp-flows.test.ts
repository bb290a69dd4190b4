// TCP reassembly: in-order bytes per direction with their capture times;
// retransmissions and duplicates dropped (first capture wins); out-of-order
// segments held until the gap fills; sequence wrap; FIN, RST, port reuse,
// a retransmitted SYN, connections without a captured SYN, gaps that never fill.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LINKTYPE, PcapReader } from '../../../tools/bench/pcap.ts';
import { TcpFlows, type ConnectionInfo } from '../../../tools/bench/tcp-flows.ts';
import { at, bytes, Conversation, merge, writePcap, type SynthSegment } from './support/pcap-writer.ts';

interface Seen {
  info: ConnectionInfo;
  pieces: { fromClient: boolean; text: string; ms: number }[];
  ended: boolean;
}

function reassemble(segments: SynthSegment[]): { conns: Seen[]; flows: TcpFlows } {
  const conns: Seen[] = [];
  const flows = new TcpFlows((info) => {
    const seen: Seen = { info, pieces: [], ended: false };
    conns.push(seen);
    return {
      data: (fromClient, bytes, tsNs) => seen.pieces.push({ fromClient, text: Buffer.from(bytes).toString(), ms: tsNs / 1e6 }),
      end: () => {
        seen.ended = true;
      },
    };
  });
  new PcapReader((s) => flows.push(s)).push(writePcap({ linkType: LINKTYPE.EN10MB, nanos: true, littleEndian: true }, segments));
  flows.finish();
  return { conns, flows };
}

const text = (s: Seen, fromClient: boolean): string =>
  s.pieces
    .filter((p) => p.fromClient === fromClient)
    .map((p) => p.text)
    .join('');

describe('TCP reassembly', () => {
  it('hands on each direction in order with each range’s capture time', () => {
    const c = new Conversation('127.0.0.1', 40000, '127.0.0.1', 8080).handshake(0);
    c.client_(1, 'GET / ');
    c.client_(2, 'HTTP/1.1\r\n\r\n');
    c.ack(false, 2.5);
    c.server_(3, 'HTTP/1.1 200 OK\r\n');
    c.server_(4.000001, 'x');
    c.fin(true, 5);
    c.fin(false, 5);
    const { conns } = reassemble(c.segments);
    assert.equal(conns.length, 1);
    const s = conns[0]!;
    assert.deepEqual(s.info, { id: 0, client: '127.0.0.1', clientPort: 40000, server: '127.0.0.1', serverPort: 8080, synNs: 0 });
    assert.deepEqual(s.pieces, [
      { fromClient: true, text: 'GET / ', ms: 1 },
      { fromClient: true, text: 'HTTP/1.1\r\n\r\n', ms: 2 },
      { fromClient: false, text: 'HTTP/1.1 200 OK\r\n', ms: 3 },
      { fromClient: false, text: 'x', ms: 4.000001 },
    ]);
    assert.equal(s.ended, true);
  });

  it('drops retransmissions and duplicates: the first capture of a byte counts', () => {
    const c = new Conversation('127.0.0.1', 40001, '127.0.0.1', 8080).handshake(0);
    const a = c.server_(1, 'abcdef');
    c.retransmit(a, 3); // whole duplicate
    const b = c.server_(4, 'ghij');
    // A retransmission that overlaps what was delivered and carries new bytes.
    c.segments.push({ ...b, unixNs: at(5), payload: bytes('ghijKL') });
    const { conns, flows } = reassemble(c.segments);
    assert.equal(text(conns[0]!, false), 'abcdefghijKL');
    assert.deepEqual(
      conns[0]!.pieces.map((p) => [p.text, p.ms]),
      [
        ['abcdef', 1],
        ['ghij', 4],
        ['KL', 5],
      ],
    );
    assert.equal(flows.counts.retransmitted, 2);
  });

  it('holds segments captured ahead of a gap until it fills', () => {
    const c = new Conversation('::1', 40002, '::1', 8080).handshake(0);
    const first = c.server_(10, 'one ');
    const second = c.server_(2, 'two ');
    const third = c.server_(3, 'three');
    // Capture order: third, second, first (times 3, 2 then 10 after reordering).
    const ordered = merge([...c.segments.slice(0, 3), third, second, first]);
    const { conns, flows } = reassemble(ordered);
    assert.equal(text(conns[0]!, false), 'one two three');
    // Held bytes are readable once the gap fills: at the filling segment's time.
    assert.deepEqual(
      conns[0]!.pieces.map((p) => p.ms),
      [10, 10, 10],
    );
    assert.equal(flows.counts.outOfOrder, 2);
  });

  it('follows sequence numbers across the 2^32 wrap', () => {
    const c = new Conversation('127.0.0.1', 40003, '127.0.0.1', 8080, 0xfffffffa, 0xfffffffe).handshake(0);
    c.client_(1, 'abcdefgh');
    c.client_(2, 'ijkl');
    const late = c.server_(4, '56789');
    c.server_(3, 'ABC');
    const segs = c.segments.filter((s) => s !== late);
    segs.push(late);
    const { conns } = reassemble(merge(segs));
    assert.equal(text(conns[0]!, true), 'abcdefghijkl');
    assert.equal(text(conns[0]!, false), '56789ABC');
  });

  it('starts a new connection on a new SYN for a 4-tuple in use, not on a retransmitted SYN', () => {
    const a = new Conversation('127.0.0.1', 40004, '127.0.0.1', 8080, 100).handshake(0);
    a.client_(1, 'first');
    a.segments.push({ ...a.segments[0]!, unixNs: a.segments[0]!.unixNs + 500_000n });
    a.segments.sort((x, y) => (x.unixNs < y.unixNs ? -1 : x.unixNs > y.unixNs ? 1 : 0));
    const b = new Conversation('127.0.0.1', 40004, '127.0.0.1', 8080, 900000).handshake(10);
    b.client_(11, 'second');
    const { conns } = reassemble(merge(a.segments, b.segments));
    assert.equal(conns.length, 2);
    assert.equal(text(conns[0]!, true), 'first');
    assert.equal(conns[0]!.ended, true);
    assert.equal(text(conns[1]!, true), 'second');
    assert.equal(conns[1]!.info.synNs, 10_000_000);
  });

  it('ends a connection on RST and ignores connections without a captured SYN', () => {
    const c = new Conversation('127.0.0.1', 40005, '127.0.0.1', 8080).handshake(0);
    c.client_(1, 'x');
    const rst = c.ack(false, 2);
    rst.flags = { rst: true, ack: true };
    const orphan = new Conversation('127.0.0.1', 40006, '127.0.0.1', 8080);
    orphan.client_(1, 'no syn seen');
    const { conns, flows } = reassemble(merge(c.segments, orphan.segments));
    assert.equal(conns.length, 1);
    assert.equal(conns[0]!.ended, true);
    assert.equal(flows.counts.withoutSyn, 1);
  });

  it('counts gaps that never fill', () => {
    const c = new Conversation('127.0.0.1', 40007, '127.0.0.1', 8080).handshake(0);
    c.server_(1, 'seen ');
    const lost = c.server_(2, 'lost ');
    c.server_(3, 'stuck');
    const { conns, flows } = reassemble(c.segments.filter((s) => s !== lost));
    assert.equal(text(conns[0]!, false), 'seen ');
    assert.equal(flows.counts.stuck, 1);
    assert.equal(flows.counts.stuckBytes, 5);
  });
});
