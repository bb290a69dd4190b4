// The checksums and framing of a PNG file (RFC 2083) and its zlib stream
// (RFC 1950/1951) with stored (uncompressed) deflate blocks: CRC-32 of each
// chunk, Adler-32 of the image data and how two Adler-32s combine, a
// chunk's bytes, a stored block's header. Enough to write a valid PNG with no
// compressor, and to check one (the mock server). Pure: bytes in, bytes out;
// runs in k6 (no node:*).

/** The 8 bytes every PNG starts with. */
export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Most bytes one stored deflate block holds. */
export const STORED_BLOCK_MAX = 65535;

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, PNG's and zlib's) of bytes[start, end), continuing from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const ADLER_BASE = 65521;

/** Adler-32 of bytes[start, end), continuing from `adler` (1 to start). */
export function adler32(bytes: Uint8Array, start = 0, end = bytes.length, adler = 1): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  let i = start;
  while (i < end) {
    // 3800 bytes keep b below 2^32 between reductions (zlib's NMAX is 5552 for 2^32 − 1).
    const stop = Math.min(end, i + 3800);
    for (; i < stop; i++) {
      a += bytes[i] as number;
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** Adler-32 of A followed by B, from Adler-32 of A, of B and B's length (zlib's adler32_combine). */
export function adler32Combine(adlerA: number, adlerB: number, lengthB: number): number {
  const rem = lengthB % ADLER_BASE;
  let sum1 = adlerA & 0xffff;
  let sum2 = (rem * sum1) % ADLER_BASE;
  sum1 += (adlerB & 0xffff) + ADLER_BASE - 1;
  sum2 += (adlerA >>> 16) + (adlerB >>> 16) + ADLER_BASE - rem;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum2 >= 2 * ADLER_BASE) sum2 -= 2 * ADLER_BASE;
  if (sum2 >= ADLER_BASE) sum2 -= ADLER_BASE;
  return ((sum2 << 16) | sum1) >>> 0;
}

/** Writes a 32-bit big-endian number at `at`. */
export function putUint32(into: Uint8Array, at: number, value: number): void {
  into[at] = (value >>> 24) & 0xff;
  into[at + 1] = (value >>> 16) & 0xff;
  into[at + 2] = (value >>> 8) & 0xff;
  into[at + 3] = value & 0xff;
}

/** Reads a 32-bit big-endian number at `at`. */
export function getUint32(from: Uint8Array, at: number): number {
  return (((from[at] as number) << 24) | ((from[at + 1] as number) << 16) | ((from[at + 2] as number) << 8) | (from[at + 3] as number)) >>> 0;
}

/**
 * A whole PNG chunk: length, type, data, and the CRC over type and data.
 * `data` is written in place by `fill` (so a caller can lay out large data
 * without a copy); returns the chunk's bytes.
 */
export function pngChunk(type: string, length: number, fill: (into: Uint8Array, at: number) => void): Uint8Array {
  const chunk = new Uint8Array(12 + length);
  putUint32(chunk, 0, length);
  for (let i = 0; i < 4; i++) chunk[4 + i] = type.charCodeAt(i);
  fill(chunk, 8);
  putUint32(chunk, 8 + length, crc32(chunk, 4, 8 + length));
  return chunk;
}

/** The IHDR chunk of an 8-bit RGB image (colour type 2, no interlace). */
export function ihdrRgb(width: number, height: number): Uint8Array {
  return pngChunk('IHDR', 13, (into, at) => {
    putUint32(into, at, width);
    putUint32(into, at + 4, height);
    into[at + 8] = 8; // bit depth
    into[at + 9] = 2; // colour type: RGB
    into[at + 10] = 0; // compression: deflate
    into[at + 11] = 0; // filter method 0
    into[at + 12] = 0; // no interlace
  });
}

/** The IEND chunk. */
export function iend(): Uint8Array {
  return pngChunk('IEND', 0, () => {});
}

/** Writes a stored block's 5-byte header at `at`: BFINAL, BTYPE 00, LEN, NLEN (little-endian). */
export function storedBlockHeader(into: Uint8Array, at: number, length: number, final: boolean): void {
  into[at] = final ? 1 : 0;
  into[at + 1] = length & 0xff;
  into[at + 2] = (length >>> 8) & 0xff;
  into[at + 3] = ~length & 0xff;
  into[at + 4] = (~length >>> 8) & 0xff;
}

/** The zlib header of a deflate stream with a 32 KiB window and no preset dictionary (0x78 0x01: check bits valid). */
export const ZLIB_HEADER: readonly number[] = [0x78, 0x01];
