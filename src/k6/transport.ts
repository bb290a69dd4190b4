// Sends one generation request and measures it, through whichever stream
// transport this k6 binary has: k6-llm's Go reader (k6/x/llmstream, events
// stamped at read time in Go) or xk6-sse (k6/x/sse, events stamped when the
// JavaScript handler runs). Non-streamed requests use k6/http.

import http from 'k6/http';
import type { LlmStreamResult } from 'k6/x/llmstream';
import type { SseClient, SseError, SseEvent, SseResponse } from 'k6/x/sse';
import type { Config } from '../config.ts';
import { formatDuration } from '../duration.ts';
import { measureCompletion } from '../measure/completion.ts';
import { classifySseErrorText, type RequestRecord, type TransportErrorKind } from '../measure/request-record.ts';
import { StreamMeter } from '../measure/stream-meter.ts';
import type { GenerationRequest, ProtocolAdapter } from '../protocols/protocol.ts';
import { nowMs } from './clock.ts';
import { llmstream, optionalModule, type LlmStreamModule } from './extensions.ts';

type SseModule = { default?: SseOpen } & SseOpen;
type SseOpen = { open(url: string, params: object, setup: (client: SseClient) => void): SseResponse };

/** The transport a run uses, as reported in the summary. */
export type TransportName = 'go' | 'sse';

/** Sends a request and returns its measured record. */
export interface Transport {
  readonly name: TransportName;
  send(request: GenerationRequest): RequestRecord;
}

/** Sends one streamed request body and measures the stream. */
type StreamSender = (body: string) => RequestRecord;

/** Picks the transport LLM_TRANSPORT asks for; throws when the binary lacks it. */
export function createTransport(config: Config, adapter: ProtocolAdapter): Transport {
  const url = config.baseUrl + adapter.path;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;

  const goModule = config.transport === 'sse' ? null : llmstream;
  const sseModule = goModule || config.transport === 'go' ? null : optionalModule<SseModule>('k6/x/sse');
  let name: TransportName;
  let sendStream: StreamSender;
  if (goModule) {
    name = 'go';
    sendStream = goStream(goModule, config, adapter, url, headers);
  } else if (sseModule) {
    name = 'sse';
    sendStream = sseStream(sseModule.default ?? sseModule, config, adapter, url, headers);
  } else {
    const wanted = config.transport === 'auto' ? 'k6/x/llmstream or k6/x/sse' : config.transport === 'go' ? 'k6/x/llmstream' : 'k6/x/sse';
    throw new Error(
      `invalid k6 binary for LLM_TRANSPORT=${config.transport}; expected one built with ${wanted}, got one without it (build one with: npx k6-llm build-k6)`,
    );
  }
  return {
    name,
    send(request: GenerationRequest): RequestRecord {
      // Any exception becomes a failed request (error kind `request`): an
      // exception would end the iteration, and with it the measurement of
      // whatever the endpoint did, instead of counting it.
      try {
        const body = adapter.buildBody(request);
        return request.stream ? sendStream(body) : sendWithHttp(config, adapter, url, headers, body);
      } catch (err) {
        const message = String(err instanceof Error ? err.message : err).split('\n')[0];
        return new StreamMeter(adapter, 0).finish({ status: 0, headersMs: null, endMs: 0, error: 'request', errorMessage: message });
      }
    },
  };
}

function goStream(
  mod: LlmStreamModule,
  config: Config,
  adapter: ProtocolAdapter,
  url: string,
  headers: Record<string, string>,
): StreamSender {
  return (body: string): RequestRecord => {
    const res: LlmStreamResult = mod.request({
      method: 'POST',
      url,
      headers,
      body,
      timeoutMs: config.timeoutMs,
      stallTimeoutMs: config.stallTimeoutMs,
      maxBodyBytes: 4096,
      // The Go reader applies the adapter's plain-token test while reading.
      fastToken: adapter.fastTokenRule,
    });
    // The Go reader's times are ms since it wrote the request: start is 0.
    const meter = new StreamMeter(adapter, 0);
    meter.onEvents(res.times, res.data, res.fast);
    return meter.finish({
      status: res.status,
      headersMs: res.status === 0 ? null : res.headersMs,
      endMs: res.endMs,
      error: (res.errorKind || null) as TransportErrorKind | null,
      errorMessage: res.errorMessage,
      isEventStream: res.status === 0 || res.status >= 300 ? undefined : res.isSSE,
      kernelStamps: res.kernelStamps,
      readLagMs: res.readLagMaxMs,
      sendLagMs: res.sendLagMs,
      // Older builds of the extension do not report it.
      retryAfter: res.retryAfter ?? '',
    });
  };
}

function sseStream(
  sse: SseOpen,
  config: Config,
  adapter: ProtocolAdapter,
  url: string,
  headers: Record<string, string>,
): StreamSender {
  return (body: string): RequestRecord => {
    const startMs = nowMs();
    const meter = new StreamMeter(adapter, startMs);
    let errorText: string | null = null;
    let response: SseResponse | null = null;
    try {
      response = sse.open(
        url,
        // xk6-sse wants its timeout as a duration string, not a number.
        { method: 'POST', headers, body, timeout: formatDuration(config.timeoutMs) },
        (client: SseClient) => {
          client.on('event', (event: SseEvent) => meter.onEvent(nowMs(), event.data));
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
    const endMs = nowMs();
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
function headerValue(headers: Record<string, string> | undefined, lowerName: string): string {
  if (!headers) return '';
  for (const name of Object.keys(headers)) if (name.toLowerCase() === lowerName) return String(headers[name]);
  return '';
}

/** Non-streamed request through k6/http: only E2E is observable. */
function sendWithHttp(
  config: Config,
  adapter: ProtocolAdapter,
  url: string,
  headers: Record<string, string>,
  body: string,
): RequestRecord {
  const startMs = nowMs();
  const res = http.post(url, body, {
    headers: { ...headers, Accept: 'application/json' },
    timeout: formatDuration(config.timeoutMs),
    responseType: 'text',
  });
  const endMs = nowMs();
  let error: TransportErrorKind | null = null;
  // k6 error codes: 1050 is the request timeout; other 1xxx are DNS/TCP failures.
  if (res.error_code === 1050) error = 'timeout';
  else if (res.status === 0) error = 'connect';
  return measureCompletion(
    adapter,
    startMs,
    {
      status: res.status,
      headersMs: res.status === 0 ? null : startMs + res.timings.blocked + res.timings.connecting + res.timings.sending + res.timings.waiting,
      endMs,
      error,
      errorMessage: res.error || undefined,
      retryAfter: headerValue(res.headers, 'retry-after'),
    },
    typeof res.body === 'string' ? res.body : '',
  );
}
