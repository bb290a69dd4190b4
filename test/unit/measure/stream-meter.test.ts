// StreamMeter against the metric contract, on real-looking transcripts with
// exact arrival times: TTFT, every ITL gap, E2E, TPOT, tokens/s, token counts
// and the estimated flag, and the classification of every failure. Each
// transcript is replayed three ways that must agree: one time per event via
// onEvent, the same via one onEvents batch, and the raw text cut into chunks
// at awkward places, fed through the SSE parser.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StreamMeter } from '../../../src/measure/stream-meter.ts';
import type { RequestRecord, TransportOutcome } from '../../../src/measure/request-record.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import {
  awkwardCuts,
  cutAt,
  loadTranscript,
  meterEvents,
  okOutcome,
  parseWhole,
  replayChunks,
  replayTimed,
  type ReplayOptions,
} from '../support/transcript.ts';
import { expectedRecord } from '../support/replay-check.ts';

/** Every field of a clean record, overridden per case (TTFO is TTFT and every token an answer token unless a case says otherwise). */
const record = expectedRecord;

/** Replays a transcript the three ways and checks each gives `expected`. */
function checkAllWays(name: string, times: number[], expected: RequestRecord, options: ReplayOptions = {}): void {
  const raw = loadTranscript(name);
  const each = replayTimed(raw, times, options);
  assert.deepEqual(each.record, expected, `${name}: onEvent per event`);
  const batch = replayTimed(raw, times, { ...options, mode: 'batch' });
  assert.deepEqual(batch.record, expected, `${name}: one onEvents batch`);
  const cuts = awkwardCuts(raw);
  const chunked = replayChunks(cutAt(raw, cuts, times), times[times.length - 1] as number, options);
  assert.deepEqual(
    chunked.events.map((e) => e.atMs),
    times,
    `${name}: each event completes in its own chunk`,
  );
  assert.deepEqual(chunked.record, expected, `${name}: cut into chunks at ${cuts.join(', ')}`);
}

