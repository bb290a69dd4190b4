// Standard base64 (RFC 4648, with padding) in plain JavaScript: encoding for
// the small parts of an image built per request, and decoding a few bytes at
// a given offset of a data URI (an image's header), so its size is read
// without decoding megabytes. The k6 shell encodes large buffers natively
// (k6/encoding). Pure.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = ((): Int16Array => {
  const v = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) v[ALPHABET.charCodeAt(i)] = i;
  return v;
})();

/** base64 of bytes[start, end). */
export function base64Encode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const parts: string[] = [];
  let chunk = '';
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    chunk += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
    // Joined in pieces: one string grown character by character is slow in k6's engine.
    if (chunk.length >= 4096) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const left = end - i;
  if (left === 1) {
    const n = (bytes[i] as number) << 16;
    chunk += `${ALPHABET[n >>> 18]}${ALPHABET[(n >>> 12) & 63]}==`;
  } else if (left === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    chunk += `${ALPHABET[n >>> 18]}${ALPHABET[(n >>> 12) & 63]}${ALPHABET[(n >>> 6) & 63]}=`;
  }
  parts.push(chunk);
  return parts.join('');
}

/** Bytes the base64 text decodes to (padding counted off); null when its length is not a multiple of 4. */
export function base64Length(text: string): number | null {
  if (text.length % 4 !== 0) return null;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - pad;
}

/**
 * `count` decoded bytes starting at decoded offset `from`, read from only
 * the characters that hold them; null when the text is not valid base64
 * there or ends first.
 */
export function base64Slice(text: string, from: number, count: number): Uint8Array | null {
  const out = new Uint8Array(count);
  const firstGroup = Math.floor(from / 3);
  const lastGroup = Math.floor((from + count - 1) / 3);
  let written = 0;
  for (let g = firstGroup; g <= lastGroup; g++) {
    const at = g * 4;
    if (at + 4 > text.length) return null;
    let n = 0;
    let valid = 3;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(at + k);
      if (c === 61 /* = */) {
        valid = Math.min(valid, k - 1);
        n <<= 6;
        continue;
      }
      const v = c < 128 ? (VALUES[c] as number) : -1;
      if (v < 0) return null;
      n = (n << 6) | v;
    }
    const bytes = [(n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
    for (let k = 0; k < 3; k++) {
      const offset = g * 3 + k;
      if (offset < from || offset >= from + count) continue;
      if (k >= valid) return null;
      out[written++] = bytes[k] as number;
    }
  }
  return written === count ? out : null;
}
