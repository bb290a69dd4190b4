// Synthetic prompt text of a requested token length. Words are common
// three-letter English words, so " the" is one token for BPE tokenizers and
// 4 characters for servers (and the mock) that estimate 4 characters per
// token: N words ≈ N tokens either way. Deterministic per seed; unique per
// request (its own random stream) unless part of it is a shared prefix.

import { hashSeed, seededRandom, type Random } from '../random.ts';

/**
 * 128 common three-letter words, each after a space (4 characters, one
 * token), then the first seven again so that eight words can start at any
 * of the 128: one string, shared by every VU (a literal is not copied per
 * VU, a split list would be).
 */
const WORDS =
  ' the and for are but not you all any can had her was one our out day get has him his how man new now old see' +
  ' two way who boy did its let put say she too use act add age ago air arm art ask bad bag bed big bit box bus buy' +
  ' car cat cup cut dog dry due ear eat egg end eye far fat few fit fix fly fun gas god gun guy hat hit hot ice job' +
  ' key kid law lay leg lie lot low map mix mom net oil own pay pen pet pie pop red rid row run sad sea set sit six' +
  ' sky son sun tax tea ten tie tip top toy try war wet win yes yet fan' +
  ' the and for are but not you';

/** Words taken from one start in WORDS. */
const RUN = 8;

/**
 * `tokens` words from `random`, each with a leading space (4 characters, one
 * token). One draw of `random` gives four 7-bit starts, each of RUN
 * consecutive words of WORDS: k6's interpreter pays per operation, and a
 * draw and a concatenation per word cost it 250 µs for 100 words, this
 * about 45.
 */
export function fillerText(tokens: number, random: Random): string {
  let out = '';
  let left = tokens;
  let bits = 0;
  let draws = 0;
  while (left > 0) {
    if (draws === 0) {
      bits = (random() * 4294967296) >>> 0;
      draws = 4;
    }
    const at = (bits & 127) * 4;
    const words = left < RUN ? left : RUN;
    out += WORDS.substring(at, at + words * 4);
    bits >>>= 7;
    draws--;
    left -= words;
  }
  return out;
}

/** Knobs of a synthetic prompt. */
export interface SyntheticPromptOptions {
  /** LLM_SEED. */
  seed: number;
  /** Share of each prompt (0–1) that is the same for every request: a cacheable prefix. */
  sharedPrefix: number;
}

/**
 * The prompt of request `index` (global, so equal across instances), `tokens`
 * long. The first round(sharedPrefix·tokens) words come from one stream for
 * all requests, the rest from the request's own stream.
 */
export function syntheticPrompt(tokens: number, index: number, options: SyntheticPromptOptions): string {
  const shared = Math.round(options.sharedPrefix * tokens);
  const prefix = shared > 0 ? fillerText(shared, seededRandom(hashSeed(options.seed, 0x5eed))) : '';
  return (prefix + fillerText(tokens - shared, seededRandom(hashSeed(options.seed, 0xa11, index)))).trimStart();
}

/**
 * A trace conversation's prompt: the first `tokens` words of the
 * conversation's own stream, so a later, longer turn starts with the text of
 * every earlier one (the history a chat server can cache).
 */
export function conversationPrompt(tokens: number, conversationSeed: number, seed: number): string {
  return fillerText(tokens, seededRandom(hashSeed(seed, 0xc0, conversationSeed))).trimStart();
}
