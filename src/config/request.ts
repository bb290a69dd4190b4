// What every request asks for beyond its prompt: how long an answer may be,
// whether it streams, whether it must run to max_tokens, and the tools it
// offers.

import { ALL, knob, type Knobs } from './knob.ts';
import { boolean, integer, optional } from './values.ts';

/** The shape of every request. */
export interface RequestConfig {
  /** max_tokens of every request; null: the workload's default. */
  maxTokens: number | null;
  /** Stream the response (SSE) or read it whole (LLM_STREAM). */
  stream: boolean;
  /** Ask for exactly max_tokens (ignore_eos and min_tokens: vLLM, SGLang). */
  ignoreEos: boolean;
  /** JSON file of the tools every request offers, or null. */
  tools: string | null;
}

/** The request shape's knobs. */
export const REQUEST_KNOBS: Knobs<RequestConfig> = {
  maxTokens: knob('LLM_MAX_TOKENS', {
    default: '',
    description: 'max_tokens of every request (default per workload)',
    workloads: ALL,
    parse: (v, env) => optional(v, (t) => integer(env, t, 1, 10_000_000)),
  }),
  stream: knob('LLM_STREAM', { default: 'true', description: 'stream responses (true) or not (false)', workloads: ALL, parse: (v, env) => boolean(env, v) }),
  ignoreEos: knob('LLM_IGNORE_EOS', {
    default: 'false',
    description: 'send ignore_eos and min_tokens so outputs are exactly max_tokens (vLLM, SGLang)',
    workloads: ALL,
    parse: (v, env) => boolean(env, v),
  }),
  tools: knob('LLM_TOOLS', {
    default: '',
    description: 'JSON file of tools every request offers (OpenAI, Responses or Anthropic shape); a dataset line\'s "tools" take precedence',
    workloads: ALL,
    parse: (v) => v || null,
  }),
};
