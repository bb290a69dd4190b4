// The contract every protocol adapter implements. The measurement core only
// sees this interface, so a new API (completions, Anthropic, TGI) is one new
// file in this folder and one entry in the registry, with no core change.

import type { AnswerOutput } from './answer-output.ts';
import type { FastTokenRule } from './fast-token-rule.ts';

/** What one generation request asks for, independent of the wire format. */
export interface GenerationRequest {
  /** Model name the body names. */
  model: string;
  /** Chat history; the last message is the user turn. */
  messages: ChatMessage[];
  /** Most output tokens the server may generate (the protocol's max_tokens field). */
  maxTokens: number;
  /** Ask for a streamed (SSE) response. */
  stream: boolean;
  /** Tools the model may call, in the neutral form each adapter maps to its API's shape. */
  tools?: ToolSpec[];
  /** Extra JSON fields merged into the body as-is (e.g. ignore_eos). */
  extraBody?: Record<string, unknown>;
  /** Embedding protocols: the texts to embed, one embedding each (messages is then empty). */
  inputs?: string[];
}

/** One chat message. */
export interface ChatMessage {
  /** Who speaks: the system prompt, the user, or the model's earlier answer. */
  role: 'system' | 'user' | 'assistant';
  /** The message's text. */
  content: string;
}

/** A function the model may call: name, description and the JSON Schema of its arguments. */
export interface ToolSpec {
  /** The function's name, as the model calls it. */
  name: string;
  /** What the tool does, for the model to decide when to call it. */
  description?: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

/** Token usage reported by the server. */
export interface Usage {
  promptTokens: number | null;
  /** Every generated token, reasoning included. */
  completionTokens: number | null;
  /** The reasoning share of completionTokens, when the server breaks it out. */
  reasoningTokens: number | null;
}

/**
 * What one stream event carried. Adapters fill a caller-owned object so the
 * per-event path allocates nothing.
 */
export interface ChunkInfo {
  /** Token-bearing output deltas in this event (answer text, reasoning, tool call); 0 if none. */
  tokens: number;
  /** How many of `tokens` carried reasoning only (no answer text or tool call). */
  reasoningTokens: number;
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
  /** The reasoning share of outputTokens, when the server breaks it out. */
  reasoningTokens: number | null;
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
  /** Path of a non-streamed request when it differs from `path` (TGI: /generate). */
  readonly completionPath?: string;
  /** `path` counts from the server root: a base URL's trailing /v1 is dropped (TGI's native routes). */
  readonly rootPath?: boolean;
  /** Whether requests may carry tools (LLM_TOOLS, a dataset line's tools). */
  readonly supportsTools: boolean;
  /** Auth and API-version headers; apiKey null: no auth header. Content-Type and Accept are the transport's. */
  headers(apiKey: string | null): Record<string, string>;
  /** The JSON request body. */
  buildBody(request: GenerationRequest): string;
  /**
   * Reads one stream event. Returns ONE_TOKEN for a plain answer delta (and
   * leaves `into` untouched: the hot path writes nothing), or PARSED after
   * resetting and filling `into`.
   */
  readChunk(data: string, into: ChunkInfo): ChunkKind;
  /**
   * The plain-token test readChunk applies first, as data, so a transport
   * (the stream meter) can apply it while reading. It only ever matches an
   * answer-text delta (never reasoning, a tool call, usage or an ending).
   * Optional: without it every event goes through readChunk.
   */
  readonly fastTokenRule?: FastTokenRule;
  /** Reads a non-streaming response body. */
  readCompletion(body: string): CompletionInfo;
  /**
   * Appends the answer text, reasoning and tool-call parts one stream event
   * carries (only when a script asks for what the model said; absent for
   * APIs that generate no text).
   */
  readOutput?(data: string, into: AnswerOutput): void;
  /** The answer text, reasoning and tool calls of a whole response body. */
  readCompletionOutput?(body: string, into: AnswerOutput): void;
}

/** What readChunk found: see ProtocolAdapter.readChunk. */
export type ChunkKind = 1 | 2;
/** The event carried answer output and nothing else: one token-bearing chunk. */
export const ONE_TOKEN: ChunkKind = 1;
/** The event was parsed into the ChunkInfo. */
export const PARSED: ChunkKind = 2;

/** A fresh, empty ChunkInfo. */
export function emptyChunkInfo(): ChunkInfo {
  return { tokens: 0, reasoningTokens: 0, finishReason: null, usage: null, done: false, error: null, malformed: false };
}

/** Resets a ChunkInfo in place. */
export function resetChunkInfo(info: ChunkInfo): void {
  info.tokens = 0;
  info.reasoningTokens = 0;
  info.finishReason = null;
  info.usage = null;
  info.done = false;
  info.error = null;
  info.malformed = false;
}

/** A fresh CompletionInfo with nothing read yet. */
export function emptyCompletionInfo(): CompletionInfo {
  return { outputTokens: null, promptTokens: null, reasoningTokens: null, finishReason: null, hasOutput: false, error: null, malformed: false };
}

/** The URL a request goes to: base URL + the adapter's path (a root path drops the base URL's trailing /v1). */
export function requestUrl(baseUrl: string, adapter: ProtocolAdapter, stream: boolean): string {
  const base = adapter.rootPath ? baseUrl.replace(/\/v1\/*$/, '') : baseUrl;
  return base + (stream ? adapter.path : (adapter.completionPath ?? adapter.path));
}

/** The Authorization: Bearer header most APIs take; none without a key. */
export function bearerHeaders(apiKey: string | null): Record<string, string> {
  return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
}
