// The stats recorder: the MockStats shape GET /mock/stats answers (capacity
// only when given), and a reset that zeroes every counter but the
// activeStreams gauge.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatsRecorder } from '../../../tools/mock-server/stats.ts';

const recorders: StatsRecorder[] = [];
after(() => recorders.forEach((r) => r.stop()));

function recorder(): StatsRecorder {
  const r = new StatsRecorder();
  recorders.push(r);
  return r;
}

describe('StatsRecorder', () => {
  it('reports counters, faults and figures as MockStats, with capacity only when given', () => {
    const r = recorder();
    r.counts.requests = 3;
    r.counts.tokensSent = 12;
    r.activeStreams = 1;
    r.faults.reset += 1;
    r.scaling.coldStarts += 1;
    r.lateness.record(0.5);
    r.protocol('tgi').reasoningTokens += 2;
    r.arrivals.record(0);
    r.arrivals.record(10);
    const { eventLoopDelay, ...s } = r.snapshot();
    assert.ok(eventLoopDelay.p50 >= 0 && eventLoopDelay.max >= eventLoopDelay.p99);
    assert.deepEqual(Object.keys(s), ['requests', 'streams', 'aborted', 'tokensSent', 'chunksSent', 'keepAliveCloses', 'activeStreams', 'protocols', 'lateness', 'faults', 'coldStarts', 'warmingRejections', 'downWindows', 'arrivals', 'embeddings', 'images', 'promptCache']);
    assert.equal(s.requests, 3);
    assert.equal(s.tokensSent, 12);
    assert.equal(s.activeStreams, 1);
    assert.equal(s.faults.reset, 1);
    assert.equal(s.faults['429'], 0);
    assert.equal(s.coldStarts, 1);
    assert.equal(s.lateness.count, 1);
    assert.deepEqual(s.protocols, { tgi: { requests: 0, streams: 0, reasoningTokens: 2, answerTokens: 0, toolCalls: 0 } });
    assert.deepEqual(s.arrivals, { count: 2, meanGapMs: 10, cv: 0, spanMs: 10 });
    const capacity = { running: 1, waiting: 0, maxWaiting: 2, admitted: 4, rejected: 0 };
    assert.deepEqual(r.snapshot(capacity).capacity, capacity);
    assert.equal('capacity' in r.snapshot(), false);
  });

  it('zeroes everything but the activeStreams gauge on reset', () => {
    const r = recorder();
    r.counts.aborted = 2;
    r.activeStreams = 2;
    r.faults.stall = 4;
    r.scaling.downWindows = 1;
    r.lateness.record(3);
    const held = r.protocol('openai-chat');
    held.requests = 5;
    held.answerTokens = 7;
    r.embeddings.requests = 2;
    r.embeddings.inputs = 32;
    r.embeddings.promptTokens = 900;
    r.reset();
    assert.equal(r.protocol('openai-chat'), held, 'a request in flight keeps counting into the same object');
    const { eventLoopDelay: _, ...s } = r.snapshot();
    assert.equal(s.activeStreams, 2);
    assert.equal(s.aborted, 0);
    assert.equal(s.faults.stall, 0);
    assert.equal(s.downWindows, 0);
    assert.equal(s.lateness.count, 0);
    assert.deepEqual(s.protocols['openai-chat'], { requests: 0, streams: 0, reasoningTokens: 0, answerTokens: 0, toolCalls: 0 });
    assert.deepEqual(s.embeddings, { requests: 0, inputs: 0, promptTokens: 0 });
  });
});
