// One request's measured timings and counts, and the classification of its
// outcome. Pure: built from (arrival time, event data) pairs by StreamMeter or
// from a whole body by measureCompletion, whatever transport read them.

/** How a transport's attempt ended when it did not end cleanly. */
export type TransportErrorKind = 'timeout' | 'stall' | 'connect' | 'reset' | 'canceled' | 'request' | 'meter';

/** The `error` tag values of llm_errors. */
export type ErrorKind =
  | 'http_429'
  | 'http_4xx'
  | 'http_5xx'
  | 'http_other'
  | 'timeout'
  | 'stall'
  | 'connect'
  | 'request'
  | 'truncated'
  | 'malformed'
  | 'stream_error'
  | 'empty'
  | 'interrupted'
  | 'meter';

/** Every ErrorKind, for summaries that list them all. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  'http_429',
  'http_4xx',
  'http_5xx',
  'http_other',
  'timeout',
  'stall',
  'connect',
  'request',
  'truncated',
  'malformed',
  'stream_error',
  'empty',
  'interrupted',
  'meter',
];

/** What the transport saw of the response, apart from the events or body. */
export interface TransportOutcome {
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** When the response headers arrived (same clock as event times); null if they never did. */
  headersMs: number | null;
  /** When the transport finished reading. */
  endMs: number;
  error: TransportErrorKind | null;
  errorMessage?: string;
  /** False when a streaming request got something other than text/event-stream. */
  isEventStream?: boolean;
  /** True when event times are the kernel's receive times (the stream meter on Linux). */
  kernelStamps?: boolean;
  /** Longest wait between the kernel receiving data and the generator reading it (ms). */
  readLagMs?: number;
  /** How long after the VU asked the request was written (ms); times count from the write. */
  sendLagMs?: number;
  /** The Retry-After response header, when the transport can read headers. */
  retryAfter?: string;
}

/** Everything measured about one request; times in ms from request start. */
export interface RequestRecord {
  /** HTTP status of the response; 0 when none came (refused, timed out before headers). */
  status: number;
  /** True when a 2xx answer came whole: output, no error event, and an end (a finish reason or the end marker); `error` says why not. */
  success: boolean;
  /** Why the request failed; null on success. */
  error: ErrorKind | null;
  /** What went wrong, in one line (transport error, stream error payload, malformed chunk); null on success. */
  errorMessage: string | null;
  /** Request start → first token-bearing chunk of any kind (reasoning, answer, tool call); null when none arrived or not streamed. */
  ttftMs: number | null;
  /** Request start → first answer chunk (text or tool call, not reasoning): time to first output; null when none arrived or not streamed. */
  ttfoMs: number | null;
  /** Request start → last token-bearing chunk (streamed) or → response end (not streamed). */
  e2eMs: number | null;
  /** Gaps between consecutive token-bearing chunks. */
  itlMs: number[];
  /** (e2e − ttft) / (outputTokens − 1); null with fewer than two tokens. */
  tpotMs: number | null;
  /** (outputTokens − 1) / ((e2e − ttft) in s); null with fewer than two tokens. */
  outputTokensPerSecond: number | null;
  /** From usage when the server reported it, else the count of token-bearing chunks. */
  outputTokens: number;
  /** Prompt tokens from the server's usage (cached ones included); null when it reported none. */
  promptTokens: number | null;
  /**
   * The share of promptTokens the server's prompt cache supplied, from usage
   * (prompt_tokens_details.cached_tokens, input_tokens_details.cached_tokens,
   * Anthropic's cache_read_input_tokens); null when the server did not say.
   */
  cachedPromptTokens: number | null;
  /** Prompt tokens this request wrote to the cache (Anthropic's cache_creation_input_tokens); null when not reported. */
  cacheWriteTokens: number | null;
  /** True when outputTokens was counted from chunks, not reported by the server. */
  tokensEstimated: boolean;
  /**
   * The reasoning share of outputTokens: from usage when the server breaks it
   * out, else (streamed) the count of reasoning-only chunks; 0 when neither.
   */
  reasoningTokens: number;
  /** True when reasoningTokens was counted from chunks (some arrived and usage gave no share). */
  reasoningTokensEstimated: boolean;
  /** outputTokens − reasoningTokens (at least 0): answer text and tool calls. */
  answerTokens: number;
  /** Tokens counted from the stream's chunks (outputTokens' fallback when usage is absent). */
  tokenChunks: number;
  /** The finish reason the server gave (stop, length, tool_calls, …); null when none came. */
  finishReason: string | null;
  /** True when the stream ended with its protocol's end marker ([DONE], message_stop, …). */
  sawDone: boolean;
  /** Request start → response headers (ms); null when no response came. */
  headersMs: number | null;
  /** Generator read lag of this request (ms), when the transport measured it. */
  readLagMs: number | null;
  /** Generator send lag of this request (ms), when the transport measured it. */
  sendLagMs: number | null;
  /** The Retry-After response header as sent; null when absent or unreadable. */
  retryAfter: string | null;
  /** An error response's message (serverMessageOf its body's first bytes); null when none was read. */
  serverMessage: string | null;
  /** Embedding protocols: the embeddings the response carried (absent for generation). */
  embeddings?: number;
  /**
   * How late ttftMs may read (ms): 0 when the kernel's receive time of the
   * event that set it is its own and the request's write was quick; more
   * when that event waited unread and shares a later read's time, or the
   * meter's write of the request was held up (a starved generator). Null
   * when not measured, or the transport has no kernel stamps.
   */
  ttftBoundMs: number | null;
  /** How late e2eMs may read (ms), as ttftBoundMs is for ttftMs; null when not measured. */
  e2eBoundMs: number | null;
  /**
   * True when the request was sent again on a new connection because the
   * server had closed the kept-alive one it first went out on before
   * answering (the stream meter): never an error, and every figure is of the
   * attempt that counted.
   */
  resent: boolean;
}

