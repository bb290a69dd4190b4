// recordFromMeter: the meter's answer (docs/meter-protocol.md) becomes the same
// RequestRecord the measurement core computes from (time, data) pairs, for
// streams with plain-token fast flags, non-streamed bodies, upstream failures
// and answers that are not records.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordFromMeter } from '../../../src/measure/meter-record.ts';
import { parseMeterRecord, type MeterRecord } from '../../../src/meter/record.ts';
import { meterRecord } from '../support/meter-record.ts';
import { failedRecord } from '../../../src/measure/request-record.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';

const role = '{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}';
const finish = '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';
const usage = '{"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":3}}';

function answer(fields: Partial<MeterRecord>): MeterRecord {
  return meterRecord({ headersMs: 5, endMs: 300, readLagMaxMs: 0.25, sendLagMs: 0.1, ...fields });
}

describe('recordFromMeter', () => {
  it('measures a stream whose plain tokens came as fast flags without data', () => {
    const res = answer({
      times: [100, 200, 250.5, 301, 302, 303, 304],
      data: [role, '', '', '', finish, usage, '[DONE]'],
      fast: [0, 1, 1, 1, 0, 0, 0],
    });
    const r = recordFromMeter(openaiChat, res, true);
    assert.equal(r.success, true);
    assert.equal(r.ttftMs, 200);
    assert.deepEqual(r.itlMs, [50.5, 50.5]);
    assert.equal(r.e2eMs, 301);
    assert.equal(r.outputTokens, 3);
    assert.equal(r.tokensEstimated, false);
    assert.equal(r.promptTokens, 11);
    assert.equal(r.headersMs, 5);
    assert.equal(r.readLagMs, 0.25);
    assert.equal(r.sendLagMs, 0.1);
  });

  it('marks a request the meter resent on a new connection, stream or body, and no other', () => {
    const stream = answer({ times: [100, 200], data: ['', finish], fast: [1, 0], resent: 1, resentCause: 'EOF' });
    const streamed = recordFromMeter(openaiChat, stream, true);
    assert.equal(streamed.success, true);
    assert.equal(streamed.resent, true);
    assert.equal(streamed.ttftMs, 100, 'times are the counted attempt\'s as the meter gave them');
    const body = answer({ isSSE: false, body: '{"choices":[{"index":0,"message":{"content":"hi"},"finish_reason":"stop"}]}', resent: 1 });
    assert.equal(recordFromMeter(openaiChat, body, false).resent, true);
    assert.equal(recordFromMeter(openaiChat, answer({ times: [100], data: [''], fast: [1] }), true).resent, false);
  });

  it('bounds TTFT and E2E by the stamp bound of the event that set each, 0 when exact, null without kernel stamps', () => {
    // Three tokens 20 ms apart; the first two came up in one late read (stamped 60) with the third: bounded by 40 ms.
    const late = answer({ times: [60, 60, 60, 61], data: ['', '', '', finish], fast: [1, 1, 1, 0], stampBounds: [0, 40, 1, 40] });
    const r = recordFromMeter(openaiChat, late, true);
    assert.equal(r.ttftMs, 60);
    assert.equal(r.ttftBoundMs, 40);
    assert.equal(r.e2eMs, 60);
    assert.equal(r.e2eBoundMs, 40, 'the last token shares its read with the others: the read\'s bound');
    const exact = recordFromMeter(openaiChat, answer({ times: [20, 40, 61], data: ['', '', finish], fast: [1, 1, 0] }), true);
    assert.deepEqual([exact.ttftBoundMs, exact.e2eBoundMs], [0, 0]);
    const lastLate = recordFromMeter(openaiChat, answer({ times: [20, 60, 60], data: ['', '', finish], fast: [1, 1, 0], stampBounds: [1, 38.5] }), true);
    assert.deepEqual([lastLate.ttftBoundMs, lastLate.e2eBoundMs], [0, 38.5]);
    const noStamps = recordFromMeter(openaiChat, answer({ times: [20], data: [''], fast: [1], kernelStamps: false }), true);
    assert.deepEqual([noStamps.ttftBoundMs, noStamps.e2eBoundMs], [null, null]);
    const failed = recordFromMeter(openaiChat, answer({ status: 0, errorKind: 'connect' }), true);
    assert.deepEqual([failed.ttftBoundMs, failed.e2eBoundMs], [null, null], 'nothing measured, nothing bounded');
  });

  it('reads every event itself when the meter sent no fast flags', () => {
    const token = (t: string) => `{"choices":[{"index":0,"delta":{"content":"${t}"}}]}`;
    const res = answer({ times: [10, 20, 35, 36, 37], data: [token('a'), token('b'), token('c'), finish, '[DONE]'], fast: [] });
    const r = recordFromMeter(openaiChat, res, true);
    assert.equal(r.ttftMs, 10);
    assert.deepEqual(r.itlMs, [10, 15]);
    assert.equal(r.outputTokens, 3);
    assert.equal(r.tokensEstimated, true);
  });

  it('classifies the upstream failures the meter reports', () => {
    const cases: [Partial<MeterRecord>, string][] = [
      [{ status: 0, errorKind: 'connect', errorMessage: 'connection refused', isSSE: false }, 'connect'],
      [{ status: 200, errorKind: 'stall', errorMessage: 'no data', times: [100], data: [''], fast: [1] }, 'stall'],
      [{ status: 200, errorKind: 'timeout' }, 'timeout'],
      [{ status: 200, errorKind: 'reset', times: [100], data: [''], fast: [1] }, 'truncated'],
      [{ status: 200, errorKind: 'canceled' }, 'interrupted'],
      [{ status: 429, isSSE: false, retryAfter: '2' }, 'http_429'],
      [{ status: 200, isSSE: false }, 'malformed'],
    ];
    for (const [fields, kind] of cases) {
      const r = recordFromMeter(openaiChat, answer(fields), true);
      assert.equal(r.success, false, kind);
      assert.equal(r.error, kind);
    }
    assert.equal(recordFromMeter(openaiChat, answer({ status: 503, isSSE: false, retryAfter: '7' }), true).retryAfter, '7');
    assert.equal(recordFromMeter(openaiChat, answer({ status: 0, errorKind: 'connect' }), true).headersMs, null);
  });

  it('measures a non-streamed completion from the body the meter kept', () => {
    const body = JSON.stringify({ choices: [{ message: { content: 'hello there' }, finish_reason: 'stop' }], usage: { prompt_tokens: 4, completion_tokens: 2 } });
    const r = recordFromMeter(openaiChat, answer({ isSSE: false, endMs: 412.5, body }), false);
    assert.equal(r.success, true);
    assert.equal(r.e2eMs, 412.5);
    assert.equal(r.ttftMs, null);
    assert.equal(r.outputTokens, 2);
    assert.equal(r.readLagMs, 0.25);
  });

  it('turns an unknown error kind into a meter error instead of guessing', () => {
    const r = recordFromMeter(openaiChat, answer({ errorKind: 'exploded' }), true);
    assert.equal(r.error, 'meter');
    assert.match(r.errorMessage ?? '', /unknown error kind "exploded"/);
  });
});

describe('failedRecord and parseMeterRecord', () => {
  it('a meter that could not take the request is a failed request of kind meter', () => {
    const r = failedRecord('meter', 'the stream meter at http://127.0.0.1:1 is unreachable');
    assert.equal(r.success, false);
    assert.equal(r.error, 'meter');
    assert.equal(r.status, 0);
  });

  it('accepts records and rejects anything else with its reason', () => {
    const read = parseMeterRecord(JSON.stringify(answer({ times: [1], data: [''], fast: [1] })));
    assert.equal(typeof read === 'string' ? read : read.times[0], 1);
    for (const text of ['', 'not json', '[]', 'null', '{"status":200}', '{"status":"200","times":[],"data":[],"fast":[]}']) {
      assert.equal(typeof parseMeterRecord(text), 'string', text);
    }
  });
});
