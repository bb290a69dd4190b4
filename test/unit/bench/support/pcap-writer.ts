// Synthesises classic pcap captures for the bench's capture-analysis tests:
// TCP segments over IPv4 or IPv6 in any supported link type, with µs or ns
// timestamps in either byte order, and a small TCP conversation builder that
// tracks sequence numbers so a test can split, retransmit and reorder
// segments at will and know every timestamp exactly.

import { LINKTYPE } from '../../../../tools/bench/pcap.ts';

/** How the file is written. */
export interface PcapFormat {
  linkType: number;
  /** ns timestamps (magic a1b23c4d) instead of µs. */
  nanos: boolean;
  littleEndian: boolean;
}

/** One TCP segment to write. */
export interface SynthSegment {
  /** Absolute Unix time, ns. */
  unixNs: bigint;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  seq: number;
  ack: number;
  flags: { syn?: boolean; ack?: boolean; fin?: boolean; rst?: boolean; psh?: boolean };
  payload: Uint8Array;
}

const encoder = new TextEncoder();
export const bytes = (s: string): Uint8Array => encoder.encode(s);

function ipv4Bytes(addr: string): number[] {
  return addr.split('.').map(Number);
}

function ipv6Bytes(addr: string): number[] {
  // Accepts "::1" and full forms.
  const [head = '', tail = ''] = addr.includes('::') ? addr.split('::') : [addr, ''];
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = addr.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out: number[] = [];
  for (const g of groups) {
    const v = Number.parseInt(g, 16);
    out.push(v >> 8, v & 0xff);
  }
  return out;
}

function tcpHeader(s: SynthSegment): Uint8Array {
  const h = new Uint8Array(20);
  const v = new DataView(h.buffer);
  v.setUint16(0, s.srcPort);
  v.setUint16(2, s.dstPort);
  v.setUint32(4, s.seq >>> 0);
  v.setUint32(8, s.ack >>> 0);
  h[12] = 5 << 4;
  const f = s.flags;
  h[13] = (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0);
  v.setUint16(14, 65535);
  return h;
}

/** The IP packet (v4 or v6 by the address form) carrying the segment. */
export function ipPacket(s: SynthSegment): Uint8Array {
  const tcp = tcpHeader(s);
  const l4 = new Uint8Array(tcp.length + s.payload.length);
  l4.set(tcp, 0);
  l4.set(s.payload, tcp.length);
  if (s.src.includes(':')) {
    const p = new Uint8Array(40 + l4.length);
    const v = new DataView(p.buffer);
    p[0] = 0x60;
    v.setUint16(4, l4.length);
    p[6] = 6;
    p[7] = 64;
    p.set(ipv6Bytes(s.src), 8);
    p.set(ipv6Bytes(s.dst), 24);
    p.set(l4, 40);
    return p;
  }
  const p = new Uint8Array(20 + l4.length);
  const v = new DataView(p.buffer);
  p[0] = 0x45;
  v.setUint16(2, p.length);
  v.setUint16(6, 0x4000); // don't fragment
  p[8] = 64;
  p[9] = 6;
  p.set(ipv4Bytes(s.src), 12);
  p.set(ipv4Bytes(s.dst), 16);
  p.set(l4, 20);
  return p;
}

/** The link-layer frame of an IP packet. */
export function frame(linkType: number, ip: Uint8Array, littleEndianHost = true): Uint8Array {
  const v6 = ip[0]! >> 4 === 6;
  const ethertype = v6 ? 0x86dd : 0x0800;
  let head: Uint8Array;
  switch (linkType) {
    case LINKTYPE.EN10MB: {
      head = new Uint8Array(14);
      new DataView(head.buffer).setUint16(12, ethertype);
      break;
    }
    case LINKTYPE.LINUX_SLL: {
      head = new Uint8Array(16);
      const v = new DataView(head.buffer);
      v.setUint16(0, 0); // to us
      v.setUint16(2, 772); // ARPHRD_LOOPBACK
      v.setUint16(4, 6);
      v.setUint16(14, ethertype);
      break;
    }
    case LINKTYPE.LINUX_SLL2: {
      head = new Uint8Array(20);
      const v = new DataView(head.buffer);
      v.setUint16(0, ethertype);
      v.setUint32(4, 1); // interface index
      v.setUint16(8, 772);
      head[10] = 0;
      head[11] = 6;
      break;
    }
    case LINKTYPE.NULL: {
      head = new Uint8Array(4);
      new DataView(head.buffer).setUint32(0, v6 ? 30 : 2, littleEndianHost);
      break;
    }
    case LINKTYPE.LOOP: {
      head = new Uint8Array(4);
      new DataView(head.buffer).setUint32(0, v6 ? 24 : 2, false);
      break;
    }
    default:
      head = new Uint8Array(0);
  }
  const out = new Uint8Array(head.length + ip.length);
  out.set(head, 0);
  out.set(ip, head.length);
  return out;
}

