// What one chat request will be answered with, before any byte is sent: its
// length (outputTokens moved by ignore_eos and min_tokens, capped by
// max_tokens, as vLLM does), finish reason, usage, id, token schedule and
// injected fault. Pure; the handlers turn a ChatJob into bytes on a timer.

import type { ChatRequest } from './chat-request.ts';
import type { FaultKind, MockConfig } from './config.ts';
import type { TokenSchedule } from './token-clock.ts';

/** The usage object of the OpenAI API. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A completion's length and how it ends. */
export interface CompletionLength {
  /** Tokens to send, at least 1. */
  n: number;
  /** 'length' when max_tokens cut the answer short of its natural end. */
  finishReason: 'length' | 'stop';
  usage: Usage;
}

/** Everything a handler needs to answer one accepted chat request. */
export interface ChatJob extends CompletionLength {
  /** The config snapshot taken when the request arrived. */
  cfg: MockConfig;
  request: ChatRequest;
  /** chatcmpl-mock<request index>. */
  id: string;
  /** Unix seconds. */
  created: number;
  /** Due offsets of successive tokens from t0: TokenClock, or the capacity model's BatchClock. */
  clock: TokenSchedule;
  /** performance.now() ms the schedule counts from. */
  t0: number;
  /** The in-stream fault of this request, if any. */
  fault: FaultKind | null;
}

/** The answer's length under the config: outputTokens, moved by ignore_eos/min_tokens (lengthControl), capped by max_tokens. */
export function completionLength(cfg: Pick<MockConfig, 'outputTokens' | 'lengthControl'>, request: ChatRequest): CompletionLength {
  // The "natural" answer length is outputTokens (where EOS would come);
  // ignore_eos and min_tokens move it, max_tokens caps it (as in vLLM).
  let natural = cfg.outputTokens;
  if (cfg.lengthControl && request.ignoreEos) natural = Infinity;
  else if (cfg.lengthControl && request.minTokens !== null) natural = Math.max(natural, request.minTokens);
  const cap = request.maxTokens ?? Infinity;
  const n = Math.max(1, Math.min(natural === Infinity && cap === Infinity ? cfg.outputTokens : natural, cap));
  const finishReason = request.maxTokens !== null && request.maxTokens < natural ? 'length' : 'stop';
  return { n, finishReason, usage: { prompt_tokens: request.promptTokens, completion_tokens: n, total_tokens: request.promptTokens + n } };
}

/** The text of token `index` (0-based): " tok<index>", so a client can tell which tokens it got. */
export function tokenText(index: number): string {
  return ` tok${index}`;
}

/** Tokens from `from` up to (not including) `to`, concatenated. */
export function tokensText(from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text += tokenText(i);
  return text;
}
