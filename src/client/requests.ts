// What a script sends through the Client and what it gets back: the requests
// of each kind (chat, completion, embeddings), the per-request send options,
// and the result with its timings, tokens, verdict and, when asked for, what
// the model said. Types only.

import type { RequestRecord } from '../measure/request-record.ts';
import type { ToolCall } from '../protocols/answer-output.ts';
import type { ChatMessage, ToolSpec } from '../protocols/protocol.ts';

/**
 * One chat message: `{role: 'system' | 'user' | 'assistant', content}`; a
 * user turn's content may be a list of text and image parts; an assistant
 * turn may carry the `toolCalls` the model made; `{role: 'tool',
 * toolCallId, content}` sends a tool's result back.
 */
export type Message = ChatMessage;
export type { AssistantMessage, ContentPart, ImagePart, SystemMessage, TextPart, ToolResultMessage, UserMessage } from '../protocols/protocol.ts';
/** A tool the model may call: name, description and the JSON Schema of its arguments. */
export type Tool = ToolSpec;
export type { ToolCall } from '../protocols/answer-output.ts';

/** What every generation request may set. */
export interface GenerationOptions {
  /** max_tokens (or the protocol's name for it); default 128. */
  maxTokens?: number;
  /** Stream the answer (TTFT, ITL) or not (E2E only); default true. */
  stream?: boolean;
  /** Another model than the client's, for this request. */
  model?: string;
  /** Extra JSON fields merged into the request body as they are (e.g. temperature, ignore_eos). */
  extraBody?: Record<string, unknown>;
}

/** A chat request: the conversation so far, its last message the user's turn. */
export interface ChatRequest extends GenerationOptions {
  /** The conversation so far, oldest first; the last is the user's turn. */
  messages: Message[];
  /** Tools the model may call (protocols that take tools: openai-chat, anthropic-messages, openai-responses). */
  tools?: Tool[];
}

/** A completion request: one prompt string. */
export interface CompletionRequest extends GenerationOptions {
  /** The text to complete. */
  prompt: string;
}

/** An embeddings request: the texts to embed, one embedding each. */
export interface EmbeddingRequest {
  /** The texts to embed; the response must carry one embedding each. */
  inputs: string[];
  /** Another model than the client's, for this request. */
  model?: string;
}

/** How one request is sent and recorded. */
export interface SendOptions {
  /** Also return what the model said (text, reasoning, tool calls). Costs about twice k6's CPU per request: every event's data crosses from the meter and is parsed in the interpreter (docs/writing-scripts.md). */
  text?: boolean;
  /** More tags on this request's samples, or a function of its result (tags that depend on how it ended). */
  tags?: Record<string, string> | ((result: LlmResult) => Record<string, string>);
  /** When the request started (ms since the test started), for the availability timeline; default: now. */
  startedMs?: number;
  /** A counter in the stream meter's store, bumped once the answer has ended: a job's progress every VU can read. */
  progressKey?: string;
  /** A ramp level this request belongs to and ms from the level's start to now, kept in the meter's record for a merge of instances. */
  level?: { label: string; sinceStartMs: number };
}

/** What one request did: its timings (ms), tokens, verdict, and, with `text: true`, what the model said. */
export interface LlmResult extends RequestRecord {
  /** A failed request's cause in one line (`401 Unauthorized: "Incorrect API key provided."`); null on success. */
  cause: string | null;
  /** The answer text (with `text: true`). */
  text?: string;
  /** The reasoning text, when the model reasoned (with `text: true`). */
  reasoning?: string;
  /** The tool calls the model made, in order (with `text: true`). */
  toolCalls?: ToolCall[];
}
