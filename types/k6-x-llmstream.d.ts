// Types of k6-llm's own Go extension (ext/xk6-llmstream).
declare module 'k6/x/llmstream' {
  export interface LlmStreamParams {
    method?: string;
    url: string;
    headers?: Record<string, string>;
    body?: string;
    /** Whole-request timeout, ms (required, > 0). */
    timeoutMs: number;
    /** Longest silence between reads, ms; 0 = off. */
    stallTimeoutMs?: number;
    /** How much of a non-SSE body to keep. */
    maxBodyBytes?: number;
    /** The protocol's plain-token test (src/protocols/fast-token-rule.ts), applied in Go per event. */
    fastToken?: {
      startsWith: string;
      endsWith: string;
      key: string;
      emptyValueChar: string;
      keyInside: string;
      excludes: string[];
    };
  }
  export interface LlmStreamResult {
    status: number;
    /** The Retry-After response header as sent ('' when absent). */
    retryAfter: string;
    /** ms since the request was written to the connection. */
    headersMs: number;
    endMs: number;
    isSSE: boolean;
    /** Arrival time (ms since the request was written) of each SSE event. */
    times: number[];
    /** Data of each SSE event, parallel to times ('' for events fast[i] === 1 marks). */
    data: string[];
    /** 1 where the event matched fastToken (a plain token event), else 0; empty without fastToken. */
    fast: number[];
    comments: number;
    unterminated: boolean;
    body: string;
    bodyBytes: number;
    /** '' or timeout | stall | connect | reset | canceled | request. */
    errorKind: string;
    errorMessage: string;
    /** True when the times are the kernel's receive times (Linux), not the times Go read the data. */
    kernelStamps: boolean;
    /** Longest wait between the kernel receiving data and Go reading it (ms); 0 without kernel stamps. */
    readLagMaxMs: number;
    /** How long after the call the request was written (ms); every time above counts from that write. */
    sendLagMs: number;
  }
  export function request(params: LlmStreamParams): LlmStreamResult;
  /** Records a value under key in a store shared by every VU of this k6 process. */
  export function observe(key: string, value: number): void;
  /** The q-quantile (0..1) of key's values, interpolated as k6 does; NaN when none. */
  export function quantile(key: string, q: number): number;
  /** key's values in the order they were observed (a copy). */
  export function values(key: string): number[];
  /** How many values key has. */
  export function count(key: string): number;
  /** The k6 process's user+system CPU time, ms. */
  export function cpuTimeMs(): number;
  export const version: string;
}