describe('StreamMeter on transcripts with exact times', () => {
  it('vLLM: role-only first chunk and keep-alives are not tokens; usage gives the count', () => {
    // role, 5 content chunks, finish with empty content, usage with choices:[], [DONE]
    const times = [180, 200, 210, 240, 260, 300, 301, 302, 303];
    const expected = record({
      ttftMs: 200,
      itlMs: [10, 30, 20, 40],
      e2eMs: 300,
      outputTokens: 5,
      tokensEstimated: false,
      tokenChunks: 5,
      promptTokens: 12,
      tpotMs: 25, // (300 − 200) / (5 − 1)
      outputTokensPerSecond: 40, // 4 / 0.1 s
      finishReason: 'stop',
      sawDone: true,
    });
    checkAllWays('vllm-role-keepalive', times, expected);
    checkAllWays('vllm-role-keepalive-crlf', times, expected);
  });

  it('OpenAI: "usage":null in every chunk, finish with an empty delta, usage chunk last', () => {
    checkAllWays(
      'openai-usage-null',
      [50, 120, 125, 160, 161, 162, 163],
      record({
        ttftMs: 120,
        itlMs: [5, 35],
        e2eMs: 160,
        outputTokens: 3,
        tokensEstimated: false,
        tokenChunks: 3,
        promptTokens: 9,
        // The transcript's usage has prompt_tokens_details.cached_tokens 0: reported, none cached.
        cachedPromptTokens: 0,
        tpotMs: 20,
        outputTokensPerSecond: 50,
        finishReason: 'length',
        sawDone: true,
      }),
    );
  });

  it('chunks carrying several tokens: TPOT and tokens/s use usage, ITL uses chunks', () => {
    checkAllWays(
      'multi-token-chunks',
      [90, 100, 200, 280, 281, 282],
      record({
        ttftMs: 100,
        itlMs: [100, 80],
        e2eMs: 280, // the last content chunk also carries finish_reason
        outputTokens: 10,
        tokensEstimated: false,
        tokenChunks: 3,
        promptTokens: 20,
        tpotMs: 20, // 180 / 9
        outputTokensPerSecond: 50, // 9 / 0.18 s
        finishReason: 'stop',
        sawDone: true,
      }),
    );
  });

  it('the same stream without usage: the token count is the chunk count, flagged estimated', () => {
    const events = parseWhole(loadTranscript('multi-token-chunks'))
      .events.filter((e) => !e.data.includes('"usage":{'))
      .map((e, i) => ({ data: e.data, atMs: [90, 100, 200, 280, 282][i] as number }));
    assert.equal(events.length, 5);
    for (const mode of ['each', 'batch'] as const) {
      assert.deepEqual(
        meterEvents(events, { mode }),
        record({
          ttftMs: 100,
          itlMs: [100, 80],
          e2eMs: 280,
          outputTokens: 3,
          tokensEstimated: true,
          tokenChunks: 3,
          tpotMs: 90,
          outputTokensPerSecond: 2000 / 180,
          finishReason: 'stop',
          sawDone: true,
        }),
      );
    }
  });

  it('reasoning_content deltas are tokens: TTFT is the first reasoning chunk, TTFO the first answer chunk', () => {
    checkAllWays(
      'reasoning',
      [10, 400, 420, 440, 470, 500, 501, 502],
      record({
        ttftMs: 400,
        ttfoMs: 470,
        reasoningTokens: 3,
        reasoningTokensEstimated: true,
        answerTokens: 2,
        itlMs: [20, 20, 30, 30],
        e2eMs: 500,
        outputTokens: 5,
        tokensEstimated: true,
        tokenChunks: 5,
        tpotMs: 25,
        outputTokensPerSecond: 40,
        finishReason: 'stop',
        sawDone: true,
      }),
    );
  });

  it('tool_calls deltas are tokens, from the one naming the function on', () => {
    checkAllWays(
      'tool-calls',
      [300, 310, 330, 360, 400, 401, 402, 403],
      record({
        ttftMs: 300,
        itlMs: [10, 20, 30, 40],
        e2eMs: 400,
        outputTokens: 17,
        tokensEstimated: false,
        tokenChunks: 5,
        promptTokens: 61,
        tpotMs: 6.25, // 100 / 16
        outputTokensPerSecond: 160, // 16 / 0.1 s
        finishReason: 'tool_calls',
        sawDone: true,
      }),
    );
  });

  it('an error payload inside the stream is stream_error, timings kept', () => {
    checkAllWays(
      'stream-error',
      [40, 60, 75, 90, 91],
      record({
        success: false,
        error: 'stream_error',
        errorMessage: 'CUDA out of memory. Tried to allocate 2.00 GiB',
        ttftMs: 60,
        itlMs: [15],
        e2eMs: 75,
        outputTokens: 2,
        tokenChunks: 2,
        tpotMs: 15,
        outputTokensPerSecond: 1000 / 15,
        sawDone: true,
      }),
    );
  });

  it('a stream ending without finish_reason or [DONE] is truncated', () => {
    checkAllWays(
      'truncated',
      [10, 30, 45, 70], // the last event lacks its blank line: flush() dispatches it
      record({
        success: false,
        error: 'truncated',
        errorMessage: 'the stream ended without a finish reason or [DONE]',
        ttftMs: 30,
        itlMs: [15, 25],
        e2eMs: 70,
        outputTokens: 3,
        tokenChunks: 3,
        tpotMs: 20,
        outputTokensPerSecond: 50,
      }),
    );
  });

  it('a malformed chunk makes the request malformed, quoting the start of the chunk', () => {
    const raw = loadTranscript('malformed');
    const bad = parseWhole(raw).events[3]?.data as string;
    assert.ok(bad.length > 120);
    checkAllWays(
      'malformed',
      [5, 20, 30, 40, 41],
      record({
        success: false,
        error: 'malformed',
        errorMessage: `unreadable event: ${bad.slice(0, 120)}…`,
        ttftMs: 20,
        itlMs: [10],
        e2eMs: 30,
        outputTokens: 2,
        tokenChunks: 2,
        tpotMs: 10,
        outputTokensPerSecond: 100,
        sawDone: true,
      }),
    );
  });

  it(
    'a cut content chunk makes the request malformed',
    () => {
      const { record: got } = replayTimed(loadTranscript('malformed-content'), [5, 20, 30, 40, 41]);
      assert.equal(got.error, 'malformed');
      assert.equal(got.success, false);
    },
  );

  it('a stream with only a role chunk, keep-alives, an empty finish and usage is empty', () => {
    const raw = loadTranscript('empty-output');
    assert.equal(parseWhole(raw).comments, 2);
    checkAllWays(
      'empty-output',
      [100, 200, 201, 202],
      record({
        success: false,
        error: 'empty',
        errorMessage: 'the stream carried no output token',
        outputTokens: 0,
        tokensEstimated: false,
        promptTokens: 12,
        finishReason: 'stop',
        sawDone: true,
      }),
    );
  });
});

