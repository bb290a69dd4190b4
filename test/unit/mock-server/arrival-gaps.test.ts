// Arrival-gap figures: mean gap, coefficient of variation (sample standard
// deviation over mean) and span, with zeros until there are gaps to measure.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalGaps } from '../../../tools/mock-server/arrival-gaps.ts';

function gapsOf(times: number[]): ArrivalGaps {
  const gaps = new ArrivalGaps();
  for (const t of times) gaps.record(t);
  return gaps;
}

describe('ArrivalGaps', () => {
  it('is zero with fewer than two arrivals', () => {
    assert.deepEqual(gapsOf([]).summary(), { count: 0, meanGapMs: 0, cv: 0, spanMs: 0 });
    assert.deepEqual(gapsOf([42]).summary(), { count: 1, meanGapMs: 0, cv: 0, spanMs: 0 });
  });

  it('gives CV 0 for even spacing', () => {
    assert.deepEqual(gapsOf([100, 110, 120, 130, 140]).summary(), { count: 5, meanGapMs: 10, cv: 0, spanMs: 40 });
  });

  it('matches the sample figures of uneven gaps', () => {
    // Gaps 10, 30, 20: mean 20, sample sd 10.
    const s = gapsOf([0, 10, 40, 60]).summary();
    assert.equal(s.count, 4);
    assert.equal(s.meanGapMs, 20);
    assert.ok(Math.abs(s.cv - 0.5) < 1e-12, `cv ${s.cv}`);
    assert.equal(s.spanMs, 60);
  });

  it('starts over after reset', () => {
    const gaps = gapsOf([0, 50, 300]);
    gaps.reset();
    for (const t of [1000, 1005, 1010]) gaps.record(t);
    assert.deepEqual(gaps.summary(), { count: 3, meanGapMs: 5, cv: 0, spanMs: 10 });
  });
});
