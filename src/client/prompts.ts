// Prompts for a script's requests: a fixed prompt, a JSONL dataset (read once
// per process into a SharedArray), synthetic text of a length distribution
// with an optional shared prefix, or the bundled demo prompts, each request
// picked by a global index so instances of a split test send the same
// prompts a single one would. Make it in the init context.

import { parseDistribution, TOKENS, type Distribution } from '../distribution.ts';
import { invalid } from '../errors.ts';
import { loadDataset, loadTools } from '../k6/input-files.ts';
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
  /** Refuse, before load, dataset lines with tools this protocol cannot carry. */
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
  };
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
