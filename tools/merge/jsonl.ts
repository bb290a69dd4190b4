// Lines of a (possibly many-GiB) JSONL file, read in 1 MiB chunks: only the
// current chunk and the line being assembled are held, never the file.

import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 10;

/** Yields each non-empty line of the file at `path` with its 1-based line number. */
export function* fileLines(path: string): Generator<{ text: string; line: number }> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let carry: Buffer | null = null;
    let line = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      let start = 0;
      for (let i = chunk.indexOf(NEWLINE, 0); i >= 0 && i < n; i = chunk.indexOf(NEWLINE, i + 1)) {
        line++;
        const text: string = carry ? Buffer.concat([carry, chunk.subarray(start, i)]).toString('utf8') : chunk.toString('utf8', start, i);
        carry = null;
        start = i + 1;
        if (text.trim() !== '') yield { text, line };
      }
      if (start < n) carry = carry ? Buffer.concat([carry, chunk.subarray(start, n)]) : Buffer.from(chunk.subarray(start, n));
    }
    if (carry && carry.length > 0) {
      const text = carry.toString('utf8');
      if (text.trim() !== '') yield { text, line: line + 1 };
    }
  } finally {
    closeSync(fd);
  }
}
