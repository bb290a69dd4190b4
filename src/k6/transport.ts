// Sends one generation request and measures it, through whichever transport
// this run has: the project's stream meter beside k6 (every request, streamed
// or not, read in Go with kernel receive times; docs/meter-protocol.md) or
// xk6-sse (k6/x/sse, events stamped when the JavaScript handler runs; then
// non-streamed requests use k6/http).

import http from 'k6/http';
import type { EndpointConfig } from '../config/endpoint.ts';
import { ConfigError } from '../errors.ts';
import type { AnswerOutput } from '../protocols/answer-output.ts';
import type { ImageSize } from '../images/image-info.ts';
import { formatDuration } from '../duration.ts';
import { measureCompletion } from '../measure/completion.ts';
import { recordFromMeter } from '../measure/meter-record.ts';
import { encodeContext, parseMeterRecord, type MeterRecord } from '../meter/record.ts';
import { failedRecord, type RequestRecord, type TransportErrorKind } from '../measure/request-record.ts';
import { requestUrl, type GenerationRequest, type ProtocolAdapter } from '../protocols/protocol.ts';
import { nowMs } from './clock.ts';
import { optionalModule, sseOpenFrom } from './extensions.ts';
import { MeterClient } from './meter-client.ts';
import { headerValue, sseStream } from './sse-stream.ts';
import { useMeter } from './meter-store.ts';

/** The transport a run uses, as reported in the summary. */
export type TransportName = 'meter' | 'sse';

/** Who sent a request, so the meter can keep what end-of-test checks need (see settlePending). */
export interface RequestMeta {
  workload: string;
  /** The workload logs every outcome for availability over time. */
  timeline: boolean;
  /** A store counter the meter bumps when the response has ended (batch progress). */
  count?: string;
  /** When the request started (ms since the test started) as the recorder sees it; default: now. */
  startedMs?: number;
  /**
   * The ramp's level of the request: its label and ms from the level
   * scenario's start to the request's start. In the meter's record (ctx.l,
   * ctx.le), so a merge of instances can place it in its level's phases.
   */
  level?: { label: string; sinceStartMs: number };
  /** The sizes of the images the request carries (in the meter's record, ctx.im, for a merge of instances). */
  images?: ImageSize[];
}

/** Sends a request and returns its measured record. */
export interface Transport {
  readonly name: TransportName;
  /** Sends `request`; with `output`, also collects what the model said into it (every event's data is read then). */
  send(request: GenerationRequest, meta?: RequestMeta, output?: AnswerOutput): RequestRecord;
}

/** How much of a non-SSE body the meter sends back: all of a completion, the start of an error page. */
const COMPLETION_BODY_BYTES = 4 * 1024 * 1024;
const ERROR_BODY_BYTES = 4096;

/**
 * Picks the transport the endpoint asks for; throws a one-line ConfigError
 * when it is not there. `extraHeaders` go on every request; the adapter's
 * auth and version headers (Bearer, x-api-key + anthropic-version) win.
 */
export function createTransport(endpoint: EndpointConfig, adapter: ProtocolAdapter, extraHeaders: Record<string, string> = {}): Transport {
  const url = requestUrl(endpoint.baseUrl, adapter, true);
  const completionUrl = requestUrl(endpoint.baseUrl, adapter, false);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...extraHeaders, ...adapter.headers(endpoint.apiKey) };

  const useMeterTransport = endpoint.transport === 'meter' || (endpoint.transport === 'auto' && endpoint.meter !== null);
  if (useMeterTransport) {
    if (endpoint.meter === null) {
      throw new ConfigError('missing-value', 'LLM_METER_URL', 'invalid LLM_TRANSPORT=meter; expected LLM_METER_URL too, got none (start a meter with: npx k6-llm meter, then pass -e LLM_METER_URL=<the URL it prints>)');
    }
    const client = new MeterClient(endpoint.meter, endpoint.timeoutMs);
    useMeter(client, adapter);
    return meterTransport(client, endpoint, adapter, url, completionUrl, headers);
  }
  // Not a literal: k6 resolves extensions named by literal imports, and this one is optional.
  const sse = sseOpenFrom(optionalModule(['k6', 'x', 'sse'].join('/')));
  if (!sse) {
    throw new ConfigError(
      'invalid-value',
      'LLM_TRANSPORT',
      endpoint.transport === 'sse'
        ? 'invalid LLM_TRANSPORT=sse; expected a k6 binary with xk6-sse (k6/x/sse), got one without it (or use the stream meter: npx k6-llm meter)'
        : 'invalid setup; expected LLM_METER_URL (start the stream meter with: npx k6-llm meter, then k6 run -e LLM_METER_URL=<the URL it prints> ...) or a k6 binary with xk6-sse, got neither',
    );
  }
  const sendStream = sseStream(sse, nowMs, endpoint.timeoutMs, adapter, url, headers);
  return {
    name: 'sse',
    send(request: GenerationRequest, _meta?: RequestMeta, output?: AnswerOutput): RequestRecord {
      return guarded(() => {
        const body = adapter.buildBody(request);
        return request.stream ? sendStream(body, output) : sendWithHttp(endpoint, adapter, completionUrl, headers, body, output);
      });
    },
  };
}

