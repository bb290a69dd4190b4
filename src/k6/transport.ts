// Sends one generation request and measures it, through whichever transport
// this run has: the project's stream meter beside k6 (every request, streamed
// or not, read in Go with kernel receive times; docs/meter-protocol.md) or
// xk6-sse (k6/x/sse, events stamped when the JavaScript handler runs; then
// non-streamed requests use k6/http).

import http from 'k6/http';
import { usesMeter, type EndpointConfig } from '../config/endpoint.ts';
import { ConfigError } from '../errors.ts';
import type { AnswerOutput } from '../protocols/answer-output.ts';
import type { ImageSize } from '../images/image-info.ts';
import { formatDuration } from '../duration.ts';
import { measureCompletion } from '../measure/completion.ts';
import { recordFromCompact } from '../measure/meter-record.ts';
import { encodeContext, parseCompactAnswer, type CompactAnswer } from '../meter/record.ts';
import { failedRecord, type RequestRecord, type TransportErrorKind } from '../measure/request-record.ts';
import { requestUrl, type GenerationRequest, type ProtocolAdapter } from '../protocols/protocol.ts';
import { nowMs } from './clock.ts';
import { optionalModule, sseOpenFrom } from './extensions.ts';
import { MeterClient, type MeterAnswer } from './meter-client.ts';
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
  /**
   * The VU's stream the request went on (set by sendAsync: each concurrent
   * request has its own); 0 or absent for a synchronous one. The recorder
   * queues the request's observations on it, then the transport frees it (done).
   */
  stream?: number;
}

/** Sends a request and returns its measured record. */
export interface Transport {
  readonly name: TransportName;
  /** Sends `request`; with `output`, also collects what the model said into it (every event's data is read then). */
  send(request: GenerationRequest, meta?: RequestMeta, output?: AnswerOutput): RequestRecord;
  /**
   * Sends `request` without blocking the VU (several at once per VU), on a
   * stream of its own written to meta.stream; call done(meta) once the
   * record's observations are queued. Absent: the transport sends one
   * request at a time (xk6-sse).
   */
  sendAsync?(request: GenerationRequest, meta: RequestMeta, output?: AnswerOutput): Promise<RequestRecord>;
  /** Frees the stream sendAsync took (see RequestMeta.stream). */
  done?(meta: RequestMeta): void;
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

  if (usesMeter(endpoint)) {
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
    return requestFailure(err);
  }
}

/** The record of a request that threw (error kind `request`, the exception's first line). */
function requestFailure(err: unknown): RequestRecord {
  return failedRecord('request', String(err instanceof Error ? err.message : err).split('\n')[0] as string);
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
      // Plain-token runs summed up by the meter: k6 reads the events that need the adapter, not every event.
      answer: 'compact',
    });
  const streamLine = line(true, true);
  // What the model said is in every event's data: the meter keeps all of it.
  const streamLineWithData = line(true, false);
  const completionLine = line(false, false);
  /** The request's static line and per-request context. */
  const prepare = (request: GenerationRequest, meta: RequestMeta | undefined, output: AnswerOutput | undefined) => {
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
    return { body: adapter.buildBody(request), ctx, staticLine };
  };
  /** The record of the meter's answer. */
  const recordOf = (request: GenerationRequest, answer: MeterAnswer, output: AnswerOutput | undefined): RequestRecord => {
    if (!answer.ok) return failedRecord('meter', answer.message);
    const res = parseCompactAnswer(answer.body);
    if (typeof res === 'string') return failedRecord('meter', `the stream meter answered something that is not a record (${res})`);
    if (output) collectOutput(adapter, res, request.stream, output);
    return recordFromCompact(adapter, res, request.stream);
  };
  return {
    name: 'meter',
    send(request: GenerationRequest, meta?: RequestMeta, output?: AnswerOutput): RequestRecord {
      return guarded(() => {
        const { body, ctx, staticLine } = prepare(request, meta, output);
        return recordOf(request, client.stream(staticLine, body, ctx, meta?.count ?? ''), output);
      });
    },
    async sendAsync(request: GenerationRequest, meta: RequestMeta, output?: AnswerOutput): Promise<RequestRecord> {
      let sent;
      try {
        const { body, ctx, staticLine } = prepare(request, meta, output);
        sent = await client.streamAsync(staticLine, body, ctx, meta.count ?? '');
      } catch (err) {
        return requestFailure(err);
      }
      meta.stream = sent.stream;
      return guarded(() => recordOf(request, sent.answer, output));
    },
    done(meta: RequestMeta): void {
      if (meta.stream !== undefined) client.done(meta.stream);
    },
  };
}

/** What the model said, from the meter's answer: every event's data (asked for without the plain-token rule), or the whole body. */
function collectOutput(adapter: ProtocolAdapter, res: CompactAnswer, streamed: boolean, output: AnswerOutput): void {
  if (!streamed) {
    adapter.readCompletionOutput?.(res.body, output);
    return;
  }
  const read = adapter.readOutput;
  if (read) for (let i = 1; i < res.events.length; i += 2) read.call(adapter, res.events[i] as string, output);
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
