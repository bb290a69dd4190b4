// The mock's check of an image a request carries, as a vision server's image
// loader would refuse it: a base64 data URI whose data is base64, holding a
// PNG whose every chunk passes its CRC, whose IHDR is a valid header, whose
// image data inflates (zlib checks its Adler-32) to exactly the rows the
// header promises, each with a valid filter byte, and that ends with IEND;
// or a JPEG that starts with SOI, has a start-of-frame with its size and
// ends with EOI. Other formats and image URLs (the mock fetches nothing) are
// refused. Node's zlib does the byte work (native, so a megapixel image costs
// the event loop a millisecond or two, not tens).

import { crc32, inflateSync } from 'node:zlib';

/** An image the mock accepted: its identity (for the prefix cache) and size. */
export interface MockImage {
  /** CRC-32 and length of the file: equal files, equal keys. */
  key: string;
  width: number;
  height: number;
  /** width × height. */
  pixels: number;
  /** Bytes of the file. */
  bytes: number;
}

/** Why an image was refused, in the words a server's image loader would use. */
export class ImageError extends Error {}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks an image given as a data URI (or a URL, refused); throws ImageError saying why it cannot be read. */
export function checkImageUrl(url: string): MockImage {
  const head = /^data:([a-z]+\/[a-z0-9.+-]+);base64,/i.exec(url.slice(0, 100));
  if (head === null) {
    if (/^https?:\/\//i.test(url)) throw new ImageError('the mock server fetches no image URLs; send the image inline as a base64 data URI');
    throw new ImageError(`expected a base64 data URI (data:image/png;base64,...), got ${JSON.stringify(url.slice(0, 40))}`);
  }
  return checkImageData(head[1] as string, url.slice(head[0].length));
}

/** Checks base64 image data of a media type (Anthropic's base64 source); throws ImageError. */
export function checkImageData(mediaType: string, data: string): MockImage {
  if (data.length === 0 || data.length % 4 !== 0 || !BASE64.test(data)) throw new ImageError('the image data is not valid base64');
  const file = Buffer.from(data, 'base64');
  const size = isPng(file) ? pngSize(file) : isJpeg(file) ? jpegSize(file) : null;
  if (size === null) throw new ImageError(`cannot identify image file (${mediaType}): the mock reads PNG and JPEG`);
  return { key: `${crc32(file)}:${file.length}`, width: size.width, height: size.height, pixels: size.width * size.height, bytes: file.length };
}

function isPng(file: Buffer): boolean {
  return file.length >= 8 && file.readUInt32BE(0) === 0x89504e47 && file.readUInt32BE(4) === 0x0d0a1a0a;
}

function isJpeg(file: Buffer): boolean {
  return file.length >= 4 && file[0] === 0xff && file[1] === 0xd8 && file[2] === 0xff;
}

/** Bit depths PNG allows per colour type, and the colour type's channels. */
const COLOUR_TYPES: Record<number, { depths: number[]; channels: number }> = {
  0: { depths: [1, 2, 4, 8, 16], channels: 1 },
  2: { depths: [8, 16], channels: 3 },
  3: { depths: [1, 2, 4, 8], channels: 1 },
  4: { depths: [8, 16], channels: 2 },
  6: { depths: [8, 16], channels: 4 },
};

function pngSize(file: Buffer): { width: number; height: number } {
  let at = 8;
  let header: { width: number; height: number; depth: number; colour: number; interlace: number } | null = null;
  const data: Buffer[] = [];
  let ended = false;
  while (at < file.length) {
    if (at + 12 > file.length) throw new ImageError(`truncated PNG file: a chunk header at byte ${at} runs past the end`);
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > file.length) throw new ImageError(`truncated PNG file: chunk ${type} at byte ${at} runs past the end`);
    if (file.readUInt32BE(at + 8 + length) !== crc32(file.subarray(at + 4, at + 8 + length))) throw new ImageError(`broken PNG file: chunk ${type} at byte ${at} fails its CRC check`);
    const body = file.subarray(at + 8, at + 8 + length);
    if (header === null && type !== 'IHDR') throw new ImageError('broken PNG file: the first chunk is not IHDR');
    if (type === 'IHDR') header = readHeader(body);
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') {
      ended = true;
      at += 12 + length;
      break;
    }
    at += 12 + length;
  }
  if (header === null || !ended) throw new ImageError('truncated PNG file: no IEND chunk');
  if (at !== file.length) throw new ImageError(`broken PNG file: ${file.length - at} bytes after IEND`);
  if (data.length === 0) throw new ImageError('broken PNG file: no IDAT chunk');
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(data));
  } catch (err) {
    throw new ImageError(`broken PNG file: the image data does not inflate (${(err as Error).message})`);
  }
  if (header.interlace === 0) {
    const rowBytes = 1 + Math.ceil((header.width * header.depth * (COLOUR_TYPES[header.colour] as { channels: number }).channels) / 8);
    if (raw.length !== header.height * rowBytes) throw new ImageError(`broken PNG file: ${raw.length} bytes of image data, expected ${header.height * rowBytes} for ${header.width}x${header.height}`);
    for (let r = 0; r < header.height; r++) if ((raw[r * rowBytes] as number) > 4) throw new ImageError(`broken PNG file: row ${r} has filter type ${raw[r * rowBytes]}`);
  }
  return { width: header.width, height: header.height };
}

function readHeader(body: Buffer): { width: number; height: number; depth: number; colour: number; interlace: number } {
  if (body.length !== 13) throw new ImageError(`broken PNG file: IHDR of ${body.length} bytes, expected 13`);
  const width = body.readUInt32BE(0);
  const height = body.readUInt32BE(4);
  const depth = body[8] as number;
  const colour = body[9] as number;
  const interlace = body[12] as number;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw new ImageError(`broken PNG file: size ${width}x${height}`);
  if (!COLOUR_TYPES[colour]?.depths.includes(depth)) throw new ImageError(`broken PNG file: bit depth ${depth} with colour type ${colour}`);
  if (body[10] !== 0 || body[11] !== 0 || interlace > 1) throw new ImageError('broken PNG file: unknown compression, filter or interlace method');
  return { width, height, depth, colour, interlace };
}

function jpegSize(file: Buffer): { width: number; height: number } {
  if (file[file.length - 2] !== 0xff || file[file.length - 1] !== 0xd9) throw new ImageError('truncated JPEG file: no end-of-image marker');
  let at = 2;
  while (at + 9 <= file.length) {
    if (file[at] !== 0xff) throw new ImageError(`broken JPEG file: no marker at byte ${at}`);
    const marker = file[at + 1] as number;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = file.readUInt16BE(at + 5);
      const width = file.readUInt16BE(at + 7);
      if (width === 0 || height === 0) throw new ImageError(`broken JPEG file: size ${width}x${height}`);
      return { width, height };
    }
    at += 2 + file.readUInt16BE(at + 2);
  }
  throw new ImageError('broken JPEG file: no start-of-frame segment');
}
