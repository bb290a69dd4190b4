// Reads classic pcap captures (what `tcpdump -w` writes) and decodes their TCP
// segments: µs and ns timestamp magics in either byte order; link types
// EN10MB (Linux `lo`), LINUX_SLL, LINUX_SLL2, NULL, LOOP and RAW; IPv4 and
// IPv6; TCP only (everything else is counted and skipped). Pure apart from
// readPcapFile, which streams a file in fixed-size chunks so a capture of
// hundreds of MB never sits in memory whole.

import { closeSync, openSync, readSync } from 'node:fs';

/** Link-layer header types (https://www.tcpdump.org/linktypes.html). */
export const LINKTYPE = { NULL: 0, EN10MB: 1, RAW: 101, LOOP: 108, LINUX_SLL: 113, LINUX_SLL2: 276 } as const;

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const PCAPNG_MAGIC = 0x0a0d0d0a;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
/** A record claiming more than this is a corrupt file, not a packet. */
const MAX_RECORD = 16 * 1024 * 1024;

/** One TCP segment of the capture. */
export interface TcpSegment {
  /**
   * Capture time in ns since `baseSec` (the whole Unix second of the first
   * record), exact as an integer: an absolute Unix ns count does not fit a
   * double's 53 bits, a relative one does.
   */
  tsNs: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  /** Sequence and acknowledgment numbers, unsigned 32-bit. */
  seq: number;
  ack: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  /** The TCP flag ACK. */
  ackFlag: boolean;
  /** The segment's payload; valid only during the callback (copy it to keep it). */
  payload: Uint8Array;
  /** The record was cut by the snap length: payload is missing bytes. */
  truncated: boolean;
}

/** Counters of what the reader saw. */
export interface PcapCounts {
  records: number;
  tcp: number;
  /** Records that were not TCP over IPv4/IPv6 (ARP, UDP, fragments...). */
  skipped: number;
  /** Records shorter than their headers say (snap length). */
  truncated: number;
}

/** Decodes a classic pcap stream pushed in arbitrary chunks. */
export class PcapReader {
  private readonly onSegment: (segment: TcpSegment) => void;
  private pending: Uint8Array = new Uint8Array(0);
  private headerDone = false;
  private littleEndian = true;
  private nanos = false;
  private linkType = -1;
  private base = -1;
  readonly counts: PcapCounts = { records: 0, tcp: 0, skipped: 0, truncated: 0 };

  constructor(onSegment: (segment: TcpSegment) => void) {
    this.onSegment = onSegment;
  }

  /** The Unix second tsNs counts from; -1 before the first record. */
  get baseSec(): number {
    return this.base;
  }

  /** The capture's link type; -1 before the header. */
  get link(): number {
    return this.linkType;
  }

  /** True when the capture's timestamps are in ns (else µs). */
  get nanosecond(): boolean {
    return this.nanos;
  }

