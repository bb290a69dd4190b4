// The PNG writer's pieces against Node's zlib (CRC-32, inflate with its
// Adler-32 check) and the synthetic images as a decoder reads them: every
// chunk's CRC, IHDR's size, the image data inflating to exactly height rows
// of 1 + 3 × width bytes, the last row per image, and the base64 helpers.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { adler32, adler32Combine, crc32, getUint32 } from '../../../src/images/png.ts';
import { base64Encode, base64Length, base64Slice } from '../../../src/images/base64.ts';
import { MAX_IMAGE_SIDE, SyntheticImages } from '../../../src/images/synthetic-image.ts';
import { imageInfo } from '../../../src/images/image-info.ts';

/** The chunks of a PNG file, each checked against zlib's CRC-32. */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: { type: string; data: Buffer }[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), zlibCrc32(png.subarray(at + 4, at + 8 + length)), `CRC of ${type} at ${at}`);
    out.push({ type, data });
    at += 12 + length;
  }
  assert.equal(at, png.length, 'the file ends with its last chunk');
  return out;
}

/** A PNG's width, height and inflated image data (inflateSync checks the Adler-32). */
function decode(url: string): { width: number; height: number; raw: Buffer } {
  const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
  const list = chunks(png);
  assert.equal(list[0]?.type, 'IHDR');
  assert.equal(list[list.length - 1]?.type, 'IEND');
  const ihdr = list[0]!.data;
  assert.deepEqual([...ihdr.subarray(8)], [8, 2, 0, 0, 0], 'bit depth 8, RGB, deflate, filter 0, no interlace');
  const raw = inflateSync(Buffer.concat(list.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), raw };
}

describe('png checksums', () => {
  const bytes = new Uint8Array(100_000).map((_, i) => (i * 7919) & 0xff);
  it('crc32 equals zlib\'s, whole and continued', () => {
    assert.equal(crc32(bytes), zlibCrc32(bytes));
    assert.equal(crc32(bytes, 500, bytes.length, crc32(bytes, 0, 500)), zlibCrc32(bytes));
    assert.equal(crc32(new Uint8Array(0)), 0);
  });
  it('adler32 of "Wikipedia" and of long data; combine equals the whole', () => {
    assert.equal(adler32(new TextEncoder().encode('Wikipedia')), 0x11e60398);
    const whole = adler32(bytes);
    assert.equal(adler32(bytes, 40_000, bytes.length, adler32(bytes, 0, 40_000)), whole);
    assert.equal(adler32Combine(adler32(bytes, 0, 40_000), adler32(bytes, 40_000), 60_000), whole);
    assert.equal(adler32Combine(1, adler32(bytes), bytes.length), whole, 'after nothing');
  });
  it('getUint32 reads big-endian', () => assert.equal(getUint32(new Uint8Array([1, 2, 3, 4]), 0), 0x01020304));
});

describe('base64', () => {
  it('encodes as Buffer does, every tail length', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 6000, 6001, 6002]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
      assert.equal(base64Encode(bytes), Buffer.from(bytes).toString('base64'), `${n} bytes`);
    }
  });
  it('length and slices without decoding the rest', () => {
    const bytes = new Uint8Array(50).map((_, i) => i * 5);
    for (const n of [48, 49, 50]) {
      const text = Buffer.from(bytes.subarray(0, n)).toString('base64');
      assert.equal(base64Length(text), n);
      assert.deepEqual(base64Slice(text, 0, n), bytes.subarray(0, n));
      assert.deepEqual(base64Slice(text, 7, 5), bytes.subarray(7, 12));
      assert.equal(base64Slice(text, n - 1, 2), null, 'past the end');
    }
    assert.equal(base64Length('abc'), null);
    assert.equal(base64Slice('ab!d', 0, 1), null);
  });
});