describe('StreamMeter clocks', () => {
  const times = [180, 200, 210, 240, 260, 300, 301, 302, 303];

  it('measures from startMs on an epoch clock, headers included', () => {
    const start = 1_700_000_000_000;
    const { record: got } = replayTimed(
      loadTranscript('vllm-role-keepalive'),
      times.map((t) => start + t),
      { startMs: start, outcome: okOutcome(start + 304, { headersMs: start + 150 }) },
    );
    assert.equal(got.ttftMs, 200);
    assert.deepEqual(got.itlMs, [10, 30, 20, 40]);
    assert.equal(got.e2eMs, 300);
    assert.equal(got.tpotMs, 25);
    assert.equal(got.outputTokensPerSecond, 40);
    assert.equal(got.headersMs, 150);
    assert.equal(got.success, true);
  });

  it('keeps fractional milliseconds exact', () => {
    const start = 1000.5;
    const { record: got } = replayTimed(
      loadTranscript('vllm-role-keepalive'),
      [1100, 1200.75, 1210.25, 1240.5, 1260, 1300.75, 1301, 1302, 1303],
      { startMs: start, outcome: okOutcome(1304, { headersMs: 1050.25 }) },
    );
    assert.equal(got.ttftMs, 200.25);
    assert.deepEqual(got.itlMs, [9.5, 30.25, 19.5, 40.75]);
    assert.equal(got.e2eMs, 300.25);
    assert.equal(got.tpotMs, 25);
    assert.equal(got.outputTokensPerSecond, 40);
    assert.equal(got.headersMs, 49.75);
  });

  it('the Go transport\'s clock: times are ms since the request, startMs 0', () => {
    const { record: got } = replayTimed(loadTranscript('openai-usage-null'), [50, 120, 125, 160, 161, 162, 163], {
      outcome: okOutcome(170, { headersMs: 45 }),
    });
    assert.equal(got.ttftMs, 120);
    assert.equal(got.headersMs, 45);
  });
});

