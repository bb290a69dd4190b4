// Per-connection, per-direction TCP reassembly of captured segments. Each
// direction's bytes are handed on in sequence order exactly once, each range
// tagged with the capture time of the segment that carried it: a
// retransmitted or duplicated range keeps the time of its first capture, and
// a segment captured ahead of a gap is handed on when the gap is filled,
// tagged with the later of its own time and the filling segment's (the
// earliest moment a reader could have had it). Connections are told apart by
// their SYN: the side that sends the bare SYN is the client, and a new SYN on
// a 4-tuple in use (port reuse) starts a new connection. Pure, streaming.

import type { TcpSegment } from './pcap.ts';

/** The two ends of a connection. */
export interface ConnectionInfo {
  /** Connections in order of their first SYN, from 0. */
  id: number;
  client: string;
  clientPort: number;
  server: string;
  serverPort: number;
  /** Capture time of the first SYN (ns, the capture's clock). */
  synNs: number;
}

/** What one connection's bytes go to. */
export interface FlowSink {
  /** The next in-order bytes of one direction, readable from tsNs; valid only during the call. */
  data(fromClient: boolean, bytes: Uint8Array, tsNs: number): void;
  /** The connection ended: FIN both ways, RST, or the end of the capture. */
  end(): void;
}

/** What the reassembly saw. */
export interface FlowCounts {
  connections: number;
  /** Payload segments wholly or partly already delivered (retransmissions, duplicates, keep-alive probes). */
  retransmitted: number;
  /** Payload segments captured ahead of a gap. */
  outOfOrder: number;
  /** Payload segments of connections whose SYN was not captured (ignored). */
  withoutSyn: number;
  /** Directions left with a gap that never filled (a capture that lost packets). */
  stuck: number;
  /** Bytes held behind those gaps, never handed on. */
  stuckBytes: number;
}

interface Held {
  seq: number;
  bytes: Uint8Array;
  tsNs: number;
}

interface Direction {
  /** The sequence number of the next byte to hand on; -1 until the SYN is seen. */
  next: number;
  /** Out-of-order segments waiting for a gap to fill. */
  held: Held[];
  /** Sequence number of the FIN, -1 when none seen yet. */
  finSeq: number;
  closed: boolean;
}

interface Connection {
  info: ConnectionInfo;
  sink: FlowSink;
  /** Index 0: client to server; 1: server to client. */
  dirs: [Direction, Direction];
  clientIsn: number;
  ended: boolean;
}

const newDirection = (): Direction => ({ next: -1, held: [], finSeq: -1, closed: false });

/** Signed distance from b to a in 32-bit sequence space. */
const seqDiff = (a: number, b: number): number => (a - b) | 0;

/** Reassembles every connection of a capture; feed segments in capture order. */
export class TcpFlows {
  private readonly open: (info: ConnectionInfo) => FlowSink;
  private readonly connections = new Map<string, Connection>();
  readonly counts: FlowCounts = { connections: 0, retransmitted: 0, outOfOrder: 0, withoutSyn: 0, stuck: 0, stuckBytes: 0 };

  /** open is called once per connection, at its SYN. */
  constructor(open: (info: ConnectionInfo) => FlowSink) {
    this.open = open;
  }

  push(seg: TcpSegment): void {
    const fwd = `${seg.src}|${seg.srcPort}|${seg.dst}|${seg.dstPort}`;
    const rev = `${seg.dst}|${seg.dstPort}|${seg.src}|${seg.srcPort}`;
    if (seg.syn && !seg.ackFlag) {
      const existing = this.connections.get(fwd);
      // A retransmitted SYN: same connection.
      if (existing && existing.clientIsn === seg.seq) return;
      if (existing) this.endConnection(fwd, existing);
      const info: ConnectionInfo = { id: this.counts.connections++, client: seg.src, clientPort: seg.srcPort, server: seg.dst, serverPort: seg.dstPort, synNs: seg.tsNs };
      const conn: Connection = { info, sink: this.open(info), dirs: [newDirection(), newDirection()], clientIsn: seg.seq, ended: false };
      conn.dirs[0].next = (seg.seq + 1) >>> 0;
      this.connections.set(fwd, conn);
      return;
    }
    let key = fwd;
    let conn = this.connections.get(fwd);
    let fromClient = true;
    if (!conn) {
      key = rev;
      conn = this.connections.get(rev);
      fromClient = false;
    }
    if (!conn) {
      if (seg.payload.length > 0) this.counts.withoutSyn++;
      return;
    }
    const dir = conn.dirs[fromClient ? 0 : 1];
    if (seg.syn) {
      // SYN-ACK from the server: its initial sequence number.
      if (!fromClient && dir.next < 0) dir.next = (seg.seq + 1) >>> 0;
      return;
    }
    if (dir.next < 0) {
      if (seg.payload.length > 0) this.counts.withoutSyn++;
      return;
    }
    if (seg.payload.length > 0) this.accept(conn, fromClient, dir, seg.seq, seg.payload, seg.tsNs, true);
    if (seg.fin && dir.finSeq < 0) dir.finSeq = (seg.seq + seg.payload.length) >>> 0;
    this.checkFin(dir);
    if (seg.rst || (conn.dirs[0].closed && conn.dirs[1].closed)) this.endConnection(key, conn);
  }

  /** Ends every connection still open (the capture is over). */
  finish(): void {
    for (const [key, conn] of this.connections) this.endConnection(key, conn);
  }

  private accept(conn: Connection, fromClient: boolean, dir: Direction, seq: number, payload: Uint8Array, tsNs: number, fresh: boolean): void {
    let bytes = payload;
    const d = seqDiff(seq, dir.next);
    if (d < 0) {
      if (fresh) this.counts.retransmitted++;
      if (bytes.length <= -d) return;
      bytes = bytes.subarray(-d);
    } else if (d > 0) {
      if (fresh) this.counts.outOfOrder++;
      // Kept until the gap fills: copied, the capture's buffer moves on.
      insertHeld(dir.held, { seq, bytes: bytes.slice(), tsNs });
      return;
    }
    conn.sink.data(fromClient, bytes, tsNs);
    dir.next = (dir.next + bytes.length) >>> 0;
    // Held segments the stream has now reached, readable from this moment on.
    while (dir.held.length > 0 && seqDiff(dir.held[0]!.seq, dir.next) <= 0) {
      const h = dir.held.shift()!;
      this.accept(conn, fromClient, dir, h.seq, h.bytes, Math.max(h.tsNs, tsNs), false);
    }
  }

  private checkFin(dir: Direction): void {
    if (!dir.closed && dir.finSeq >= 0 && dir.next === dir.finSeq) {
      dir.closed = true;
      dir.next = (dir.next + 1) >>> 0;
    }
  }

  private endConnection(key: string, conn: Connection): void {
    if (conn.ended) return;
    conn.ended = true;
    this.connections.delete(key);
    for (const dir of conn.dirs) {
      if (dir.held.length === 0) continue;
      this.counts.stuck++;
      for (const h of dir.held) this.counts.stuckBytes += h.bytes.length;
    }
    conn.sink.end();
  }
}

/** Inserts by sequence number (wrap-aware), keeping the list ordered. */
function insertHeld(list: Held[], h: Held): void {
  let i = list.length;
  while (i > 0 && seqDiff(list[i - 1]!.seq, h.seq) > 0) i--;
  list.splice(i, 0, h);
}
