// The send-lateness histogram: percentiles to the 0.1 ms bucket's upper edge,
// capped at the exact max, early sends counted as 0, an overflow bucket past
// 1 s, and a reset that forgets everything.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LatenessHistogram } from '../../../tools/mock-server/lateness-histogram.ts';

describe('LatenessHistogram', () => {
  it('is all zeros before the first send', () => {
    assert.deepEqual(new LatenessHistogram().summary(), { count: 0, mean: 0, p50: 0, p99: 0, max: 0 });
  });

  it('reports bucket upper edges, capped at the exact max', () => {
    const h = new LatenessHistogram();
    for (let i = 0; i < 99; i++) h.record(0.25);
    h.record(3.21);
    assert.deepEqual(h.summary(), { count: 100, mean: 0.28, p50: 0.3, p99: 0.3, max: 3.21 });
    const one = new LatenessHistogram();
    one.record(0.25);
    assert.equal(one.summary().p50, 0.25, 'never above the max');
  });

  it('counts early sends as on time and late ones past 1 s in the overflow', () => {
    const h = new LatenessHistogram();
    h.record(-2);
    h.record(1500);
    assert.deepEqual(h.summary(), { count: 2, mean: 750, p50: 0.1, p99: 1500, max: 1500 });
  });

  it('forgets everything on reset', () => {
    const h = new LatenessHistogram();
    h.record(5);
    h.reset();
    h.record(1);
    assert.deepEqual(h.summary(), { count: 1, mean: 1, p50: 1, p99: 1, max: 1 });
  });
});