describe('StreamMeter decode figures', () => {
  const content = (text: string): string => `{"choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}},"finish_reason":null}]}`;
  const finish = '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';
  const usage = (completion: number | null, prompt: number | null = 5): string =>
    JSON.stringify({ choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion } });

  it('one token: TTFT equals E2E, no ITL, no TPOT, no tokens/s', () => {
    const got = meterEvents([
      { atMs: 70, data: content('Hi') },
      { atMs: 71, data: finish },
      { atMs: 72, data: '[DONE]' },
    ]);
    assert.deepEqual(
      got,
      record({ ttftMs: 70, e2eMs: 70, outputTokens: 1, tokenChunks: 1, finishReason: 'stop', sawDone: true }),
    );
  });

  it('usage reporting one token while two chunks came: no TPOT', () => {
    const got = meterEvents([
      { atMs: 70, data: content('H') },
      { atMs: 80, data: content('i') },
      { atMs: 81, data: finish },
      { atMs: 82, data: usage(1) },
    ]);
    assert.equal(got.outputTokens, 1);
    assert.equal(got.tokensEstimated, false);
    assert.deepEqual(got.itlMs, [10]);
    assert.equal(got.tpotMs, null);
    assert.equal(got.outputTokensPerSecond, null);
  });

  it('all tokens in the same millisecond: a zero ITL, and no TPOT rather than a division by zero', () => {
    const got = meterEvents([
      { atMs: 70, data: content('a') },
      { atMs: 70, data: content('b') },
      { atMs: 70, data: finish },
    ]);
    assert.deepEqual(got.itlMs, [0]);
    assert.equal(got.tpotMs, null);
    assert.equal(got.outputTokensPerSecond, null);
    assert.equal(got.success, true);
  });

  it('continuous usage stats: the last reported completion_tokens wins', () => {
    const withUsage = (text: string, n: number): string =>
      JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }], usage: { prompt_tokens: 4, completion_tokens: n } });
    const got = meterEvents([
      { atMs: 10, data: withUsage('a', 1) },
      { atMs: 20, data: withUsage('b', 2) },
      { atMs: 40, data: withUsage('c', 3) },
      { atMs: 41, data: finish },
    ]);
    assert.deepEqual(got.itlMs, [10, 20]);
    assert.equal(got.outputTokens, 3);
    assert.equal(got.tokensEstimated, false);
    assert.equal(got.promptTokens, 4);
    assert.equal(got.tpotMs, 15);
  });

  it('usage without completion_tokens keeps the estimate but records prompt tokens', () => {
    const got = meterEvents([
      { atMs: 10, data: content('a') },
      { atMs: 30, data: content('b') },
      { atMs: 31, data: finish },
      { atMs: 32, data: usage(null, 8) },
    ]);
    assert.equal(got.outputTokens, 2);
    assert.equal(got.tokensEstimated, true);
    assert.equal(got.promptTokens, 8);
    assert.equal(got.tpotMs, 20);
    assert.equal(got.outputTokensPerSecond, 50);
  });

  it('a usage-only stream is empty even when usage claims tokens', () => {
    const got = meterEvents([
      { atMs: 10, data: finish },
      { atMs: 11, data: usage(4) },
      { atMs: 12, data: '[DONE]' },
    ]);
    assert.equal(got.error, 'empty');
    assert.equal(got.ttftMs, null);
    assert.equal(got.tpotMs, null);
  });

  it('[DONE] alone completes a stream that sent no finish_reason', () => {
    const got = meterEvents([
      { atMs: 10, data: content('a') },
      { atMs: 12, data: '[DONE]' },
    ]);
    assert.equal(got.success, true);
    assert.equal(got.finishReason, null);
    assert.equal(got.sawDone, true);
  });

  it('finish_reason alone completes a stream that sent no [DONE]', () => {
    const got = meterEvents([
      { atMs: 10, data: content('a') },
      { atMs: 12, data: finish },
    ]);
    assert.equal(got.success, true);
    assert.equal(got.sawDone, false);
  });

  it('onEvents in several batches equals onEvent per event', () => {
    const events = parseWhole(loadTranscript('reasoning')).events.map((e, i) => ({ data: e.data, atMs: 10 * i + 3 }));
    const single = meterEvents(events);
    const meter = new StreamMeter(openaiChat, 0);
    for (const [from, to] of [
      [0, 1],
      [1, 4],
      [4, 4],
      [4, events.length],
    ] as const) {
      const part = events.slice(from, to);
      meter.onEvents(
        part.map((e) => e.atMs),
        part.map((e) => e.data),
      );
    }
    assert.deepEqual(meter.finish(okOutcome((events[events.length - 1]?.atMs ?? 0) + 1)), single);
  });
});

