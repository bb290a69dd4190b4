// The size of an image a request carries, read from its data URI's first
// bytes only: the file's bytes (from the base64 length), and its width and
// height from a PNG's IHDR, a GIF's screen descriptor or a JPEG's start-of-
// frame segment (walked marker by marker, decoding a few bytes each). An
// http(s) URL's image is fetched by the server, so its size is unknown here.
// Pure.

import { dataUri } from '../protocols/message-content.ts';
import { base64Length, base64Slice } from './base64.ts';
import { getUint32 } from './png.ts';

/** What k6-llm knows of one image it sent; null where it cannot tell. */
export interface ImageSize {
  /** Bytes of the image file. */
  bytes: number | null;
  /** width × height. */
  pixels: number | null;
}

/** The size of the image at `url` (a data URI); nulls for a URL or a format whose header is not read. */
export function imageInfo(url: string): ImageSize {
  const uri = dataUri(url);
  if (uri === null) return { bytes: null, pixels: null };
  const bytes = base64Length(uri.data);
  const size = uri.mediaType === 'image/png' ? pngSize(uri.data) : uri.mediaType === 'image/jpeg' ? jpegSize(uri.data) : uri.mediaType === 'image/gif' ? gifSize(uri.data) : null;
  return { bytes, pixels: size === null ? null : size.width * size.height };
}

interface Size {
  width: number;
  height: number;
}

function pngSize(data: string): Size | null {
  // Signature (8), IHDR's length and type (8), then width and height.
  const head = base64Slice(data, 0, 24);
  if (head === null || head[0] !== 0x89 || head[1] !== 0x50 || head[12] !== 0x49 || head[13] !== 0x48) return null;
  return { width: getUint32(head, 16), height: getUint32(head, 20) };
}

function gifSize(data: string): Size | null {
  const head = base64Slice(data, 0, 10);
  if (head === null || head[0] !== 0x47) return null;
  return { width: (head[6] as number) | ((head[7] as number) << 8), height: (head[8] as number) | ((head[9] as number) << 8) };
}

/** Start-of-frame markers (SOF0–SOF15 but DHT, JPG and DAC), which carry the frame's height and width. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(data: string): Size | null {
  let at = 2;
  // A real file reaches its frame header within a few dozen segments.
  for (let segment = 0; segment < 256; segment++) {
    const head = base64Slice(data, at, 9);
    if (head === null || head[0] !== 0xff) return null;
    const marker = head[1] as number;
    if (isStartOfFrame(marker)) return { height: ((head[5] as number) << 8) | (head[6] as number), width: ((head[7] as number) << 8) | (head[8] as number) };
    at += 2 + (((head[2] as number) << 8) | (head[3] as number));
  }
  return null;
}
