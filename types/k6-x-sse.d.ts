// Types of xk6-sse (k6/x/sse) v0.1.x, as far as k6-llm uses it.
declare module 'k6/x/sse' {
  export interface SseParams {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    tags?: Record<string, string>;
    /** A k6 duration string, e.g. "60s" (a number is rejected). */
    timeout?: string;
  }
  export interface SseEvent {
    id: string;
    name: string;
    data: string;
    comment?: string;
  }
  export interface SseError {
    error(): string;
  }
  export interface SseClient {
    on(event: 'open', handler: () => void): void;
    on(event: 'event', handler: (event: SseEvent) => void): void;
    on(event: 'error', handler: (error: SseError) => void): void;
    close(): void;
  }
  export interface SseResponse {
    url: string;
    status: number;
    headers: Record<string, string>;
    error: string;
  }
  const sse: {
    open(url: string, params: SseParams, setup: (client: SseClient) => void): SseResponse;
  };
  export default sse;
}