describe('StreamMeter classification', () => {
  const vllmTimes = [180, 200, 210, 240, 260, 300, 301, 302, 303];
  const vllm = (): string => loadTranscript('vllm-role-keepalive');
  const noEvents = (outcome: TransportOutcome): RequestRecord => new StreamMeter(openaiChat, 0).finish(outcome);
  const status = (code: number): TransportOutcome => ({ status: code, headersMs: 30, endMs: 31, error: null, isEventStream: false });

  const statusCases: Array<[number, RequestRecord['error']]> = [
    [429, 'http_429'],
    [503, 'http_5xx'],
    [500, 'http_5xx'],
    [404, 'http_4xx'],
    [400, 'http_4xx'],
    [401, 'http_4xx'],
    [302, 'http_other'],
    [101, 'http_other'],
  ];
  for (const [code, kind] of statusCases) {
    it(`HTTP ${code} is ${kind}`, () => {
      assert.deepEqual(
        noEvents(status(code)),
        record({ status: code, success: false, error: kind, errorMessage: `HTTP ${code}`, headersMs: 30 }),
      );
    });
  }

  it('an HTTP error status wins over an error payload in its body', () => {
    const events = [{ atMs: 30, data: '{"error":{"message":"rate limited","code":429}}' }];
    const got = meterEvents(events, { outcome: { status: 429, headersMs: 29, endMs: 31, error: null, isEventStream: true } });
    assert.equal(got.error, 'http_429');
    assert.equal(got.errorMessage, 'HTTP 429');
  });

  it('a 200 that is not text/event-stream is malformed', () => {
    const got = meterEvents([], { outcome: okOutcome(40, { isEventStream: false }) });
    assert.equal(got.error, 'malformed');
    assert.equal(got.errorMessage, 'expected a text/event-stream response');
  });

  it('a 200 with no event at all is empty', () => {
    assert.equal(noEvents(okOutcome(40)).error, 'empty');
  });

  const transportCases: Array<[TransportOutcome['error'], RequestRecord['error']]> = [
    ['timeout', 'timeout'],
    ['stall', 'stall'],
    ['reset', 'truncated'],
    ['canceled', 'interrupted'],
    ['request', 'request'],
  ];
  for (const [error, kind] of transportCases) {
    it(`transport '${error}' after some tokens is ${kind}, with the timings measured so far`, () => {
      const raw = vllm();
      // Only role + 3 content chunks arrived before the transport gave up.
      const events = parseWhole(raw).events.slice(0, 4).map((e, i) => ({ data: e.data, atMs: vllmTimes[i] as number }));
      const got = meterEvents(events, { outcome: okOutcome(500, { error, errorMessage: `it was ${error}` }) });
      assert.deepEqual(
        got,
        record({
          success: false,
          error: kind,
          errorMessage: `it was ${error}`,
          ttftMs: 200,
          itlMs: [10, 30],
          e2eMs: 240,
          outputTokens: 3,
          tokenChunks: 3,
          tpotMs: 20,
          outputTokensPerSecond: 50,
        }),
      );
    });
  }

  it('no connection: status 0 and connect', () => {
    assert.deepEqual(
      noEvents({ status: 0, headersMs: null, endMs: 3, error: 'connect', errorMessage: 'dial tcp: connection refused' }),
      record({ status: 0, success: false, error: 'connect', errorMessage: 'dial tcp: connection refused' }),
    );
  });

  it('a transport error without a message gives a null message', () => {
    assert.equal(noEvents({ status: 0, headersMs: null, endMs: 3, error: 'timeout' }).errorMessage, null);
  });

  it('canceled wins over everything, even an HTTP error status', () => {
    assert.equal(noEvents({ status: 503, headersMs: 3, endMs: 4, error: 'canceled' }).error, 'interrupted');
  });

  it('a complete stream cut by the end of the test after its last event is still interrupted', () => {
    const { record: got } = replayTimed(vllm(), vllmTimes, { outcome: okOutcome(304, { error: 'canceled' }) });
    assert.equal(got.error, 'interrupted');
    assert.equal(got.success, false);
    assert.equal(got.ttftMs, 200);
  });

  it('an HTTP status wins over a transport error', () => {
    assert.equal(noEvents({ status: 502, headersMs: 3, endMs: 4, error: 'reset' }).error, 'http_5xx');
  });

  it('stream_error wins over malformed, malformed over empty and truncated', () => {
    const err = '{"error":"boom"}';
    const bad = '{"choices":[{"delta":{},"finish_reason":"st';
    assert.equal(meterEvents([{ atMs: 1, data: bad }, { atMs: 2, data: err }]).error, 'stream_error');
    assert.equal(meterEvents([{ atMs: 1, data: bad }]).error, 'malformed');
  });

  it('the first stream error message is kept', () => {
    const got = meterEvents([
      { atMs: 1, data: '{"error":"first"}' },
      { atMs: 2, data: '{"error":{"message":"second"}}' },
    ]);
    assert.equal(got.errorMessage, 'first');
  });

  it('a short malformed chunk is quoted whole', () => {
    assert.equal(meterEvents([{ atMs: 1, data: 'oops' }]).errorMessage, 'unreadable event: oops');
  });
});
