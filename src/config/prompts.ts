// Where prompts come from: a fixed prompt, a JSONL dataset, synthetic text of
// a length distribution (with a share identical across requests, for prefix
// caches), or, with none of these, the bundled demo prompts.

import { invalid } from '../errors.ts';
import { parseDistribution, TOKENS, type Distribution } from '../distribution.ts';
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
}

/** The prompt source's knobs. */
export const PROMPT_KNOBS: Knobs<PromptConfig> = {
  prompt: knob('LLM_PROMPT', { default: '', defaultText: '(bundled demo prompts)', description: 'fixed user prompt', workloads: ALL, parse: (v) => v || null }),
  dataset: knob('LLM_DATASET', {
    default: '',
    description: 'JSONL prompts, one `{"prompt": "..."}` or `{"messages": [...]}` per line, each optionally with `"tools"` (as `LLM_TOOLS`); a malformed line fails the run with file and line',
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
};

/** One prompt source at a time: throws a ConfigError naming the variable that conflicts. */
export function checkPromptSource(prompts: PromptConfig, text: (env: string) => string): void {
  if (prompts.prompt !== null && prompts.dataset !== null) throw invalid('LLM_PROMPT', 'nothing when LLM_DATASET is given (one prompt source)', prompts.prompt);
  if (prompts.promptTokens !== null && (prompts.prompt !== null || prompts.dataset !== null)) {
    throw invalid('LLM_PROMPT_TOKENS', `nothing when ${prompts.prompt !== null ? 'LLM_PROMPT' : 'LLM_DATASET'} is given (one prompt source)`, text('LLM_PROMPT_TOKENS'));
  }
}