  /** Feeds the next bytes of the file. Throws on a file that is not classic pcap. */
  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.pending.length > 0) {
      const joined = new Uint8Array(this.pending.length + chunk.length);
      joined.set(this.pending, 0);
      joined.set(chunk, this.pending.length);
      buf = joined;
    }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let pos = 0;
    if (!this.headerDone) {
      if (buf.length < GLOBAL_HEADER) {
        this.pending = buf.slice();
        return;
      }
      this.readGlobalHeader(view);
      pos = GLOBAL_HEADER;
    }
    const le = this.littleEndian;
    while (buf.length - pos >= RECORD_HEADER) {
      const caplen = view.getUint32(pos + 8, le);
      if (caplen > MAX_RECORD) throw new Error(`invalid pcap record; expected a length up to ${MAX_RECORD} bytes, got ${caplen} (corrupt or truncated file)`);
      if (buf.length - pos - RECORD_HEADER < caplen) break;
      const sec = view.getUint32(pos, le);
      const frac = view.getUint32(pos + 4, le);
      const origlen = view.getUint32(pos + 12, le);
      if (this.base < 0) this.base = sec;
      const tsNs = (sec - this.base) * 1e9 + (this.nanos ? frac : frac * 1000);
      const start = pos + RECORD_HEADER;
      this.counts.records++;
      this.decode(buf.subarray(start, start + caplen), view, start, tsNs, caplen < origlen);
      pos = start + caplen;
    }
    // Only the incomplete tail is kept (copied, so the caller's chunk can go).
    this.pending = pos === buf.length ? new Uint8Array(0) : buf.slice(pos);
  }

  /** Bytes of an incomplete record left at the end (0 for a complete file). */
  get leftover(): number {
    return this.pending.length;
  }

  private readGlobalHeader(view: DataView): void {
    const le = view.getUint32(0, true);
    const be = view.getUint32(0, false);
    if (le === MAGIC_US || le === MAGIC_NS) {
      this.littleEndian = true;
      this.nanos = le === MAGIC_NS;
    } else if (be === MAGIC_US || be === MAGIC_NS) {
      this.littleEndian = false;
      this.nanos = be === MAGIC_NS;
    } else if (le === PCAPNG_MAGIC) {
      throw new Error('invalid capture; expected classic pcap, got pcapng (write it with tcpdump -w, or convert it with editcap -F pcap)');
    } else {
      throw new Error(`invalid capture; expected a pcap magic number, got 0x${le.toString(16).padStart(8, '0')}`);
    }
    // The upper bits may carry FCS information; the link type is the low 16.
    this.linkType = view.getUint32(20, this.littleEndian) & 0xffff;
    const known: number[] = Object.values(LINKTYPE);
    if (!known.includes(this.linkType)) {
      throw new Error(`unsupported pcap link type ${this.linkType}; expected one of EN10MB (1), LINUX_SLL (113), LINUX_SLL2 (276), NULL (0), LOOP (108), RAW (101)`);
    }
    this.headerDone = true;
  }

  /** Decodes one record: link layer, IP, TCP. */
  private decode(rec: Uint8Array, view: DataView, at: number, tsNs: number, cut: boolean): void {
    let off: number;
    let ethertype = -1;
    switch (this.linkType) {
      case LINKTYPE.EN10MB:
        if (rec.length < 14) return this.skip(cut);
        ethertype = view.getUint16(at + 12, false);
        off = 14;
        // 802.1Q / 802.1ad tags.
        while ((ethertype === 0x8100 || ethertype === 0x88a8) && rec.length >= off + 4) {
          ethertype = view.getUint16(at + off + 2, false);
          off += 4;
        }
        break;
      case LINKTYPE.LINUX_SLL:
        if (rec.length < 16) return this.skip(cut);
        ethertype = view.getUint16(at + 14, false);
        off = 16;
        break;
      case LINKTYPE.LINUX_SLL2:
        if (rec.length < 20) return this.skip(cut);
        ethertype = view.getUint16(at, false);
        off = 20;
        break;
      case LINKTYPE.NULL:
      case LINKTYPE.LOOP:
        // The 4-byte family is in the capturing host's byte order (NULL) or
        // big-endian (LOOP), and AF_INET6 differs between systems: the IP
        // version nibble says more than the family.
        off = 4;
        break;
      default:
        off = 0;
    }
    if (rec.length <= off) return this.skip(cut);
    const version = rec[off]! >> 4;
    if (ethertype >= 0 && !((ethertype === 0x0800 && version === 4) || (ethertype === 0x86dd && version === 6))) return this.skip(cut);
    if (version === 4) this.ipv4(rec, view, at, off, tsNs, cut);
    else if (version === 6) this.ipv6(rec, view, at, off, tsNs, cut);
    else this.skip(cut);
  }

  private ipv4(rec: Uint8Array, view: DataView, at: number, off: number, tsNs: number, cut: boolean): void {
    if (rec.length < off + 20) return this.skip(cut);
    const ihl = (rec[off]! & 0x0f) * 4;
    const total = view.getUint16(at + off + 2, false);
    const fragment = view.getUint16(at + off + 6, false);
    // Fragments (more-fragments flag or an offset) are not reassembled; loopback never fragments.
    if (rec[off + 9] !== 6 || (fragment & 0x3fff) !== 0 || ihl < 20) return this.skip(cut);
    const src = `${rec[off + 12]}.${rec[off + 13]}.${rec[off + 14]}.${rec[off + 15]}`;
    const dst = `${rec[off + 16]}.${rec[off + 17]}.${rec[off + 18]}.${rec[off + 19]}`;
    // The IP total length bounds the segment (Ethernet may pad short frames).
    this.tcp(rec, view, at, off + ihl, off + total, src, dst, tsNs, cut);
  }

  private ipv6(rec: Uint8Array, view: DataView, at: number, off: number, tsNs: number, cut: boolean): void {
    if (rec.length < off + 40) return this.skip(cut);
    const payloadLength = view.getUint16(at + off + 4, false);
    let next = rec[off + 6]!;
    const src = ipv6Text(rec, off + 8);
    const dst = ipv6Text(rec, off + 24);
    const end = off + 40 + payloadLength;
    let p = off + 40;
    // Hop-by-hop, routing and destination options headers; a fragment header ends it.
    while (next === 0 || next === 43 || next === 60) {
      if (rec.length < p + 8) return this.skip(cut);
      next = rec[p]!;
      p += (rec[p + 1]! + 1) * 8;
    }
    if (next !== 6) return this.skip(cut);
    this.tcp(rec, view, at, p, end, src, dst, tsNs, cut);
  }

  private tcp(rec: Uint8Array, view: DataView, at: number, off: number, ipEnd: number, src: string, dst: string, tsNs: number, cut: boolean): void {
    if (rec.length < off + 20) return this.skip(cut);
    const dataOffset = (rec[off + 12]! >> 4) * 4;
    const flags = rec[off + 13]!;
    const end = Math.min(ipEnd, rec.length);
    const truncated = cut && ipEnd > rec.length;
    if (truncated) this.counts.truncated++;
    this.counts.tcp++;
    this.onSegment({
      tsNs,
      src,
      srcPort: view.getUint16(at + off, false),
      dst,
      dstPort: view.getUint16(at + off + 2, false),
      seq: view.getUint32(at + off + 4, false),
      ack: view.getUint32(at + off + 8, false),
      fin: (flags & 0x01) !== 0,
      syn: (flags & 0x02) !== 0,
      rst: (flags & 0x04) !== 0,
      ackFlag: (flags & 0x10) !== 0,
      payload: off + dataOffset < end ? rec.subarray(off + dataOffset, end) : EMPTY,
      truncated,
    });
  }

  private skip(cut: boolean): void {
    this.counts.skipped++;
    if (cut) this.counts.truncated++;
  }
}

const EMPTY = new Uint8Array(0);

/** An IPv6 address as eight hex groups (not compressed: it is only a key). */
function ipv6Text(b: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 16; i += 2) {
    if (i > 0) s += ':';
    s += ((b[off + i]! << 8) | b[off + i + 1]!).toString(16);
  }
  return s;
}

/** Reads a pcap file in `chunkBytes` chunks, calling onSegment for every TCP segment. */
export function readPcapFile(path: string, onSegment: (segment: TcpSegment) => void, chunkBytes = 4 * 1024 * 1024): PcapReader {
  const reader = new PcapReader(onSegment);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      // A fresh buffer per chunk: segments handed out point into it.
      const buf = new Uint8Array(chunkBytes);
      const n = readSync(fd, buf, 0, chunkBytes, null);
      if (n === 0) break;
      reader.push(n === chunkBytes ? buf : buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return reader;
}
