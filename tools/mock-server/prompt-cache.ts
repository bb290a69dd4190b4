// The mock's prefix cache (off unless --prefix-cache-blocks is set), a
// vLLM-style automatic prefix cache in miniature, deterministic:
//   - a prompt is read as a token sequence: its messages in order, each
//     message its images (an image is ⌈pixels / --image-pixels-per-token⌉
//     tokens of one identity, its file's CRC) then its text (⌈characters / 4⌉
//     tokens of 4 characters, as the usage estimate counts them), the role
//     marking where a message starts;
//   - every full block of 16 tokens is remembered by a hash of everything up
//     to its end (so a block matches only after the same prefix);
//   - a request's cached tokens are its leading blocks found in the cache,
//     16 each, at most the prompt's tokens − 1 (the last token is always
//     computed, as in vLLM); then all its full blocks are stored (those not
//     already there are its written tokens), least recently used blocks
//     evicted beyond the capacity;
//   - a cached prefix skips its share of prefill: the first token comes
//     after (prompt tokens − cached tokens) × --prefill-ms-per-token, plus
//     --image-ms-per-kpixel per 1000 pixels of each image not wholly inside
//     the cached prefix (admit.ts).
// So a chat's next turn, which repeats the whole history, hits on it, and
// synthetic prompts with LLM_SHARED_PREFIX hit on their shared part. Pure.

import type { MockImage } from './image-check.ts';

/** Tokens per cache block (vLLM's default block size). */
export const CACHE_BLOCK_TOKENS = 16;

/** A piece of a prompt in order: a message's text (with its role) or one of its images. */
export type PromptPiece = { kind: 'text'; role: string; text: string } | { kind: 'image'; image: MockImage };

/** Tokens of an image: ⌈pixels / pixelsPerToken⌉ (one per 28 × 28 patch by default). */
export function imageTokens(image: Pick<MockImage, 'pixels'>, pixelsPerToken: number): number {
  return Math.ceil(image.pixels / pixelsPerToken);
}

/** A prompt as the cache reads it: its full blocks' keys, and where each image's tokens end. */
export interface PromptBlocks {
  /** One key per full block of CACHE_BLOCK_TOKENS tokens, in order. */
  keys: string[];
  /** Tokens counted (text and images). */
  tokens: number;
  /** Each image with the token its span ends at (exclusive). */
  images: { image: MockImage; endToken: number }[];
}

/** The block keys of a prompt's pieces: a running hash (two FNV-1a lanes) sampled at every 16th token. */
export function promptBlocks(pieces: readonly PromptPiece[], pixelsPerToken: number): PromptBlocks {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let tokens = 0;
  const keys: string[] = [];
  const images: PromptBlocks['images'] = [];
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 16777619);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
    }
  };
  const token = (): void => {
    tokens++;
    if (tokens % CACHE_BLOCK_TOKENS === 0) keys.push(`${tokens}.${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}`);
  };
  for (const piece of pieces) {
    if (piece.kind === 'image') {
      mix(`\u0001img:${piece.image.key}`);
      const n = imageTokens(piece.image, pixelsPerToken);
      for (let i = 0; i < n; i++) token();
      images.push({ image: piece.image, endToken: tokens });
      continue;
    }
    mix(`\u0002${piece.role}\u0003`);
    const text = piece.text;
    // Token i of the text is its characters [4i, 4i + 4): a partial last one is a token too.
    for (let at = 0; at < text.length; at += 4) {
      mix(text.slice(at, at + 4));
      token();
    }
  }
  return { keys, tokens, images };
}

/** What the cache did for one request. */
export interface CacheOutcome {
  /** Prompt tokens found in the cache (a multiple of 16). */
  cachedTokens: number;
  /** Prompt tokens this request stored that were not there (a multiple of 16). */
  writtenTokens: number;
  /** Pixels of the images not wholly inside the cached prefix: their encoding is not skipped. */
  uncachedPixels: number;
}

/** The mock's counters of the cache (GET /mock/stats → promptCache). */
export interface PromptCacheStats {
  /** Requests looked up (every generation request admitted while the cache was on). */
  lookups: number;
  /** Of those, requests with cached tokens > 0. */
  hits: number;
  /** Prompt tokens of the looked-up requests. */
  promptTokens: number;
  cachedTokens: number;
  writtenTokens: number;
  /** Blocks held now. */
  blocks: number;
  /** Blocks dropped to make room. */
  evictions: number;
}

/** The blocks held, least recently used first. */
export class PrefixCache {
  private readonly blocks = new Map<string, true>();
  private readonly counts = { lookups: 0, hits: 0, promptTokens: 0, cachedTokens: 0, writtenTokens: 0, evictions: 0 };

  /**
   * Looks a prompt up and stores its blocks; `promptTokens` is what usage
   * reports (it caps the cached tokens at promptTokens − 1). `capacity` 0
   * (the cache off) clears it and finds nothing.
   */
  lookup(prompt: PromptBlocks, promptTokens: number, capacity: number): CacheOutcome {
    if (capacity <= 0) {
      this.blocks.clear();
      return { cachedTokens: 0, writtenTokens: 0, uncachedPixels: prompt.images.reduce((n, i) => n + i.image.pixels, 0) };
    }
    const usable = Math.floor(Math.max(0, promptTokens - 1) / CACHE_BLOCK_TOKENS);
    let found = 0;
    while (found < Math.min(usable, prompt.keys.length) && this.blocks.has(prompt.keys[found] as string)) found++;
    let written = 0;
    for (const key of prompt.keys) {
      // Touched blocks move to the most recently used end.
      if (!this.blocks.delete(key)) written++;
      this.blocks.set(key, true);
    }
    while (this.blocks.size > capacity) {
      this.blocks.delete(this.blocks.keys().next().value as string);
      this.counts.evictions++;
    }
    const cachedTokens = found * CACHE_BLOCK_TOKENS;
    const outcome = {
      cachedTokens,
      writtenTokens: written * CACHE_BLOCK_TOKENS,
      uncachedPixels: prompt.images.filter((i) => i.endToken > cachedTokens).reduce((n, i) => n + i.image.pixels, 0),
    };
    this.counts.lookups++;
    if (cachedTokens > 0) this.counts.hits++;
    this.counts.promptTokens += promptTokens;
    this.counts.cachedTokens += cachedTokens;
    this.counts.writtenTokens += outcome.writtenTokens;
    return outcome;
  }

  /** The counters, and the blocks held now. */
  stats(): PromptCacheStats {
    return { ...this.counts, blocks: this.blocks.size };
  }

  /** Zeroes the counters (the blocks stay: a server's cache outlives its statistics). */
  resetStats(): void {
    for (const key of Object.keys(this.counts) as (keyof typeof this.counts)[]) this.counts[key] = 0;
  }
}
