// Which chat requests get an injected fault, and which kind: a pure, seeded
// plan, so a faulted run is reproducible and its injected share is exact.

import { hashSeed, seededRandom, type Random } from '../../src/random.ts';
import type { FaultKind } from './config.ts';

// Seed parts that keep the plan's streams apart from each other and from the
// token clocks of the same --seed.
const PHASE_SALT = 0x5eed5eed;
const ORDER_SALT = 0x85ebca6b;

/**
 * Which chat requests get a fault, and which one. Exactly `rate` of the
 * requests (± 1) are faulted, evenly spread from a seeded phase, so a short
 * run's injected share is the configured one rather than a binomial draw;
 * kinds cycle through the mix in a fresh seeded order each cycle, so every
 * kind appears once per cycle.
 */
export class FaultPlan {
  private index = 0;
  private faulted = 0;
  private readonly phase: number;
  private order: FaultKind[] = [];

  /** `rate` is the faulted share (0..1); `mix` the kinds, repeated by weight (parseFaultMix). */
  constructor(
    private readonly seed: number,
    private readonly rate: number,
    private readonly mix: readonly FaultKind[],
  ) {
    this.phase = seededRandom(hashSeed(seed, PHASE_SALT))();
  }

  /** The fault of the next request, or null for a clean answer. */
  next(): FaultKind | null {
    const i = this.index++;
    if (this.rate <= 0 || this.mix.length === 0) return null;
    if (Math.floor((i + 1) * this.rate + this.phase) === Math.floor(i * this.rate + this.phase)) return null;
    const j = this.faulted++;
    const position = j % this.mix.length;
    if (position === 0) this.order = shuffled(this.mix, seededRandom(hashSeed(this.seed, ORDER_SALT, j / this.mix.length)));
    return this.order[position]!;
  }
}

/** Fisher–Yates shuffle of a copy. */
function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