/** How late the record's TTFT or E2E may read, the larger (ms); null when not measured (no kernel stamps). */
export function timingBound(record: Pick<RequestRecord, 'ttftBoundMs' | 'e2eBoundMs'>): number | null {
  const { ttftBoundMs: t, e2eBoundMs: e } = record;
  return t === null && e === null ? null : Math.max(t ?? 0, e ?? 0);
}

/** Why a request failed, for the record: the llm_errors tag and a one-line message. */
export interface Verdict {
  error: ErrorKind;
  message: string | null;
}

/**
 * The outcome classifier every transport shares: what the transport's
 * outcome alone decides (an ended test, an HTTP error status, a transport
 * failure), in that order; null when the body must decide.
 */
export function transportVerdict(outcome: TransportOutcome): Verdict | null {
  // A test ending mid-request says nothing about the endpoint.
  if (outcome.error === 'canceled') return { error: 'interrupted', message: outcome.errorMessage ?? null };
  const statusError = outcome.status === 0 ? null : statusErrorKind(outcome.status);
  if (statusError) return { error: statusError, message: `HTTP ${outcome.status}` };
  if (outcome.error) return { error: transportErrorKind(outcome.error), message: outcome.errorMessage ?? null };
  return null;
}

/**
 * A record with nothing measured: not (yet) a success, no times, no tokens.
 * `startMs` is the request's start on the clock outcome.headersMs uses.
 */
export function emptyRecord(outcome: TransportOutcome, startMs: number): RequestRecord {
  return {
    status: outcome.status,
    success: false,
    error: null,
    errorMessage: null,
    ttftMs: null,
    ttfoMs: null,
    e2eMs: null,
    itlMs: [],
    tpotMs: null,
    outputTokensPerSecond: null,
    outputTokens: 0,
    promptTokens: null,
    cachedPromptTokens: null,
    cacheWriteTokens: null,
    tokensEstimated: false,
    reasoningTokens: 0,
    reasoningTokensEstimated: false,
    answerTokens: 0,
    tokenChunks: 0,
    finishReason: null,
    sawDone: false,
    headersMs: outcome.headersMs === null ? null : outcome.headersMs - startMs,
    readLagMs: null,
    sendLagMs: null,
    retryAfter: outcome.retryAfter || null,
    serverMessage: null,
    ttftBoundMs: null,
    e2eBoundMs: null,
    resent: false,
  };
}

/** Sets a record's verdict (error and message; success stays false) and returns it. */
export function failWith(record: RequestRecord, verdict: Verdict): RequestRecord {
  record.success = false;
  record.error = verdict.error;
  record.errorMessage = verdict.message;
  return record;
}

/** The record of a request that never got a response: the transport threw, or the meter could not take it. */
export function failedRecord(error: TransportErrorKind, message: string): RequestRecord {
  const outcome: TransportOutcome = { status: 0, headersMs: null, endMs: 0, error, errorMessage: message };
  return failWith(emptyRecord(outcome, 0), transportVerdict(outcome) as Verdict);
}

/** The llm_errors tag for an HTTP status, or null for 2xx. */
export function statusErrorKind(status: number): ErrorKind | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429) return 'http_429';
  if (status >= 500 && status < 600) return 'http_5xx';
  if (status >= 400 && status < 500) return 'http_4xx';
  return 'http_other';
}

/** The llm_errors tag for a transport failure. */
export function transportErrorKind(error: TransportErrorKind): ErrorKind {
  switch (error) {
    case 'canceled':
      return 'interrupted';
    case 'reset':
      return 'truncated';
    default:
      return error;
  }
}

/** Sets a record's decode-phase figures: TPOT = (E2E − TTFT) / (n − 1), tokens/s = (n − 1) / decode seconds; null with fewer than two tokens or no decode time. */
export function decodeInto(record: RequestRecord, ttftMs: number | null, e2eMs: number | null, outputTokens: number): void {
  if (ttftMs === null || e2eMs === null || outputTokens < 2 || e2eMs <= ttftMs) {
    record.tpotMs = null;
    record.outputTokensPerSecond = null;
    return;
  }
  const decodeMs = e2eMs - ttftMs;
  record.tpotMs = decodeMs / (outputTokens - 1);
  record.outputTokensPerSecond = ((outputTokens - 1) * 1000) / decodeMs;
}

/** Maps an xk6-sse error string to a transport error kind. */
export function classifySseErrorText(text: string, status: number): TransportErrorKind {
  const lower = text.toLowerCase();
  if (lower.includes('context canceled')) return 'canceled';
  if (lower.includes('timeout') || lower.includes('deadline exceeded')) return 'timeout';
  if (status === 0) return 'connect';
  return 'reset';
}
