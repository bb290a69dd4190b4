// The contract every protocol adapter implements. The measurement core only
// sees this interface, so a new API (completions, Anthropic, TGI) is one new
// file in this folder and one entry in the registry, with no core change.

import type { AnswerOutput, ToolCall } from './answer-output.ts';
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

/**
 * One chat message: the system prompt, a user turn (text, or text and image
 * parts), the model's earlier answer (with the tool calls it made), or a
 * tool's result for one of those calls.
 */
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolResultMessage;

/** The system prompt. */
export interface SystemMessage {
  /** The system prompt. */
  role: 'system';
  /** The system prompt's text. */
  content: string;
}

/** A user turn: plain text, or a list of text and image parts. */
export interface UserMessage {
  /** The user speaks. */
  role: 'user';
  /** The turn's text, or its parts in order (protocols that take images: openai-chat, anthropic-messages, openai-responses). */
  content: string | ContentPart[];
}

/** The model's earlier answer: its text and, when it called tools, the calls (as the Client returns them with `text: true`). */
export interface AssistantMessage {
  /** The model's earlier answer. */
  role: 'assistant';
  /** The answer's text ('' when the model only called tools). */
  content: string;
  /** The tool calls the model made; each needs its id, which the tool's result names. */
  toolCalls?: ToolCall[];
}

/** A tool's result, sent back for the call it answers (protocols that take tools). */
export interface ToolResultMessage {
  /** A tool's result. */
  role: 'tool';
  /** The id of the tool call this result answers (ToolCall.id). */
  toolCallId: string;
  /** The tool's result as text (often JSON). */
  content: string;
}

/** A part of a user turn: text or an image. */
export type ContentPart = TextPart | ImagePart;

/** Text inside a user turn's parts. */
export interface TextPart {
  /** A text part. */
  type: 'text';
  /** The text. */
  text: string;
}

/**
 * An image inside a user turn's parts: a base64 data URI
 * (`data:image/png;base64,...`), sent inline, or an http(s) URL the server
 * fetches itself.
 */
export interface ImagePart {
  /** An image part. */
  type: 'image';
  /** `data:image/<type>;base64,<data>` or `http(s)://...`. */
  url: string;
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
  /** Every prompt token, cached ones included (Anthropic's input, cache-read and cache-write tokens added up). */
  promptTokens: number | null;
  /** Every generated token, reasoning included. */
  completionTokens: number | null;
  /** The reasoning share of completionTokens, when the server breaks it out. */
  reasoningTokens: number | null;
  /** The share of promptTokens the server's prompt cache supplied, when it reports it (0: reported, none cached). */
  cachedPromptTokens: number | null;
  /** Prompt tokens written to the cache by this request, where the protocol reports them (Anthropic's cache_creation_input_tokens). */
  cacheWriteTokens: number | null;
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
  /** The share of promptTokens the server's prompt cache supplied, when it reports it. */
  cachedPromptTokens: number | null;
  /** Prompt tokens written to the cache, where the protocol reports them. */
  cacheWriteTokens: number | null;
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
  /** Whether requests may carry tools (LLM_TOOLS, a dataset line's tools) and tool turns (toolCalls, role tool). */
  readonly supportsTools: boolean;
  /** Whether user turns may carry image parts (LLM_IMAGES, a dataset line's images). */
  readonly supportsImages: boolean;
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
  return {
    outputTokens: null,
    promptTokens: null,
    reasoningTokens: null,
    cachedPromptTokens: null,
    cacheWriteTokens: null,
    finishReason: null,
    hasOutput: false,
    error: null,
    malformed: false,
  };
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
