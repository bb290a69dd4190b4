// Prompts for a script's requests: a fixed prompt, a JSONL dataset (read once
// per process into a SharedArray), synthetic text of a length distribution
// with an optional shared prefix, or the bundled demo prompts, each request
// picked by a global index so instances of a split test send the same
// prompts a single one would; with synthetic images on every user turn when
// asked for. Make it in the init context.

import { parseImageCount, parseImageSize } from '../config/prompts.ts';
import { COUNTS, largest, parseDistribution, TOKENS, type Distribution } from '../distribution.ts';
import { invalid } from '../errors.ts';
import { MAX_IMAGE_SIDE, type SyntheticImages } from '../images/synthetic-image.ts';
import { loadDataset, loadTools } from '../k6/input-files.ts';
import { syntheticImages } from '../k6/synthetic-images.ts';
import { PROTOCOLS } from '../protocols/index.ts';
import { oneLine } from '../k6/load-config.ts';
import type { ToolSpec } from '../protocols/protocol.ts';
import { PromptSource } from '../workloads/prompts.ts';
import { syntheticPrompt as synthetic } from '../workloads/synthetic-prompt.ts';

/** Where prompts come from; the first given of dataset, prompt and promptTokens wins, else the demo prompts. */
export interface PromptOptions {
  /** A JSONL file, one {"prompt": ...} or {"messages": [...]} (and optional "tools") per line; read in the init context. */
  dataset?: string;
  /** One fixed user prompt for every request. */
  prompt?: string;
  /** Synthetic prompts of this many tokens: a number or a distribution such as 'uniform:100:500'. */
  promptTokens?: number | string | Distribution;
  /** Share (0–1) of every synthetic prompt identical across requests: a prefix a server's cache can reuse. Default 0. */
  sharedPrefix?: number;
  /** Seed of synthetic prompts and lengths. Default 1. */
  seed?: number;
  /** Tools every request offers: a JSON file, or the tools (a dataset line's own take precedence). */
  tools?: string | ToolSpec[];
  /** Synthetic PNG images every user turn carries, after its text: a count or a distribution such as 'list:0,1,2'. Default none. */
  images?: number | string | Distribution;
  /** Side in pixels of each synthetic (square) image: a number or a distribution such as 'uniform:256:1024' (at most 8192). Default 512. */
  imageSize?: number | string | Distribution;
  /** Refuse, before load, dataset lines (and images) with tools or images this protocol cannot carry. */
  protocol?: string;
}

/** A source of prompts: `messages(i)` for a single turn, `userText(i)` for a later chat turn, `request(i, shape)` for a whole request. */
export class Prompts extends PromptSource {
  constructor(options: PromptOptions = {}) {
    super(oneLine(() => resolve(options)));
  }
}

function resolve(o: PromptOptions): ConstructorParameters<typeof PromptSource>[0] {
  const sharedPrefix = o.sharedPrefix ?? 0;
  if (typeof sharedPrefix !== 'number' || !(sharedPrefix >= 0 && sharedPrefix <= 1)) throw invalid('sharedPrefix', 'a number from 0 to 1', o.sharedPrefix);
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0) throw invalid('seed', 'a whole number >= 0', o.seed);
  return {
    prompt: o.prompt ?? null,
    promptTokens: o.promptTokens === undefined ? null : tokensOption(o.promptTokens),
    sharedPrefix,
    seed,
    dataset: o.dataset === undefined ? null : loadDataset(o.dataset, 'dataset', o.protocol),
    tools: o.tools === undefined ? null : typeof o.tools === 'string' ? loadTools(o.tools, 'tools') : o.tools,
    images: imagesOption(o, seed),
  };
}

function imagesOption(o: PromptOptions, seed: number): ConstructorParameters<typeof PromptSource>[0]['images'] {
  if (o.images === undefined) {
    if (o.imageSize !== undefined) throw invalid('imageSize', 'nothing without images (the synthetic images it sizes)', o.imageSize);
    return null;
  }
  if (o.protocol !== undefined && PROTOCOLS[o.protocol]?.supportsImages !== true) {
    throw invalid('images', `no images with protocol ${o.protocol} (openai-chat, anthropic-messages and openai-responses take them)`, o.images);
  }
  const perRequest = distributionOption('images', o.images, COUNTS, parseImageCount);
  const side = distributionOption('imageSize', o.imageSize ?? 512, { ...TOKENS, example: 'a whole number of pixels' }, parseImageSize);
  if (largest(side) > MAX_IMAGE_SIDE) throw invalid('imageSize', `image sides of at most ${MAX_IMAGE_SIDE} pixels`, o.imageSize);
  const maker: SyntheticImages = syntheticImages(seed);
  return { perRequest, side, make: (width, height, key) => maker.image(width, height, key) };
}

/** A number (fixed), a distribution's text, or a parsed distribution, checked against `unit`. */
function distributionOption(name: string, value: number | string | Distribution, unit: { min: number; integer: boolean; example: string }, parse: (name: string, text: string) => Distribution): Distribution {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < unit.min) throw invalid(name, `${unit.example} >= ${unit.min}, or a distribution such as list:1,2`, value);
    return { kind: 'fixed', value };
  }
  return typeof value === 'string' ? parse(name, value) : value;
}

function tokensOption(value: number | string | Distribution): Distribution {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw invalid('promptTokens', 'a whole number of tokens >= 1, or a distribution such as uniform:100:500', value);
    return { kind: 'fixed', value };
  }
  return typeof value === 'string' ? parseDistribution('promptTokens', value, TOKENS) : value;
}

/**
 * Synthetic prompt `index` (global across instances), `tokens` long: common
 * three-letter words, about one token each for BPE tokenizers; the first
 * `sharedPrefix` share (default 0) is the same for every prompt of the seed (default 1).
 */
export function syntheticPrompt(tokens: number, index: number, options: { seed?: number; sharedPrefix?: number } = {}): string {
  return synthetic(tokens, index, { seed: options.seed ?? 1, sharedPrefix: options.sharedPrefix ?? 0 });
}

/** This VU's image makers, by seed. */
const imageMakers = new Map<number, SyntheticImages>();

/**
 * A synthetic PNG image, `width` × `height` pixels (1 to 8192 each), as a
 * base64 data URI for an image part (`{type: 'image', url}`): valid PNG a
 * server decodes, the same for the same seed (default 1) and key (default
 * 0), another key another image. The rows before the last are made once per
 * size and VU, so later images of a size cost little.
 */
export function syntheticImage(width: number, height = width, options: { seed?: number; key?: number } = {}): string {
  const seed = options.seed ?? 1;
  let maker = imageMakers.get(seed);
  if (maker === undefined) {
    maker = syntheticImages(seed);
    imageMakers.set(seed, maker);
  }
  return maker.image(width, height, options.key ?? 0).url;
}
