// What one generation request will be answered with, before any byte is
// sent: its length (outputTokens moved by ignore_eos and min_tokens, capped
// by max_tokens, as vLLM does), how many of its first tokens are reasoning,
// whether it is a tool call, its finish reason, usage, id, token schedule and
// injected fault. Pure; the handlers turn a ChatJob into bytes on a timer.

import type { ChatRequest } from './chat-request.ts';
import type { FaultKind, MockConfig } from './config.ts';
import type { CacheOutcome } from './prompt-cache.ts';
import type { ProtocolCounts } from './stats.ts';
import type { TokenSchedule } from './token-clock.ts';

/** The usage object of the OpenAI chat API; completion details only when the answer has reasoning, prompt details only while the prefix cache is on. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  completion_tokens_details?: { reasoning_tokens: number };
  prompt_tokens_details?: { cached_tokens: number };
}

/** How an answer ends: its natural end, max_tokens, or a finished tool call. */
export type FinishReason = 'length' | 'stop' | 'tool_calls';

/** A completion's length and how it ends. */
export interface CompletionLength {
  /** Tokens to send, at least 1: `reasoning` reasoning tokens, then answer (text or tool-call argument) tokens. */
  n: number;
  /** Leading tokens that are reasoning: min(reasoningTokens, n). */
  reasoning: number;
  /** The answer is a call to request.toolName (--tool-calls and the request offers tools). */
  toolCall: boolean;
  /** 'length' when max_tokens cut the answer short of its natural end; 'tool_calls' for a whole tool call. */
  finishReason: FinishReason;
  usage: Usage;
}

/** Everything a handler needs to answer one accepted request. */
export interface ChatJob extends CompletionLength {
  /** The config snapshot taken when the request arrived. */
  cfg: MockConfig;
  request: ChatRequest;
  /** <protocol prefix>-mock<request index>, e.g. chatcmpl-mock3. */
  id: string;
  /** Unix seconds. */
  created: number;
  /** Due offsets of successive tokens from t0: TokenClock, or the capacity model's BatchClock. */
  clock: TokenSchedule;
  /** The time (ctx.clock ms) the schedule counts from. */
  t0: number;
  /** The in-stream fault of this request, if any. */
  fault: FaultKind | null;
  /** The counters of this request's protocol, which the writers add its tokens to. */
  counts: ProtocolCounts;
  /** What the prefix cache did for it; null while the cache is off (usage then says nothing of a cache). */
  cache: CacheOutcome | null;
}

type LengthSettings = Pick<MockConfig, 'outputTokens' | 'lengthControl'> & Partial<Pick<MockConfig, 'reasoningTokens' | 'toolCalls'>>;

/**
 * The answer's length under the config: outputTokens, moved by
 * ignore_eos/min_tokens (lengthControl), capped by max_tokens; its usage
 * reports `cache`'s cached tokens when the prefix cache is on.
 */
export function completionLength(cfg: LengthSettings, request: ChatRequest, cache: CacheOutcome | null = null): CompletionLength {
  // The "natural" answer length is outputTokens (where EOS would come);
  // ignore_eos and min_tokens move it, max_tokens caps it (as in vLLM).
  let natural = cfg.outputTokens;
  if (cfg.lengthControl && request.ignoreEos) natural = Infinity;
  else if (cfg.lengthControl && request.minTokens !== null) natural = Math.max(natural, request.minTokens);
  const cap = request.maxTokens ?? Infinity;
  const n = Math.max(1, Math.min(natural === Infinity && cap === Infinity ? cfg.outputTokens : natural, cap));
  const cut = request.maxTokens !== null && request.maxTokens < natural;
  // Reasoning counts against max_tokens, as OpenAI's reasoning models count it.
  const reasoning = Math.min(cfg.reasoningTokens ?? 0, n);
  const toolCall = cfg.toolCalls === true && request.toolName !== null;
  const finishReason: FinishReason = cut ? 'length' : toolCall ? 'tool_calls' : 'stop';
  const usage: Usage = { prompt_tokens: request.promptTokens, completion_tokens: n, total_tokens: request.promptTokens + n };
  if (reasoning > 0) usage.completion_tokens_details = { reasoning_tokens: reasoning };
  if (cache !== null) usage.prompt_tokens_details = { cached_tokens: cache.cachedTokens };
  return { n, reasoning, toolCall, finishReason, usage };
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

/**
 * The tool-call arguments carried by tokens [from, to) of an answer whose
 * argument tokens are [first, n): all of them together are the JSON object
 * {"input":" tok<first> … tok<n-1>"}, the first token opening it and the last closing it.
 */
export function argumentsText(from: number, to: number, first: number, n: number): string {
  let text = from === first ? '{"input":"' : '';
  text += tokensText(from, to);
  if (to === n) text += '"}';
  return text;
}

/** A string's JSON form without its quotes, to splice into a pre-built JSON template. */
export function jsonInner(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
