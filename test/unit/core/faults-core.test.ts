// Pure pieces behind the availability and coldstart workloads: retries with
// Retry-After, the outcome timeline, tagged threshold keys, the fault plan
// of the mock, and malformed-chunk detection.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestRecord } from '../../../src/measure/request-record.ts';
import { StreamMeter } from '../../../src/measure/stream-meter.ts';
import { isRetryable, parseRetryAfterMs, retryDelayMs, sendWithRetries } from '../../../src/measure/retry.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { availabilityReport, decodeOutcome, encodeOutcome } from '../../../src/measure/availability.ts';
import { parseThresholdFile, workloadThresholds } from '../../../src/thresholds/threshold-file.ts';
import { coldStartPenalty, median } from '../../../src/workloads/coldstart.ts';
import { arrivalRate } from '../../../src/workloads/availability.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { FaultPlan } from '../../../tools/mock-server/server.ts';
import { parseFaultMix } from '../../../tools/mock-server/config.ts';

function rec(over: Partial<RequestRecord>): RequestRecord {
  return {
    status: 200, success: true, error: null, errorMessage: null, ttftMs: 100, ttfoMs: 100, e2eMs: 200, itlMs: [], tpotMs: null,
    outputTokensPerSecond: null, outputTokens: 2, promptTokens: null, cachedPromptTokens: null, cacheWriteTokens: null, tokensEstimated: false, reasoningTokens: 0, reasoningTokensEstimated: false, answerTokens: 2, tokenChunks: 2,
    finishReason: 'stop', sawDone: true, headersMs: 1, retryAfter: null, readLagMs: null, sendLagMs: null, serverMessage: null, ttftBoundMs: null, e2eBoundMs: null, resent: false, ...over,
  };
}

const turnedAway = (retryAfter: string | null): RequestRecord =>
  rec({ status: 503, success: false, error: 'http_5xx', ttftMs: null, e2eMs: null, retryAfter });

describe('retries', () => {
  it('honours Retry-After seconds, else doubles the backoff, capped', () => {
    const policy = { maxRetries: 5, backoffMs: 100, maxWaitMs: 1500 };
    assert.equal(retryDelayMs(policy, 0, null), 100);
    assert.equal(retryDelayMs(policy, 3, null), 800);
    assert.equal(retryDelayMs(policy, 5, null), 1500);
    assert.equal(retryDelayMs(policy, 0, 1000), 1000);
    assert.equal(retryDelayMs(policy, 0, 60_000), 1500);
    assert.equal(parseRetryAfterMs(' 2 '), 2000);
    assert.equal(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT'), null);
    assert.equal(parseRetryAfterMs(null), null);
  });

  it('retries 429, 502, 503, 504 and refused connections only', () => {
    assert.ok(isRetryable(rec({ success: false, error: 'http_429', status: 429 })));
    assert.ok(isRetryable(turnedAway(null)));
    assert.ok(isRetryable(rec({ success: false, error: 'connect', status: 0 })));
    assert.ok(!isRetryable(rec({ success: false, error: 'http_5xx', status: 500 })));
    assert.ok(!isRetryable(rec({ success: false, error: 'truncated' })));
  });

  it('counts every attempt and reports the time to first success from the first attempt', () => {
    let t = 0;
    const answers = [turnedAway('1'), turnedAway(null), rec({ ttftMs: 120 })];
    const waits: number[] = [];
    const result = sendWithRetries(
      () => {
        t += 5;
        return answers.shift() as RequestRecord;
      },
      { now: () => t, sleep: (ms) => { waits.push(ms); t += ms; } },
      { maxRetries: 5, backoffMs: 200, maxWaitMs: 30_000 },
    );
    assert.equal(result.retries, 2);
    assert.equal(result.attempts.length, 3);
    assert.deepEqual(waits, [1000, 400]);
    // Third attempt started at 5 + 1000 + 5 + 400 = 1410; + its TTFT of 120.
    assert.equal(result.timeToFirstSuccessMs, 1530);
  });

  it('gives up after maxRetries, on a non-retryable error, or before a wait past the deadline', () => {
    const clock = { now: () => 0, sleep: () => {} };
    assert.equal(sendWithRetries(() => turnedAway('1'), clock, { maxRetries: 2, backoffMs: 1, maxWaitMs: 10 }).attempts.length, 3);
    const fatal = rec({ success: false, error: 'http_4xx', status: 401 });
    assert.equal(sendWithRetries(() => fatal, clock, { maxRetries: 2, backoffMs: 1, maxWaitMs: 10 }).attempts.length, 1);
    const late = sendWithRetries(() => turnedAway('5'), clock, { maxRetries: 9, backoffMs: 1, maxWaitMs: 60_000 }, 3000);
    assert.equal(late.attempts.length, 1);
    assert.equal(late.timeToFirstSuccessMs, null);
  });
});

describe('availability timeline', () => {
  it('round-trips outcomes through one number each', () => {
    for (const [t, e] of [[0, null], [1234.56, 'stall'], [3_600_000.1, 'interrupted'], [5, 'http_429']] as const) {
      const d = decodeOutcome(encodeOutcome(t, e));
      assert.deepEqual(d, { startMs: Math.round(t * 10) / 10, error: e });
    }
    assert.equal(decodeOutcome(31), null);
    assert.equal(decodeOutcome(-1), null);
  });

  it('reports per window, the worst window, the longest failure run, and leaves interrupted requests out', () => {
    const r = availabilityReport(
      [
        { startMs: 2500, error: 'connect' },
        { startMs: 100, error: null },
        { startMs: 1100, error: 'http_5xx' },
        { startMs: 1200, error: 'connect' },
        { startMs: 900, error: null },
        { startMs: 2100, error: null },
        { startMs: 2900, error: 'interrupted' },
        { startMs: 4100, error: null },
      ],
      1000,
    );
    assert.equal(r.requests, 7);
    assert.equal(r.successes, 4);
    assert.equal(r.windows.length, 5);
    assert.deepEqual(r.windows[1]?.errors, { http_5xx: 1, connect: 1 });
    assert.equal(r.windows[1]?.availability, 0);
    assert.equal(r.windows[3]?.availability, null, 'an empty window has no availability');
    assert.equal(r.worstWindow?.startMs, 1000);
    assert.deepEqual(r.longestFailureRun, { requests: 2, fromMs: 1100, toMs: 1200 });
    assert.equal(availabilityReport([], 1000).availability, null);
  });
});

describe('cold-start figures', () => {
  it('penalty is the cold TTFT minus the warm median', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.equal(coldStartPenalty(900, [101, 99, 100]), 800);
    assert.equal(coldStartPenalty(null, [100]), null);
    assert.equal(coldStartPenalty(900, []), null);
  });
});

