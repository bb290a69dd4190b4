// Synthetic images in k6: the pure PNG writer with k6's native base64 (Go)
// for the large part of each size, so a megapixel image costs a VU little
// more than its copy into the request body.
import encoding from 'k6/encoding';
import { SyntheticImages } from '../images/synthetic-image.ts';

/** A VU's image maker of `seed`. */
export function syntheticImages(seed: number): SyntheticImages {
  return new SyntheticImages(seed, (bytes) => encoding.b64encode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 'std'));
}