/**
 * Any exception becomes a failed request (error kind `request`): an exception
 * would end the iteration, and with it the measurement of whatever the
 * endpoint did, instead of counting it.
 */
function guarded(send: () => RequestRecord): RequestRecord {
  try {
    return send();
  } catch (err) {
    const message = String(err instanceof Error ? err.message : err).split('\n')[0];
    return failedRecord('request', message);
  }
}

function meterTransport(
  client: MeterClient,
  endpoint: EndpointConfig,
  adapter: ProtocolAdapter,
  url: string,
  completionUrl: string,
  headers: Record<string, string>,
): Transport {
  // The request-independent parameters, serialised once per VU.
  const line = (stream: boolean, fast: boolean): string =>
    JSON.stringify({
      url: stream ? url : completionUrl,
      method: 'POST',
      headers: stream ? headers : { ...headers, Accept: 'application/json' },
      timeoutMs: endpoint.timeoutMs,
      stallTimeoutMs: endpoint.stallTimeoutMs,
      maxBodyBytes: stream ? ERROR_BODY_BYTES : COMPLETION_BODY_BYTES,
      // The meter applies the adapter's plain-token test while reading (and then drops those events' data).
      fastToken: stream && fast ? (adapter.fastTokenRule ?? null) : null,
      insecureTls: endpoint.insecureTls,
    });
  const streamLine = line(true, true);
  // What the model said is in every event's data: the meter keeps all of it.
  const streamLineWithData = line(true, false);
  const completionLine = line(false, false);
  return {
    name: 'meter',
    send(request: GenerationRequest, meta?: RequestMeta, output?: AnswerOutput): RequestRecord {
      return guarded(() => {
        const body = adapter.buildBody(request);
        const ctx = meta
          ? encodeContext({
              workload: meta.workload,
              timeline: meta.timeline,
              startedMs: meta.startedMs ?? nowMs(),
              streamed: request.stream,
              protocol: adapter.name,
              level: meta.level ?? null,
              images: meta.images ?? [],
            })
          : null;
        const staticLine = request.stream ? (output ? streamLineWithData : streamLine) : completionLine;
        const answer = client.stream(staticLine, body, ctx, meta?.count ?? '');
        if (!answer.ok) return failedRecord('meter', answer.message);
        const res = parseMeterRecord(answer.body);
        if (typeof res === 'string') return failedRecord('meter', `the stream meter answered something that is not a record (${res})`);
        if (output) collectOutput(adapter, res, request.stream, output);
        return recordFromMeter(adapter, res, request.stream);
      });
    },
  };
}

/** What the model said, from the meter's record: every event's data, or the whole body. */
function collectOutput(adapter: ProtocolAdapter, res: MeterRecord, streamed: boolean, output: AnswerOutput): void {
  if (!streamed) {
    adapter.readCompletionOutput?.(res.body, output);
    return;
  }
  const read = adapter.readOutput;
  if (read) for (const data of res.data) read.call(adapter, data, output);
}

/** Non-streamed request through k6/http: only E2E is observable. */
function sendWithHttp(
  endpoint: EndpointConfig,
  adapter: ProtocolAdapter,
  url: string,
  headers: Record<string, string>,
  body: string,
  output?: AnswerOutput,
): RequestRecord {
  const startMs = nowMs();
  const res = http.post(url, body, {
    headers: { ...headers, Accept: 'application/json' },
    timeout: formatDuration(endpoint.timeoutMs),
    responseType: 'text',
  });
  const endMs = nowMs();
  let error: TransportErrorKind | null = null;
  // k6 error codes: 1050 is the request timeout; other 1xxx are DNS/TCP failures.
  if (res.error_code === 1050) error = 'timeout';
  else if (res.status === 0) error = 'connect';
  const text = typeof res.body === 'string' ? res.body : '';
  if (output) adapter.readCompletionOutput?.(text, output);
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
    text,
  );
}