describe('SyntheticImages', () => {
  it('writes valid PNGs of the asked size: every CRC, the Adler-32 and the data length check out', () => {
    const images = new SyntheticImages(1);
    for (const [w, h] of [[1, 1], [7, 3], [64, 64], [640, 480], [21845, 2].map((x) => Math.min(x, MAX_IMAGE_SIDE)), [3000, 40]]) {
      const img = images.image(w as number, h as number, 5);
      const { width, height, raw } = decode(img.url);
      assert.deepEqual([width, height], [w, h]);
      const rowLength = 3 * (w as number) + 1;
      assert.equal(raw.length, (h as number) * rowLength, `${w}x${h}: height rows of 1 + 3 × width bytes`);
      for (let r = 0; r < (h as number); r++) assert.equal(raw[r * rowLength], 0, `row ${r} filter None`);
      assert.equal(img.bytes, Buffer.from(img.url.slice(22), 'base64').length, 'bytes as sent');
    }
  });
  it('one seed and key, one file; another key changes the last row only; another seed, all rows', () => {
    const a = new SyntheticImages(1);
    const first = a.image(32, 8, 1);
    assert.equal(new SyntheticImages(1).image(32, 8, 1).url, first.url, 'deterministic, cache or not');
    assert.equal(a.image(32, 8, 1).url, first.url, 'from the cached prefix');
    const other = decode(a.image(32, 8, 2).url).raw;
    const same = decode(first.url).raw;
    assert.notEqual(a.image(32, 8, 2).url, first.url);
    assert.deepEqual(other.subarray(0, 7 * 97), same.subarray(0, 7 * 97), 'rows before the last shared');
    assert.notDeepEqual(other.subarray(7 * 97), same.subarray(7 * 97), 'the last row is the image\'s own');
    assert.notDeepEqual(decode(new SyntheticImages(2).image(32, 8, 1).url).raw.subarray(0, 97), same.subarray(0, 97));
  });
  it('uses the injected encoder for the large part, and keeps a few sizes', () => {
    let encoded = 0;
    const images = new SyntheticImages(3, (b) => {
      encoded++;
      return Buffer.from(b).toString('base64');
    });
    for (const side of [10, 20, 10, 30, 40, 50, 10]) decode(images.image(side, side, side).url);
    // 10, 20, 30, 40 built; 10 reused twice; 50 evicts 20 (least recently used); 10 still kept.
    assert.equal(encoded, 5);
  });
  it('refuses sizes it cannot write', () => {
    assert.throws(() => new SyntheticImages(1).image(0, 5, 1), /invalid image width; expected a whole number of pixels from 1 to 8192, got 0/);
    assert.throws(() => new SyntheticImages(1).image(5, 8193, 1), /invalid image height/);
  });
});

describe('imageInfo', () => {
  it('bytes and pixels of a PNG data URI, from its first bytes', () => {
    const img = new SyntheticImages(1).image(300, 200, 1);
    assert.deepEqual(imageInfo(img.url), { bytes: img.bytes, pixels: 60_000 });
  });
  it('a JPEG\'s start-of-frame after an APP segment, a GIF, and what it cannot tell', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xd9]);
    assert.deepEqual(imageInfo(`data:image/jpeg;base64,${jpeg.toString('base64')}`), { bytes: jpeg.length, pixels: 640 * 480 });
    const gif = Buffer.from('GIF89a\x10\x00\x08\x00\x00\x00\x00', 'latin1');
    assert.deepEqual(imageInfo(`data:image/gif;base64,${gif.toString('base64')}`), { bytes: gif.length, pixels: 128 });
    assert.deepEqual(imageInfo('data:image/webp;base64,UklGRg=='), { bytes: 4, pixels: null });
    assert.deepEqual(imageInfo('https://example.com/cat.png'), { bytes: null, pixels: null });
    assert.deepEqual(imageInfo('data:image/png;base64,bm90IGEgcG5nIGF0IGFsbCwgbm90IGF0IGFsbA=='), { bytes: 28, pixels: null });
  });
});
