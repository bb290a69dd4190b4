// A run's requests cut into time windows for the regression gate: each
// request in the window it started in, interrupted ones left out, failures
// counted, output tokens spread over the windows the answer spans, samples
// thinned beyond the caps by a seeded share of whole requests.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestRecord } from '../../../src/measure/request-record.ts';
import { BlockBuilder, blockCount, MAX_ITL_SAMPLES, MAX_REQUEST_SAMPLES, poolSamples, thinningFor } from '../../../tools/baseline/blocks.ts';

function record(over: Partial<RequestRecord>): RequestRecord {
  return {
    status: 200, success: true, error: null, errorMessage: null, ttftMs: 100, ttfoMs: 100, e2eMs: 400, itlMs: [20, 20, 20], tpotMs: 20, outputTokensPerSecond: 50,
    outputTokens: 4, promptTokens: 10, cachedPromptTokens: null, cacheWriteTokens: null, tokensEstimated: false, reasoningTokens: 0, reasoningTokensEstimated: false, answerTokens: 4, tokenChunks: 4, finishReason: 'stop',
    sawDone: true, headersMs: 5, readLagMs: null, sendLagMs: null, retryAfter: null, serverMessage: null, ttftBoundMs: null, e2eBoundMs: null, resent: false,
    ...over,
  };
}

test('a run is cut into one window a second, at least 20 and at most 200', () => {
  assert.equal(blockCount(5_000), 20);
  assert.equal(blockCount(60_000), 60);
  assert.equal(blockCount(3_600_000), 200);
});

test('requests go to the window they started in; interrupted ones are not judged; failures count', () => {
  const b = new BlockBuilder(20_000, { kept: 1, keptItl: 1 }, 0, 'chat');
  b.add({ startedMs: 0, record: record({ ttftMs: 101 }) });
  b.add({ startedMs: 1_500, record: record({ ttftMs: 102, ttfoMs: 150 }) });
  b.add({ startedMs: 1_999, record: record({ success: false, error: 'http_5xx', ttftMs: null, ttfoMs: null, e2eMs: 3, itlMs: [], tpotMs: null, outputTokens: 0 }) });
  b.add({ startedMs: 19_990, record: record({ error: 'interrupted', success: false }) });
  b.add({ startedMs: 25_000, record: record({ ttftMs: 103 }) });
  assert.equal(b.requests, 4);
  assert.deepEqual(b.blocks[0]?.ttftMs, [101]);
  assert.deepEqual(b.blocks[1]?.ttftMs, [102]);
  assert.deepEqual(b.blocks[1]?.ttfoMs, [150]);
  assert.deepEqual(b.blocks[1]?.e2eMs, [400, 3]);
  assert.equal(b.blocks[1]?.succeeded, 1);
  assert.equal(b.blocks[1]?.failed, 1);
  // Started after the run's end (the graceful stop): the last window.
  assert.deepEqual(b.blocks[19]?.ttftMs, [103]);
  assert.equal(b.blocks.reduce((n, x) => n + x.succeeded + x.failed, 0), 4);
  assert.deepEqual(b.blocks[0]?.itlMs, [20, 20, 20]);
  assert.ok(b.blocks.every((x) => x.ms === 1000));
});

test("a request's output tokens are spread over the windows its answer spans", () => {
  const b = new BlockBuilder(20_000, { kept: 1, keptItl: 1 }, 0, 'chat');
  // 10 tokens from 500 ms to 2500 ms: a quarter in window 0, half in window 1, a quarter in window 2.
  b.add({ startedMs: 500, record: record({ e2eMs: 2000, outputTokens: 10 }) });
  b.add({ startedMs: 5_100, record: record({ e2eMs: 300, outputTokens: 6 }) });
  assert.deepEqual(b.blocks.slice(0, 3).map((x) => x.outputTokens), [2.5, 5, 2.5]);
  assert.equal(b.blocks[5]?.outputTokens, 6);
  assert.equal(b.blocks.reduce((n, x) => n + x.outputTokens, 0), 16);
});

test('beyond the caps a seeded share of whole requests is kept; counts and tokens keep every request', () => {
  const requests = 3 * MAX_REQUEST_SAMPLES;
  const thinning = thinningFor(requests, requests * 3);
  assert.equal(thinning.kept, 1 / 3);
  assert.equal(thinning.keptItl, MAX_ITL_SAMPLES / (requests * 3));
  const build = () => {
    const b = new BlockBuilder(60_000, thinning, 0, 'chat');
    for (let i = 0; i < requests; i++) b.add({ startedMs: (i * 60_000) / requests, record: record({ ttftMs: i }) });
    return poolSamples([b], thinning);
  };
  const s = build();
  const kept = s.blocks.reduce((n, x) => n + x.ttftMs.length, 0);
  const keptItl = s.blocks.reduce((n, x) => n + x.itlMs.length, 0);
  assert.ok(Math.abs(kept - MAX_REQUEST_SAMPLES) < 300, `kept ${kept}`);
  assert.ok(Math.abs(keptItl - MAX_ITL_SAMPLES) < 500, `kept ${keptItl} ITLs`);
  assert.equal(keptItl % 3, 0, 'whole requests');
  assert.equal(s.blocks.reduce((n, x) => n + x.succeeded, 0), requests);
  assert.equal(s.requests, requests);
  assert.deepEqual(build(), s, 'the same share every time');
  assert.deepEqual(thinningFor(100, 1000), { kept: 1, keptItl: 1 });
});
