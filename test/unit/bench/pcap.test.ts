// The pcap reader: both timestamp magics in both byte orders, every link
// type it claims, IPv4 and IPv6, records cut at any byte boundary between
// pushes, snap-length truncation, non-TCP records skipped, pcapng refused.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LINKTYPE, PcapReader, readPcapFile, type TcpSegment } from '../../../tools/bench/pcap.ts';
import { at, bytes, frame, T0, writePcap, writePcapFrames, type SynthSegment } from './support/pcap-writer.ts';

const seg = (over: Partial<SynthSegment>): SynthSegment => ({
  unixNs: at(1.234567),
  src: '127.0.0.1',
  srcPort: 40312,
  dst: '127.0.0.1',
  dstPort: 8080,
  seq: 0xfffffff0,
  ack: 77,
  flags: { ack: true, psh: true },
  payload: bytes('hello'),
  ...over,
});

type Seen = Omit<TcpSegment, 'payload'> & { text: string };

function readAll(file: Uint8Array, step = file.length): { segments: Seen[]; reader: PcapReader } {
  const segments: Seen[] = [];
  const reader = new PcapReader(({ payload, ...rest }) => segments.push({ ...rest, text: Buffer.from(payload).toString('latin1') }));
  for (let i = 0; i < file.length; i += step) reader.push(file.subarray(i, Math.min(file.length, i + step)));
  return { segments, reader };
}

const baseSecOf = Number(T0 / 1_000_000_000n);

