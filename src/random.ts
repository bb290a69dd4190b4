// Seeded pseudo-random numbers and the few distributions the schedules and
// prompts need. Pure and deterministic: the same seed gives the same stream
// in Node (tests) and in every k6 VU and instance.

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Mixes integers into one 32-bit seed (order matters), e.g. hashSeed(seed, requestIndex). */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  // An indexed loop: k6's interpreter walks for-of through the iterator protocol, several times slower.
  for (let i = 0; i < parts.length; i++) {
    // Math.imul-based mixing (murmur3 finaliser) keeps nearby inputs far apart.
    h ^= Math.floor(parts[i] as number) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Hash of a string into a seed part (e.g. a workload name or conversation id). */
export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A seeded generator (mulberry32): fast, 32-bit state, good enough for load shapes. */
export function seededRandom(seed: number): Random {
  let state = hashSeed(seed) || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponential with the given mean. */
export function exponential(random: Random, mean: number): number {
  // 1 - u is in (0, 1]: log never sees 0.
  return -Math.log(1 - random()) * mean;
}

/** Standard normal (Box-Muller; one of the pair is discarded for simplicity). */
export function standardNormal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, scale) by Marsaglia and Tsang; shape < 1 uses the boost Gamma(shape+1)·U^(1/shape). */
export function gamma(random: Random, shape: number, scale: number): number {
  if (shape < 1) return gamma(random, shape + 1, scale) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}
