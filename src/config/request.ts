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
    defaultText: 'per workload: chat, coldstart, availability `128`, realtime `16`, batch `256`',
    description: "`max_tokens` of every request (with `LLM_TRACE`, each record's `output_tokens` instead)",
    workloads: ALL,
    parse: (v, env) => optional(v, (t) => integer(env, t, 1, 10_000_000)),
  }),
  stream: knob('LLM_STREAM', { default: 'true', description: 'stream (`true`) or not (`false`; then only E2E is measured)', workloads: ALL, parse: (v, env) => boolean(env, v) }),
  ignoreEos: knob('LLM_IGNORE_EOS', {
    default: 'false',
    description: '`openai-chat` and `openai-completions` only: send `ignore_eos` and `min_tokens` = `max_tokens` so outputs have exactly `max_tokens` tokens (vLLM, SGLang; OpenAI rejects them)',
    workloads: ALL,
    parse: (v, env) => boolean(env, v),
  }),
  tools: knob('LLM_TOOLS', {
    default: '',
    description: 'protocols that take tools (`openai-chat`, `anthropic-messages`, `openai-responses`): JSON file of the tools every request offers, a list in OpenAI\'s (`{"type": "function", "function": {"name", "description", "parameters"}}`), Responses\' (`{"type": "function", "name", "parameters"}`) or Anthropic\'s (`{"name", "description", "input_schema"}`) shape, mapped to the protocol\'s own; a dataset line\'s `tools` take precedence. Tool-call deltas count as output (TTFT, ITL, tokens)',
    workloads: ALL,
    parse: (v) => v || null,
  }),
};
