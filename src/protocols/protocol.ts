// The contract every protocol adapter implements. The measurement core only
// sees this interface, so a new API (completions, Anthropic, TGI) is one new
// file in this folder and one entry in the registry, with no core change.

import type { FastTokenRule } from './fast-token-rule.ts';

/** What one generation request asks for, independent of the wire format. */
export interface GenerationRequest {
  model: string;
  /** Chat history; the last message is the user turn. */
  messages: ChatMessage[];
  maxTokens: number;
  stream: boolean;
  /** Extra JSON fields merged into the body as-is (e.g. ignore_eos). */
  extraBody?: Record<string, unknown>;
  /** Embedding protocols: the texts to embed, one embedding each (messages is then empty). */
  inputs?: string[];
}

/** One chat message. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Token usage reported by the server. */
export interface Usage {
  promptTokens: number | null;
  completionTokens: number | null;
}

/**
 * What one stream event carried. Adapters fill a caller-owned object so the
 * per-event path allocates nothing.
 */
export interface ChunkInfo {
  /** Token-bearing output deltas in this event (content, reasoning, tool call); 0 if none. */
  tokens: number;
  /** finish_reason (or equivalent) when this event ends the generation. */
  finishReason: string | null;
  /** Usage when this event reports it. */
  usage: Usage | null;
  /** The end-of-stream sentinel ([DONE] or equivalent). */
  done: boolean;
  /** An error payload sent inside the stream. */
  error: string | null;
  /** The event's data was not valid for this protocol. */
  malformed: boolean;
}

/** Result of reading a whole non-streaming response body. */
export interface CompletionInfo {
  outputTokens: number | null;
  promptTokens: number | null;
  finishReason: string | null;
  /** Whether any output (text, reasoning or tool call) was returned. */
  hasOutput: boolean;
  error: string | null;
  malformed: boolean;
  /** Embedding protocols: how many embeddings the response carried. */
  embeddings?: number;
}

/** A protocol adapter: request building and response reading for one API. */
export interface ProtocolAdapter {
  /** Registry name, e.g. `openai-chat`. */
  readonly name: string;
  /** Path appended to the base URL, e.g. `/chat/completions`. */
  readonly path: string;
  /**
   * What the API answers: generated output (the default) or embeddings, which
   * are never streamed, so TTFT and ITL do not apply (batch workload only).
   */
  readonly kind?: 'generation' | 'embedding';
  /** The JSON request body. */
  buildBody(request: GenerationRequest): string;
  /**
   * Reads one stream event. Returns ONE_TOKEN for a plain output delta (and
   * leaves `into` untouched: the hot path writes nothing), or PARSED after
   * resetting and filling `into`.
   */
  readChunk(data: string, into: ChunkInfo): ChunkKind;
  /**
   * The plain-token test readChunk applies first, as data, so a transport
   * (the stream meter) can apply it while reading. Optional: without it every
   * event goes through readChunk.
   */
  readonly fastTokenRule?: FastTokenRule;
  /** Reads a non-streaming response body. */
  readCompletion(body: string): CompletionInfo;
}

/** What readChunk found: see ProtocolAdapter.readChunk. */
export type ChunkKind = 1 | 2;
/** The event carried output and nothing else: one token-bearing chunk. */
export const ONE_TOKEN: ChunkKind = 1;
/** The event was parsed into the ChunkInfo. */
export const PARSED: ChunkKind = 2;

/** A fresh, empty ChunkInfo. */
export function emptyChunkInfo(): ChunkInfo {
  return { tokens: 0, finishReason: null, usage: null, done: false, error: null, malformed: false };
}

/** Resets a ChunkInfo in place. */
export function resetChunkInfo(info: ChunkInfo): void {
  info.tokens = 0;
  info.finishReason = null;
  info.usage = null;
  info.done = false;
  info.error = null;
  info.malformed = false;
}
