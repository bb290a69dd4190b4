// Where prompts come from: a fixed prompt, a JSONL dataset, synthetic text of
// a length distribution (with a share identical across requests, for prefix
// caches), or, with none of these, the bundled demo prompts; and the
// synthetic images every user turn may carry.

import { invalid } from '../errors.ts';
import { COUNTS, largest, parseDistribution, TOKENS, type Distribution } from '../distribution.ts';
import { MAX_IMAGE_SIDE } from '../images/synthetic-image.ts';
import { ALL, knob, type Knobs } from './knob.ts';
import { fraction, optional } from './values.ts';

/** The prompt source. */
export interface PromptConfig {
  /** A fixed user prompt, or null. */
  prompt: string | null;
  /** JSONL prompts file, or null. */
  dataset: string | null;
  /** Synthetic prompt lengths in tokens; null: the workload's default. */
  promptTokens: Distribution | null;
  /** Share (0–1) of every synthetic prompt that is identical across requests. */
  sharedPrefix: number;
  /** Synthetic images per user turn; null: none. */
  images: Distribution | null;
  /** Side in pixels of each synthetic (square) image. */
  imageSize: Distribution;
}

/** Sides of synthetic images: whole pixels from 1 to MAX_IMAGE_SIDE. */
const PIXELS = { ...TOKENS, example: 'a whole number of pixels' };

/** An image side distribution, its largest value at most MAX_IMAGE_SIDE; errors name `variable`. */
export function parseImageSize(variable: string, text: string): Distribution {
  const dist = parseDistribution(variable, text, PIXELS);
  if (largest(dist) > MAX_IMAGE_SIDE) throw invalid(variable, `image sides of at most ${MAX_IMAGE_SIDE} pixels`, text);
  return dist;
}

/** Images per request: a count or a distribution of counts from 0; errors name `variable`. */
export function parseImageCount(variable: string, text: string): Distribution {
  return parseDistribution(variable, text, COUNTS);
}

/** The prompt source's knobs. */
export const PROMPT_KNOBS: Knobs<PromptConfig> = {
  prompt: knob('LLM_PROMPT', { default: '', defaultText: '(bundled demo prompts)', description: 'fixed user prompt', workloads: ALL, parse: (v) => v || null }),
  dataset: knob('LLM_DATASET', {
    default: '',
    description:
      'JSONL prompts, one `{"prompt": "..."}` or `{"messages": [...]}` per line, each optionally with `"tools"` (as `LLM_TOOLS`) and `"images"` (files or URLs: [Images in requests](metrics.md#images-in-requests)); a malformed line fails the run with file and line',
    workloads: ALL,
    parse: (v) => v || null,
  }),
  promptTokens: knob('LLM_PROMPT_TOKENS', {
    default: '',
    defaultText: 'realtime `uniform:16:64`, batch `uniform:512:1024` (embeddings: `uniform:64:256` per input); chat, coldstart, availability: demo prompts',
    description: 'synthetic prompt length in tokens: `512`, `uniform:100:500`, `normal:MEAN:SD[:MIN:MAX]`, `exp:MEAN`, `list:100,200,300`',
    workloads: ALL,
    parse: (v, env) => optional(v, (t) => parseDistribution(env, t, TOKENS)),
  }),
  sharedPrefix: knob('LLM_SHARED_PREFIX', {
    default: '0',
    description: 'share (0–1) of every synthetic prompt that is identical across requests (prefix caching); else each prompt is unique',
    workloads: ALL,
    parse: (v, env) => fraction(env, v),
  }),
  images: knob('LLM_IMAGES', {
    default: '',
    description:
      'protocols that take images (`openai-chat`, `anthropic-messages`, `openai-responses`): synthetic PNG images each user turn carries after its text, a count or a distribution of counts from 0 (`2`, `list:0,1,2`, `uniform:1:3`); see [Images in requests](metrics.md#images-in-requests)',
    workloads: ALL,
    parse: (v, env) => optional(v, (t) => parseImageCount(env, t)),
  }),
  imageSize: knob('LLM_IMAGE_SIZE', {
    default: '512',
    description: 'with `LLM_IMAGES`: side in pixels of each synthetic (square) image, a number or a distribution (`uniform:256:1024`, `list:256,512,1024`), at most 8192',
    workloads: ALL,
    parse: (v, env) => parseImageSize(env, v),
  }),
};

/** One prompt source at a time: throws a ConfigError naming the variable that conflicts. */
export function checkPromptSource(prompts: PromptConfig, text: (env: string) => string): void {
  if (prompts.prompt !== null && prompts.dataset !== null) throw invalid('LLM_PROMPT', 'nothing when LLM_DATASET is given (one prompt source)', prompts.prompt);
  if (prompts.promptTokens !== null && (prompts.prompt !== null || prompts.dataset !== null)) {
    throw invalid('LLM_PROMPT_TOKENS', `nothing when ${prompts.prompt !== null ? 'LLM_PROMPT' : 'LLM_DATASET'} is given (one prompt source)`, text('LLM_PROMPT_TOKENS'));
  }
}