/** A whole pcap file of raw frames. `snaplen` cuts records (orig length kept). */
export function writePcapFrames(format: PcapFormat, frames: { unixNs: bigint; data: Uint8Array }[], snaplen = 262144): Uint8Array {
  const le = format.littleEndian;
  const total = 24 + frames.reduce((n, f) => n + 16 + Math.min(snaplen, f.data.length), 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, format.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, snaplen, le);
  v.setUint32(20, format.linkType, le);
  let pos = 24;
  for (const f of frames) {
    const sec = f.unixNs / 1_000_000_000n;
    const nsec = f.unixNs % 1_000_000_000n;
    const cap = Math.min(snaplen, f.data.length);
    v.setUint32(pos, Number(sec), le);
    v.setUint32(pos + 4, format.nanos ? Number(nsec) : Number(nsec / 1000n), le);
    v.setUint32(pos + 8, cap, le);
    v.setUint32(pos + 12, f.data.length, le);
    out.set(f.data.subarray(0, cap), pos + 16);
    pos += 16 + cap;
  }
  return out;
}

/** A pcap file of TCP segments. */
export function writePcap(format: PcapFormat, segments: SynthSegment[], snaplen?: number): Uint8Array {
  return writePcapFrames(
    format,
    segments.map((s) => ({ unixNs: s.unixNs, data: frame(format.linkType, ipPacket(s), format.littleEndian) })),
    snaplen,
  );
}

/** Base time of the synthetic captures: an arbitrary 2025 second. */
export const T0 = 1_760_000_000_000_000_000n;
/** T0 plus ms (may be fractional down to ns). */
export const at = (ms: number): bigint => T0 + BigInt(Math.round(ms * 1e6));

/**
 * One TCP connection's segments, sequence numbers tracked per direction.
 * Each send returns the segment (already appended to `segments`), so a test
 * can duplicate or reorder it.
 */
export class Conversation {
  readonly segments: SynthSegment[] = [];
  private clientSeq: number;
  private serverSeq: number;

  constructor(
    readonly client: string,
    readonly clientPort: number,
    readonly server: string,
    readonly serverPort: number,
    clientIsn = 1000,
    serverIsn = 5000,
  ) {
    this.clientSeq = clientIsn;
    this.serverSeq = serverIsn;
  }

  private seg(fromClient: boolean, ms: number, payload: Uint8Array, flags: SynthSegment['flags']): SynthSegment {
    const s: SynthSegment = {
      unixNs: at(ms),
      src: fromClient ? this.client : this.server,
      srcPort: fromClient ? this.clientPort : this.serverPort,
      dst: fromClient ? this.server : this.client,
      dstPort: fromClient ? this.serverPort : this.clientPort,
      seq: fromClient ? this.clientSeq : this.serverSeq,
      ack: fromClient ? this.serverSeq : this.clientSeq,
      flags,
      payload,
    };
    const advance = payload.length + (flags.syn ? 1 : 0) + (flags.fin ? 1 : 0);
    if (fromClient) this.clientSeq = (this.clientSeq + advance) >>> 0;
    else this.serverSeq = (this.serverSeq + advance) >>> 0;
    this.segments.push(s);
    return s;
  }

  /** SYN, SYN-ACK, ACK at ms. */
  handshake(ms: number): this {
    this.seg(true, ms, new Uint8Array(0), { syn: true });
    this.seg(false, ms, new Uint8Array(0), { syn: true, ack: true });
    this.seg(true, ms, new Uint8Array(0), { ack: true });
    return this;
  }

  client_(ms: number, text: string | Uint8Array): SynthSegment {
    return this.seg(true, ms, typeof text === 'string' ? bytes(text) : text, { ack: true, psh: true });
  }

  server_(ms: number, text: string | Uint8Array): SynthSegment {
    return this.seg(false, ms, typeof text === 'string' ? bytes(text) : text, { ack: true, psh: true });
  }

  /** A bare ACK (no payload) from either side. */
  ack(fromClient: boolean, ms: number): SynthSegment {
    return this.seg(fromClient, ms, new Uint8Array(0), { ack: true });
  }

  fin(fromClient: boolean, ms: number): SynthSegment {
    return this.seg(fromClient, ms, new Uint8Array(0), { fin: true, ack: true });
  }

  /** A copy of seg captured again at ms (a retransmission). */
  retransmit(seg: SynthSegment, ms: number): SynthSegment {
    const copy = { ...seg, unixNs: at(ms) };
    this.segments.push(copy);
    return copy;
  }
}

/** Segments of several conversations merged in capture-time order (stable). */
export function merge(...lists: SynthSegment[][]): SynthSegment[] {
  const all = lists.flatMap((l, li) => l.map((s, i) => ({ s, li, i })));
  all.sort((a, b) => (a.s.unixNs < b.s.unixNs ? -1 : a.s.unixNs > b.s.unixNs ? 1 : a.li - b.li || a.i - b.i));
  return all.map((x) => x.s);
}