describe('pcap reader', () => {
  for (const nanos of [true, false]) {
    for (const littleEndian of [true, false]) {
      it(`reads ${nanos ? 'ns' : 'µs'} timestamps, ${littleEndian ? 'little' : 'big'}-endian`, () => {
        const file = writePcap({ linkType: LINKTYPE.EN10MB, nanos, littleEndian }, [seg({}), seg({ unixNs: at(2.5), payload: bytes('x') })]);
        const { segments, reader } = readAll(file);
        assert.equal(reader.baseSec, baseSecOf);
        assert.equal(reader.nanosecond, nanos);
        assert.equal(segments.length, 2);
        // T0 is a whole second; 1.234567 ms is 1 234 567 ns, which a µs file keeps as 1234 µs.
        assert.equal(segments[0]!.tsNs, nanos ? 1_234_567 : 1_234_000);
        assert.equal(segments[1]!.tsNs, 2_500_000);
        assert.equal(segments[0]!.text, 'hello');
        assert.equal(segments[0]!.seq, 0xfffffff0);
        assert.equal(segments[0]!.ack, 77);
        assert.equal(segments[0]!.srcPort, 40312);
        assert.equal(segments[0]!.dstPort, 8080);
        assert.equal(segments[0]!.ackFlag, true);
        assert.equal(segments[0]!.syn, false);
      });
    }
  }

  for (const [name, linkType] of Object.entries(LINKTYPE)) {
    for (const family of ['IPv4', 'IPv6']) {
      it(`decodes ${family} TCP in link type ${name}`, () => {
        const v6 = family === 'IPv6';
        const s = seg({ src: v6 ? '::1' : '127.0.0.1', dst: v6 ? '::1' : '127.0.0.2', flags: { syn: true, fin: true, rst: true }, payload: bytes('data: x\n\n') });
        const { segments, reader } = readAll(writePcap({ linkType, nanos: true, littleEndian: true }, [s]));
        assert.equal(reader.counts.skipped, 0);
        assert.equal(segments.length, 1);
        const got = segments[0]!;
        assert.equal(got.src, v6 ? '0:0:0:0:0:0:0:1' : '127.0.0.1');
        assert.equal(got.dst, v6 ? '0:0:0:0:0:0:0:1' : '127.0.0.2');
        assert.equal(got.text, 'data: x\n\n');
        assert.deepEqual([got.syn, got.fin, got.rst, got.ackFlag], [true, true, true, false]);
      });
    }
  }

  it('reads the same segments whatever the chunk boundaries', () => {
    const segs = Array.from({ length: 12 }, (_, i) => seg({ unixNs: at(i * 3.000001), seq: 1000 + i * 5, payload: bytes(`p${i}`.padEnd(5, '.')) }));
    const file = writePcap({ linkType: LINKTYPE.LINUX_SLL2, nanos: true, littleEndian: true }, segs);
    const whole = readAll(file).segments;
    assert.equal(whole.length, 12);
    for (const step of [1, 2, 7, 16, 23, 24, 25, 100]) assert.deepEqual(readAll(file, step).segments, whole, `step ${step}`);
  });

  it('ignores Ethernet padding past the IP total length', () => {
    const s = seg({ payload: new Uint8Array(0) });
    const file = writePcap({ linkType: LINKTYPE.EN10MB, nanos: true, littleEndian: true }, [s]);
    // Append 6 padding bytes to the one record (caplen and origlen grow).
    const padded = new Uint8Array(file.length + 6);
    padded.set(file, 0);
    const v = new DataView(padded.buffer);
    v.setUint32(24 + 8, v.getUint32(24 + 8, true) + 6, true);
    v.setUint32(24 + 12, v.getUint32(24 + 12, true) + 6, true);
    const { segments } = readAll(padded);
    assert.equal(segments[0]!.text, '');
  });

  it('counts records cut by the snap length and non-TCP records', () => {
    const s = seg({ payload: bytes('a'.repeat(100)) });
    const tcp = writePcap({ linkType: LINKTYPE.EN10MB, nanos: true, littleEndian: true }, [s], 80);
    const { segments, reader } = readAll(tcp);
    assert.equal(reader.counts.truncated, 1);
    assert.equal(segments[0]!.truncated, true);
    assert.equal(segments[0]!.text.length, 80 - 14 - 20 - 20);

    // UDP (protocol 17) and an ARP frame.
    const ip = new Uint8Array(28);
    ip[0] = 0x45;
    new DataView(ip.buffer).setUint16(2, 28);
    ip[9] = 17;
    const arp = new Uint8Array(42);
    new DataView(arp.buffer).setUint16(12, 0x0806);
    const other = writePcapFrames({ linkType: LINKTYPE.EN10MB, nanos: true, littleEndian: true }, [
      { unixNs: T0, data: frame(LINKTYPE.EN10MB, ip) },
      { unixNs: T0, data: arp },
    ]);
    const r = readAll(other);
    assert.equal(r.segments.length, 0);
    assert.equal(r.reader.counts.skipped, 2);
    assert.equal(r.reader.counts.records, 2);
  });

  it('keeps an incomplete last record as leftover, not a segment', () => {
    const file = writePcap({ linkType: LINKTYPE.EN10MB, nanos: true, littleEndian: true }, [seg({}), seg({})]);
    const { segments, reader } = readAll(file.subarray(0, file.length - 3));
    assert.equal(segments.length, 1);
    assert.ok(reader.leftover > 0);
  });

  it('refuses pcapng and other files with a clear message', () => {
    const ng = new Uint8Array(28);
    new DataView(ng.buffer).setUint32(0, 0x0a0d0d0a, true);
    assert.throws(() => new PcapReader(() => {}).push(ng), /expected classic pcap, got pcapng/);
    assert.throws(() => new PcapReader(() => {}).push(new Uint8Array(24).fill(7)), /expected a pcap magic number, got 0x07070707/);
    const odd = writePcap({ linkType: 147, nanos: true, littleEndian: true }, []);
    assert.throws(() => new PcapReader(() => {}).push(odd), /unsupported pcap link type 147/);
  });

  it('streams a file in small chunks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-pcap-test-'));
    try {
      const segs = Array.from({ length: 50 }, (_, i) => seg({ unixNs: at(i), seq: i, payload: bytes(`segment ${i}`) }));
      const path = join(dir, 'c.pcap');
      writeFileSync(path, writePcap({ linkType: LINKTYPE.EN10MB, nanos: false, littleEndian: false }, segs));
      const texts: string[] = [];
      const reader = readPcapFile(path, (s) => texts.push(Buffer.from(s.payload).toString()), 37);
      assert.equal(texts.length, 50);
      assert.equal(texts[49], 'segment 49');
      assert.equal(reader.leftover, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
