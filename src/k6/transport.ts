// Sends one generation request and measures it, through whichever transport
// this run has: the project's stream meter beside k6 (every request, streamed
// or not, read in Go with kernel receive times; docs/meter-protocol.md) or
// xk6-sse (k6/x/sse, events stamped when the JavaScript handler runs; then
// non-streamed requests use k6/http).

import http from 'k6/http';
import type { Config } from '../config.ts';
import { formatDuration } from '../duration.ts';
import { measureCompletion } from '../measure/completion.ts';
import { parseMeterRecord, recordFromMeter } from '../measure/meter-record.ts';
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
}

/** Sends a request and returns its measured record. */
export interface Transport {
  readonly name: TransportName;
  send(request: GenerationRequest, meta?: RequestMeta): RequestRecord;
}

/** How much of a non-SSE body the meter sends back: all of a completion, the start of an error page. */
const COMPLETION_BODY_BYTES = 4 * 1024 * 1024;
const ERROR_BODY_BYTES = 4096;

/** Picks the transport LLM_TRANSPORT asks for; throws a one-line error when it is not there. */
export function createTransport(config: Config, adapter: ProtocolAdapter): Transport {
  const url = requestUrl(config.baseUrl, adapter, true);
  const completionUrl = requestUrl(config.baseUrl, adapter, false);
  // The adapter's auth and version headers (Bearer, x-api-key + anthropic-version).
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...adapter.headers(config.apiKey) };

  const useMeterTransport = config.transport === 'meter' || (config.transport === 'auto' && config.meter !== null);
  if (useMeterTransport) {
    if (config.meter === null) {
      throw new Error('invalid LLM_TRANSPORT=meter; expected LLM_METER_URL too, got none (start a meter with: npx k6-llm meter, then pass -e LLM_METER_URL=<the URL it prints>)');
    }
    const client = new MeterClient(config.meter, config.timeoutMs);
    useMeter(client, adapter);
    return meterTransport(client, config, adapter, url, completionUrl, headers);
  }
  // Not a literal: k6 resolves extensions named by literal imports, and this one is optional.
  const sse = sseOpenFrom(optionalModule(['k6', 'x', 'sse'].join('/')));
  if (!sse) {
    throw new Error(
      config.transport === 'sse'
        ? 'invalid LLM_TRANSPORT=sse; expected a k6 binary with xk6-sse (k6/x/sse), got one without it (or use the stream meter: npx k6-llm meter)'
        : 'invalid setup; expected LLM_METER_URL (start the stream meter with: npx k6-llm meter, then k6 run -e LLM_METER_URL=<the URL it prints> ...) or a k6 binary with xk6-sse, got neither',
    );
  }
  const sendStream = sseStream(sse, nowMs, config.timeoutMs, adapter, url, headers);
  return {
    name: 'sse',
    send(request: GenerationRequest): RequestRecord {
      return guarded(() => {
        const body = adapter.buildBody(request);
        return request.stream ? sendStream(body) : sendWithHttp(config, adapter, completionUrl, headers, body);
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
  config: Config,
  adapter: ProtocolAdapter,
  url: string,
  completionUrl: string,
  headers: Record<string, string>,
): Transport {
  // The request-independent parameters, serialised once per VU.
  const line = (stream: boolean): string =>
    JSON.stringify({
      url: stream ? url : completionUrl,
      method: 'POST',
      headers: stream ? headers : { ...headers, Accept: 'application/json' },
      timeoutMs: config.timeoutMs,
      stallTimeoutMs: config.stallTimeoutMs,
      maxBodyBytes: stream ? ERROR_BODY_BYTES : COMPLETION_BODY_BYTES,
      // The meter applies the adapter's plain-token test while reading.
      fastToken: stream ? (adapter.fastTokenRule ?? null) : null,
      insecureTls: config.insecureTls,
    });
  const streamLine = line(true);
  const completionLine = line(false);
  return {
    name: 'meter',
    send(request: GenerationRequest, meta?: RequestMeta): RequestRecord {
      return guarded(() => {
        const body = adapter.buildBody(request);
        const ctx = meta ? { w: meta.workload, t: meta.timeline ? 1 : 0, s: meta.startedMs ?? nowMs(), st: request.stream ? 1 : 0, ...levelContext(meta) } : null;
        const answer = client.stream(request.stream ? streamLine : completionLine, body, ctx, meta?.count ?? '');
        if (!answer.ok) return failedRecord('meter', answer.message);
        const res = parseMeterRecord(answer.body);
        if (res === null) return failedRecord('meter', 'the stream meter answered something that is not a record');
        return recordFromMeter(adapter, res, request.stream);
      });
    },
  };
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

/** The ramp level's part of the meter context: `l` (label) and `le` (ms into the level), rounded to µs. */
function levelContext(meta: RequestMeta): { l: string; le: number } | Record<string, never> {
  return meta.level ? { l: meta.level.label, le: Math.round(meta.level.sinceStartMs * 1000) / 1000 } : {};
}
