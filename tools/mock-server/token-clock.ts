// When each token of a response is due: offsets from t0 (the moment the
// request body was in), ttft + i × itl with optional seeded jitter. Pure; the
// capacity model's BatchClock (capacity.ts) is the other TokenSchedule.

import { mulberry32 } from './prng.ts';
import type { MockConfig } from './config.ts';

/** Due offsets (ms from t0) of a response's successive tokens. */
export interface TokenSchedule {
  /** Offset at which the next token is due; never less than the previous one. */
  next(): number;
}

/** Per-request token schedule: yields each token's due offset from t0 (ms), lazily and monotonically. */
export class TokenClock implements TokenSchedule {
  private index = 0;
  private last = 0;
  private readonly random: () => number;

  /** `requestIndex` picks the request's own PRNG stream so runs are reproducible. */
  constructor(
    private readonly config: Pick<MockConfig, 'ttftMs' | 'itlMs' | 'jitterMs' | 'seed'>,
    requestIndex: number,
  ) {
    // Mixing by a large odd constant keeps neighbouring requests' streams unrelated.
    this.random = mulberry32((config.seed ^ Math.imul(requestIndex + 1, 0x9e3779b9)) >>> 0);
  }

  /** Offset (ms after the body was received) at which the next token is due. */
  next(): number {
    const { ttftMs, itlMs, jitterMs } = this.config;
    let due = ttftMs + this.index * itlMs;
    if (jitterMs > 0) due += (this.random() * 2 - 1) * jitterMs;
    // Jitter may delay a token but never reorder it before its predecessor (or t0).
    if (due < this.last) due = this.last;
    this.last = due;
    this.index += 1;
    return due;
  }
}
