// Request bodies with large base64 images, written without JSON.stringify
// reading every character of them: JSON.stringify of a 4 MB data URI costs
// a k6 VU 35-50 ms (it checks each character for escaping), splicing it in
// as it is about 5 ms. Only images k6-llm made itself are spliced (their
// characters are base64 and the data URI's head, none of which JSON
// escapes); a script's own image strings take the ordinary path. Pure.

import type { ImagePart } from './protocol.ts';

/** Image parts whose URL k6-llm wrote itself (trustedImage): known to need no escaping. */
const TRUSTED = new WeakSet<object>();

/** An image part of a data URI k6-llm made (synthetic images): its text goes into bodies as it is. */
export function trustedImage(url: string): ImagePart {
  const part: ImagePart = { type: 'image', url };
  TRUSTED.add(part);
  return part;
}

// A string JSON.stringify writes as it is, and no message text can hold (a NUL).
const MARK = '\u0000k6llm-raw\u0000';
const QUOTED_MARK = JSON.stringify(MARK);

/** Builds one body: texts of trusted parts go in raw (slot), the rest through JSON.stringify. */
export class JsonBody {
  private readonly raw: string[] = [];

  /** `text` (the part's URL or a piece of it) as the body will hold it: a marker to splice for a trusted part, else the text. */
  slot(part: ImagePart, text: string): string {
    if (!TRUSTED.has(part)) return text;
    this.raw.push(text);
    return MARK;
  }

  /** The body's JSON text, each marker replaced by its raw text in quotes. */
  stringify(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.raw.length === 0) return text;
    const parts = text.split(QUOTED_MARK);
    // Only a message text that is exactly the marker could add a split: refuse it rather than send a body that lies.
    if (parts.length - 1 !== this.raw.length) throw new Error('invalid message text; expected no text equal to k6-llm\'s internal marker, got one');
    let out = parts[0] as string;
    for (let i = 1; i < parts.length; i++) out += `"${this.raw[i - 1] as string}"${parts[i] as string}`;
    return out;
  }
}
