// What the meter's store keeps of each request (observationsOf): the TTFT of
// every request that had one, and, for workloads with a timeline, every
// judged outcome with its start time; nothing for a request cut by the end of
// the test.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { causeKeyPrefix, observationsOf, outcomeKey, ttftSampleKey } from '../../../src/k6/meter-store.ts';
import { recordFromMeter } from '../../../src/measure/meter-record.ts';
import { meterRecord } from '../support/meter-record.ts';
import { failedRecord } from '../../../src/measure/request-record.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { decodeOutcome } from '../../../src/measure/availability.ts';

const token = '{"choices":[{"index":0,"delta":{"content":"x"}}]}';
const finish = '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';

function streamed(times: number[], data: string[], errorKind = '') {
  return recordFromMeter(
    openaiChat,
    meterRecord({
      status: 200, retryAfter: '', headersMs: 1, endMs: 500, isSSE: true, times, data, fast: [], comments: 0, unterminated: false,
      body: '', bodyBytes: 0, errorKind, errorMessage: errorKind, kernelStamps: true, readLagMaxMs: 0, sendLagMs: 0,
    }),
    true,
  );
}

describe('observationsOf', () => {
  it('keeps the TTFT of a good request, and its outcome when the workload has a timeline', () => {
    const r = streamed([120.5, 140, 141], [token, token, finish]);
    assert.deepEqual(observationsOf(r, 'chat', false, 1000), [[ttftSampleKey('chat'), 120.5]]);
    const withTimeline = observationsOf(r, 'availability', true, 1234.5);
    assert.equal(withTimeline.length, 2);
    assert.deepEqual(decodeOutcome(withTimeline[0]![1]), { startMs: 1234.5, error: null });
    assert.equal(withTimeline[0]![0], outcomeKey('availability'));
  });

  it('keeps a failed request as a failed outcome with its kind and its one-line cause as a key, and no TTFT when it had none', () => {
    const failed = failedRecord('meter', 'meter gone');
    const obs = observationsOf(failed, 'availability', true, 50);
    assert.equal(obs.length, 2);
    assert.deepEqual(decodeOutcome(obs[0]![1]), { startMs: 50, error: 'meter' });
    assert.deepEqual(obs[1], [`${causeKeyPrefix('availability')}meter: meter gone`, 1]);
  });

  it('keeps nothing of a request the end of the test cut off', () => {
    const cut = streamed([100], [token], 'canceled');
    assert.equal(cut.error, 'interrupted');
    assert.deepEqual(observationsOf(cut, 'availability', true, 10), []);
  });
});
