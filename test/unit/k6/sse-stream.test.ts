// The xk6-sse shell (src/k6/sse-stream.ts) against a fake sse.open that
// behaves as xk6-sse v0.1.x does: events through the 'event' handler, errors
// through the 'error' handler (the VU hangs unless the client is closed
// there), the status in the response object (never checked by xk6-sse), and
// exceptions for requests it cannot make.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sseStream, type SseClient, type SseError, type SseEvent, type SseOpen, type SseResponse } from '../../../src/k6/sse-stream.ts';
import type { RequestRecord } from '../../../src/measure/request-record.ts';
import { protocolByName } from '../../../src/protocols/index.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { loadTranscript, parseWhole, replayTimed } from '../support/transcript.ts';

const token = (t: string) => `{"choices":[{"index":0,"delta":{"content":"${t}"}}]}`;
const finish = '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';

/** What one fake stream does: events at times, then maybe an error, then the response. */
interface Script {
  events?: [number, string][];
  error?: string;
  /** Events the server would still send after the error, if the client were not closed. */
  afterError?: [number, string][];
  response?: Partial<SseResponse>;
  throws?: string;
}

function fake(script: Script) {
  const seen = { url: '', params: {} as Record<string, unknown>, closed: 0, eventsAfterClose: 0 };
  let clock = 0;
  const open: SseOpen['open'] = (url, params, setup) => {
    seen.url = url;
    seen.params = params as Record<string, unknown>;
    if (script.throws) throw new Error(script.throws);
    const handlers: { event?: (e: SseEvent) => void; error?: (e: SseError) => void } = {};
    const client: SseClient = {
      on: ((name: string, handler: never) => {
        if (name === 'event') handlers.event = handler;
        if (name === 'error') handlers.error = handler;
      }) as SseClient['on'],
      close: () => {
        seen.closed++;
      },
    };
    setup(client);
    const emit = (list: [number, string][]) => {
      for (const [at, data] of list) {
        if (seen.closed > 0) {
          seen.eventsAfterClose++;
          continue;
        }
        clock = at;
        handlers.event?.({ id: '', name: '', data });
      }
    };
    emit(script.events ?? []);
    if (script.error !== undefined) handlers.error?.({ error: () => script.error as string });
    emit(script.afterError ?? []);
    return { url, status: 200, headers: {}, error: '', ...script.response };
  };
  return { sse: { open }, seen, clock: () => clock };
}

function send(script: Script) {
  const f = fake(script);
  const sender = sseStream(f.sse, f.clock, 60_000, openaiChat, 'http://127.0.0.1:9/v1/chat/completions', { Accept: 'text/event-stream' });
  return { record: sender('{"stream":true}'), seen: f.seen };
}

describe('xk6-sse shell', () => {
  it('measures a clean stream on the clock of the event handler', () => {
    const { record, seen } = send({ events: [[200, token('a')], [220, token('b')], [221, finish], [222, '[DONE]']] });
    assert.equal(record.success, true);
    assert.equal(record.ttftMs, 200);
    assert.deepEqual(record.itlMs, [20]);
    assert.equal(seen.url, 'http://127.0.0.1:9/v1/chat/completions');
    // xk6-sse rejects a numeric timeout: it must be a duration string.
    assert.equal(seen.params.timeout, '60s');
    assert.equal(seen.params.method, 'POST');
    assert.equal(seen.params.body, '{"stream":true}');
  });

  it('closes the client on a mid-stream error and reports it as a broken stream', () => {
    const { record, seen } = send({ events: [[200, token('a')]], error: 'unexpected EOF', afterError: [[300, token('late')]] });
    assert.equal(seen.closed, 1);
    assert.equal(seen.eventsAfterClose, 1);
    assert.equal(record.success, false);
    assert.equal(record.error, 'truncated');
    assert.equal(record.errorMessage, 'unexpected EOF');
    assert.equal(record.outputTokens, 1);
  });

  it('checks the status itself: xk6-sse does not', () => {
    const { record } = send({ response: { status: 429, headers: { 'Retry-After': '3' } } });
    assert.equal(record.error, 'http_429');
    assert.equal(record.retryAfter, '3');
    assert.equal(send({ response: { status: 503 } }).record.error, 'http_5xx');
  });

  it('classifies errors by their text: refused, timeout, test end', () => {
    assert.equal(send({ error: 'dial tcp 127.0.0.1:9: connect: connection refused', response: { status: 0 } }).record.error, 'connect');
    assert.equal(send({ error: 'context deadline exceeded', response: { status: 200 } }).record.error, 'timeout');
    assert.equal(send({ error: 'context canceled', response: { status: 200 } }).record.error, 'interrupted');
    assert.equal(send({ response: { status: 0, error: 'read: connection reset by peer' } }).record.error, 'connect');
  });

  it('an exception from open() is a failed request, not a dead iteration', () => {
    const { record } = send({ throws: 'invalid URL' });
    assert.equal(record.success, false);
    assert.equal(record.error, 'connect');
    assert.match(record.errorMessage ?? '', /invalid URL/);
  });

  it('an error stream with no finish reason is truncated, an empty one is empty', () => {
    assert.equal(send({ events: [[100, token('a')]] }).record.error, 'truncated');
    assert.equal(send({ events: [[100, finish], [101, '[DONE]']] }).record.error, 'empty');
  });
});

/** One transcript per protocol (and its error and truncation cases), as the xk6-sse shell would receive them. */
const PROTOCOL_TRANSCRIPTS: [string, string[]][] = [
  ['openai-chat', ['reasoning', 'tool-calls', 'stream-error', 'truncated']],
  ['openai-completions', ['completions-usage', 'completions-truncated']],
  ['anthropic-messages', ['anthropic-text', 'anthropic-thinking-tool', 'anthropic-error', 'anthropic-truncated']],
  ['openai-responses', ['responses-text', 'responses-reasoning-tool', 'responses-failed', 'responses-truncated']],
  ['tgi', ['tgi-stream', 'tgi-length', 'tgi-error', 'tgi-truncated']],
];

describe('xk6-sse shell, every protocol', () => {
  for (const [name, transcripts] of PROTOCOL_TRANSCRIPTS) {
    for (const transcript of transcripts) {
      it(`${name} ${transcript}: the same figures and verdict as the measurement core given the events one by one`, () => {
        const adapter = protocolByName(name);
        const { events } = parseWhole(loadTranscript(transcript));
        const times = events.map((_, i) => 100 + 10 * i);
        const core = replayTimed(loadTranscript(transcript), times, { adapter, mode: 'each' }).record;
        const f = fake({ events: events.map((e, i) => [times[i] as number, e.data]) });
        const shell = sseStream(f.sse, f.clock, 60_000, adapter, 'http://127.0.0.1:9/x', { Accept: 'text/event-stream' })('{}');
        const pick = (r: RequestRecord) => [r.success, r.error, r.ttftMs, r.ttfoMs, r.itlMs, r.outputTokens, r.reasoningTokens, r.answerTokens, r.finishReason];
        assert.deepEqual(pick(shell), pick(core));
        assert.ok(core.ttftMs !== null || !core.success, 'a successful transcript has output');
      });
    }
  }
});
