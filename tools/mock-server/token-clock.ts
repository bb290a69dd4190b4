// When each token of a response is due: offsets from t0 (the moment the
// request body was in), ttft + prefill + i × itl with optional seeded
// jitter (prefill: the request's own, admit.ts). Pure; the
// capacity model's BatchClock (capacity.ts) is the other TokenSchedule.

import { hashSeed, seededRandom, type Random } from '../../src/random.ts';
import type { MockConfig } from './config.ts';

/** Due offsets (ms from t0) of a response's successive tokens. */
export interface TokenSchedule {
  /** Offset at which the next token is due; never less than the previous one. */
  next(): number;
}

// Seed part that keeps token clocks apart from the fault plan of the same --seed.
const CLOCK_SALT = 0x70c0c10c;

/** Per-request token schedule: yields each token's due offset from t0 (ms), lazily and monotonically. */
export class TokenClock implements TokenSchedule {
  private index = 0;
  private last = 0;
  private readonly random: Random;

  /** `requestIndex` picks the request's own PRNG stream so runs are reproducible; `prefillMs` delays its first token (and so every one). */
  constructor(
    private readonly config: Pick<MockConfig, 'ttftMs' | 'itlMs' | 'jitterMs' | 'seed'>,
    requestIndex: number,
    private readonly prefillMs = 0,
  ) {
    this.random = seededRandom(hashSeed(config.seed, CLOCK_SALT, requestIndex));
  }

  /** Offset (ms after the body was received) at which the next token is due. */
  next(): number {
    const { ttftMs, itlMs, jitterMs } = this.config;
    let due = ttftMs + this.prefillMs + this.index * itlMs;
    if (jitterMs > 0) due += (this.random() * 2 - 1) * jitterMs;
    // Jitter may delay a token but never reorder it before its predecessor (or t0).
    if (due < this.last) due = this.last;
    this.last = due;
    this.index += 1;
    return due;
  }
}
