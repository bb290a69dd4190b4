// The xk6-sse shell: one streamed request through k6/x/sse, events stamped
// with the given clock when the JavaScript handler runs. No k6 import (the
// module and the clock are passed in), so Node tests drive it with a fake.

import { formatDuration } from '../duration.ts';
import { classifySseErrorText, type RequestRecord } from '../measure/request-record.ts';
import { StreamMeter } from '../measure/stream-meter.ts';
import type { AnswerOutput } from '../protocols/answer-output.ts';
import type { ProtocolAdapter } from '../protocols/protocol.ts';

// xk6-sse (k6/x/sse) v0.1.x, as far as k6-llm uses it. Declared here, not
// as a k6/x/sse module, so Node tests type-check this file with a fake.

/** One server-sent event. */
export interface SseEvent {
  id: string;
  name: string;
  data: string;
}
/** What the 'error' handler gets. */
export interface SseError {
  error(): string;
}
/** The client passed to open()'s setup function. */
export interface SseClient {
  on(event: 'open', handler: () => void): void;
  on(event: 'event', handler: (event: SseEvent) => void): void;
  on(event: 'error', handler: (error: SseError) => void): void;
  close(): void;
}
/** What open() returns once the stream has ended. xk6-sse never checks the status. */
export interface SseResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  error: string;
}

/** xk6-sse's open(). */
export type SseOpen = { open(url: string, params: object, setup: (client: SseClient) => void): SseResponse };

/** Sends one streamed request body and measures the stream; with `output`, also collects what the model said. */
export type StreamSender = (body: string, output?: AnswerOutput) => RequestRecord;

/** Makes the sender of streamed requests through xk6-sse; `clock` is ms on a monotonic clock. */
export function sseStream(
  sse: SseOpen,
  clock: () => number,
  timeoutMs: number,
  adapter: ProtocolAdapter,
  url: string,
  headers: Record<string, string>,
): StreamSender {
  return (body: string, output?: AnswerOutput): RequestRecord => {
    const startMs = clock();
    const meter = new StreamMeter(adapter, startMs);
    let errorText: string | null = null;
    let response: SseResponse | null = null;
    try {
      response = sse.open(
        url,
        // xk6-sse wants its timeout as a duration string, not a number.
        { method: 'POST', headers, body, timeout: formatDuration(timeoutMs) },
        (client: SseClient) => {
          client.on('event', (event: SseEvent) => {
            meter.onEvent(clock(), event.data);
            if (output) adapter.readOutput?.(event.data, output);
          });
          // After a mid-stream error the VU hangs unless the client is closed here.
          client.on('error', (error: SseError) => {
            if (errorText === null) errorText = String(error.error());
            client.close();
          });
        },
      );
    } catch (err) {
      errorText = String(err);
    }
    const endMs = clock();
    if (response && response.error && errorText === null) errorText = response.error;
    const status = response?.status ?? 0;
    return meter.finish({
      // xk6-sse does not check the status code; the meter classifies it.
      status,
      headersMs: null,
      endMs,
      error: errorText === null ? null : classifySseErrorText(errorText, status),
      errorMessage: errorText ?? undefined,
      retryAfter: headerValue(response?.headers, 'retry-after'),
    });
  };
}

/** A response header by case-insensitive name ('' when absent). */
export function headerValue(headers: Record<string, string> | undefined, lowerName: string): string {
  if (!headers) return '';
  for (const name of Object.keys(headers)) if (name.toLowerCase() === lowerName) return String(headers[name]);
  return '';
}
