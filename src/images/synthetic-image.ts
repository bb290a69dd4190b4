// Synthetic images for vision requests: valid PNG files (8-bit RGB, stored
// deflate blocks, so no compressor is needed) of any size, as base64 data
// URIs, deterministic from the seed. Every row but the last is one seeded
// row of noise; the last row is drawn per image (its key), so no two images
// of a run are the same file (a server's image cache cannot answer one for
// another) while nearly all of the work is done once per size:
//   - the rows before the last fill stored blocks of whole rows, one block
//     per IDAT chunk, so every full chunk is the same bytes and its CRC is
//     computed once; the image data's Adler-32 is combined, not recomputed;
//   - the base64 of everything before the last chunk is kept per size (the
//     last few sizes), and per image only the last row's chunk and IEND are
//     built and encoded (a few kB for a 1024-pixel-wide image).
// Pure; the k6 shell passes a native base64 encoder for the large part.

import { invalid } from '../errors.ts';
import { hashSeed, seededRandom } from '../random.ts';
import { base64Encode } from './base64.ts';
import { adler32, adler32Combine, iend, ihdrRgb, PNG_SIGNATURE, pngChunk, putUint32, STORED_BLOCK_MAX, storedBlockHeader, ZLIB_HEADER } from './png.ts';

/** Largest side (pixels) of a synthetic image: a row of 3 × 8192 + 1 bytes fits a stored block twice. */
export const MAX_IMAGE_SIDE = 8192;

/** One synthetic image: its data URI and its size. */
export interface SyntheticImage {
  /** data:image/png;base64,... */
  url: string;
  /** Pixels across. */
  width: number;
  /** Pixels down. */
  height: number;
  /** Bytes of the PNG file. */
  bytes: number;
}

/** What stays the same for every image of one size: the file up to its last chunk, as base64. */
interface SizePrefix {
  /** base64 of the prefix's bytes up to a multiple of 3. */
  base64: string;
  /** The prefix's last 0–2 bytes, encoded with the tail of each image. */
  carry: Uint8Array;
  /** Adler-32 of the rows before the last. */
  adler: number;
  /** Bytes of the prefix. */
  length: number;
}

/** How many sizes' prefixes a SyntheticImages keeps (each up to 4/3 of its image's size). */
const KEPT_SIZES = 4;

/** Makes synthetic PNG images; keep one per VU (its cache of sizes is its own). */
export class SyntheticImages {
  private readonly prefixes = new Map<string, SizePrefix>();

  /** `seed`: the images' content; `encodeBase64`: base64 of a large buffer (k6/encoding's in k6). */
  constructor(
    private readonly seed: number,
    private readonly encodeBase64: (bytes: Uint8Array) => string = (b) => base64Encode(b),
  ) {}

  /** The image `key` of the given size: the same key, size and seed give the same file. */
  image(width: number, height: number, key: number): SyntheticImage {
    checkSide('width', width);
    checkSide('height', height);
    const prefix = this.prefixOf(width, height);
    const rowLength = 3 * width + 1;
    const last = noiseRow(width, seededRandom(hashSeed(this.seed, 0x1a57, width, height, key)));
    const adler = adler32Combine(prefix.adler, adler32(last), rowLength);
    // The last block holds the last row; the zlib stream's Adler-32 follows it.
    const tailChunk = pngChunk('IDAT', 5 + rowLength + 4, (into, at) => {
      storedBlockHeader(into, at, rowLength, true);
      into.set(last, at + 5);
      putUint32(into, at + 5 + rowLength, adler);
    });
    const end = iend();
    const tail = new Uint8Array(prefix.carry.length + tailChunk.length + end.length);
    tail.set(prefix.carry, 0);
    tail.set(tailChunk, prefix.carry.length);
    tail.set(end, prefix.carry.length + tailChunk.length);
    return { url: `data:image/png;base64,${prefix.base64}${base64Encode(tail)}`, width, height, bytes: prefix.length + tailChunk.length + end.length };
  }

  private prefixOf(width: number, height: number): SizePrefix {
    const name = `${width}x${height}`;
    let prefix = this.prefixes.get(name);
    if (prefix !== undefined) {
      // Most recently used last: the first key is the one to drop.
      this.prefixes.delete(name);
      this.prefixes.set(name, prefix);
      return prefix;
    }
    prefix = buildPrefix(width, height, this.seed, this.encodeBase64);
    if (this.prefixes.size >= KEPT_SIZES) this.prefixes.delete(this.prefixes.keys().next().value as string);
    this.prefixes.set(name, prefix);
    return prefix;
  }
}

function checkSide(name: string, side: number): void {
  if (!Number.isInteger(side) || side < 1 || side > MAX_IMAGE_SIDE) throw invalid(`image ${name}`, `a whole number of pixels from 1 to ${MAX_IMAGE_SIDE}`, side);
}

/** A row of the image data: filter byte 0 (None), then width × RGB of seeded noise. */
function noiseRow(width: number, random: () => number): Uint8Array {
  const row = new Uint8Array(3 * width + 1);
  for (let i = 1; i < row.length; i += 4) {
    // One draw gives four bytes.
    const n = (random() * 4294967296) >>> 0;
    row[i] = n & 0xff;
    if (i + 1 < row.length) row[i + 1] = (n >>> 8) & 0xff;
    if (i + 2 < row.length) row[i + 2] = (n >>> 16) & 0xff;
    if (i + 3 < row.length) row[i + 3] = n >>> 24;
  }
  return row;
}

/**
 * Signature, IHDR, the zlib header's IDAT chunk and the IDAT chunks of the
 * rows before the last: full blocks of `perBlock` rows (one chunk, built
 * once and repeated), then the rest.
 */
function buildPrefix(width: number, height: number, seed: number, encodeBase64: (bytes: Uint8Array) => string): SizePrefix {
  const row = noiseRow(width, seededRandom(hashSeed(seed, 0x1a56, width, height)));
  const rowLength = row.length;
  const perBlock = Math.max(1, Math.floor(STORED_BLOCK_MAX / rowLength));
  const rows = height - 1;
  const full = Math.floor(rows / perBlock);
  const rest = rows % perBlock;
  const blockChunk = (n: number): Uint8Array =>
    pngChunk('IDAT', 5 + n * rowLength, (into, at) => {
      storedBlockHeader(into, at, n * rowLength, false);
      for (let r = 0; r < n; r++) into.set(row, at + 5 + r * rowLength);
    });
  const head = new Uint8Array([...PNG_SIGNATURE]);
  const ihdr = ihdrRgb(width, height);
  const zlib = pngChunk('IDAT', 2, (into, at) => into.set(ZLIB_HEADER, at));
  const fullChunk = full > 0 ? blockChunk(perBlock) : null;
  const restChunk = rest > 0 ? blockChunk(rest) : null;
  const length = head.length + ihdr.length + zlib.length + full * (fullChunk?.length ?? 0) + (restChunk?.length ?? 0);
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of [head, ihdr, zlib]) {
    bytes.set(part, at);
    at += part.length;
  }
  for (let i = 0; i < full; i++) {
    bytes.set(fullChunk as Uint8Array, at);
    at += (fullChunk as Uint8Array).length;
  }
  if (restChunk) bytes.set(restChunk, at);
  let adler = 1;
  const rowAdler = adler32(row);
  for (let r = 0; r < rows; r++) adler = adler32Combine(adler, rowAdler, rowLength);
  const aligned = length - (length % 3);
  return { base64: encodeBase64(bytes.subarray(0, aligned)), carry: bytes.slice(aligned), adler, length };
}