describe('workload settings', () => {
  it('reads the coldstart and availability knobs, with one-line errors', () => {
    const c = parseConfig({ LLM_IDLE: '3s', LLM_PROBES: '4', LLM_WARM_REQUESTS: '2', LLM_RATE: '0.5', LLM_WINDOW: '10s', LLM_INSECURE_TLS: 'true' });
    assert.deepEqual([c.coldstart.idleMs, c.coldstart.probes, c.coldstart.warmRequests, c.load.rate, c.availability.windowMs, c.endpoint.insecureTls], [3000, 4, 2, 0.5, 10_000, true]);
    assert.equal(parseConfig({}).coldstart.idleMs, 15 * 60_000);
    assert.equal(parseConfig({}).endpoint.insecureTls, false);
    assert.throws(() => parseConfig({ LLM_PROBES: '0' }), /^ConfigError: invalid LLM_PROBES; expected a whole number from 1 to 100, got "0"/);
    assert.throws(() => parseConfig({ LLM_RATE: '-1' }), /invalid LLM_RATE; expected/);
    assert.throws(() => parseConfig({ LLM_IDLE: 'soon' }), /invalid LLM_IDLE; expected a duration/);
  });

  it('never echoes the value of an unknown variable (a misspelt key)', () => {
    assert.throws(
      () => parseConfig({ LLM_APIKEY: 'sk-secret' }),
      (err: Error) => /did you mean LLM_API_KEY/.test(err.message) && !err.message.includes('sk-secret'),
    );
  });

  it('spreads fractional arrival rates over 1000 s', () => {
    assert.deepEqual(arrivalRate(5), { rate: 5, timeUnit: '1s' });
    assert.deepEqual(arrivalRate(0.25), { rate: 250, timeUnit: '1000s' });
  });
});

describe('thresholds on tagged samples', () => {
  it('maps llm_ttft{phase:cold} to the workload sub-metric and rejects a workload tag', () => {
    const spec = parseThresholdFile('{"thresholds":{"llm_ttft{phase:cold}":["p(50)<1500"],"llm_cold_start_penalty":["p(50)<1000"]}}', 'f.json');
    assert.deepEqual(Object.keys(workloadThresholds(spec, 'coldstart')), [
      'llm_ttft{workload:coldstart,phase:cold}',
      'llm_cold_start_penalty{workload:coldstart}',
    ]);
    assert.throws(() => parseThresholdFile('{"thresholds":{"llm_ttft{workload:x}":["p(50)<1"]}}', 'f.json'), /tags other than workload/);
    assert.throws(() => parseThresholdFile('{"thresholds":{"llm_ttft{phase}":["p(50)<1"]}}', 'f.json'), /optionally with tags/);
  });
});

describe('mock fault plan', () => {
  it('faults exactly rate × requests, every kind once per cycle, reproducibly', () => {
    const mix = parseFaultMix('429,500,502,503,reset,stall,malformed,stream_error,empty');
    const run = (seed: number) => {
      const plan = new FaultPlan(seed, 0.05, mix);
      return Array.from({ length: 1800 }, () => plan.next());
    };
    const a = run(3);
    assert.deepEqual(a, run(3));
    assert.notDeepEqual(a, run(4));
    const faulted = a.filter((k) => k !== null);
    assert.equal(faulted.length, 90);
    for (const kind of mix) assert.equal(faulted.filter((k) => k === kind).length, 10, kind);
    assert.deepEqual([...new Set(faulted.slice(0, 9))].sort(), [...mix].sort());
    assert.equal(new FaultPlan(1, 0, mix).next(), null);
  });
});

describe('malformed chunks', () => {
  it('a chunk cut short is malformed, not a token', () => {
    const meter = new StreamMeter(openaiChat, 0);
    const ok = '{"choices":[{"index":0,"delta":{"content":" a"},"finish_reason":null}]}';
    meter.onEvents([10, 20, 30, 40], [ok, '{"choices":[{"index":0,"delta":{"content":"bro', ok, '[DONE]']);
    const r = meter.finish({ status: 200, headersMs: 1, endMs: 41, error: null, isEventStream: true });
    assert.equal(r.error, 'malformed');
    assert.equal(r.tokenChunks, 2);
  });
});
