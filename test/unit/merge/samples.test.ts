// Samples: the merged column's percentiles equal, to the sample, the
// percentiles of the sorted union of every instance's values, computed here
// by a separate plain implementation (a sorted JS array and k6's closest-rank
// interpolation written out again), over growth, ties and unsorted input.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Samples } from '../../../src/merge/samples.ts';
import { seeded } from '../../../tools/merge/synthetic.ts';

/** k6's TrendSink.P, written independently: values[floor(i)] + (values[ceil(i)] - values[floor(i)]) * frac(i), i = p·(n−1). */
function reference(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 1) return sorted[0] as number;
  const i = p * (sorted.length - 1);
  const j = sorted[Math.floor(i)] as number;
  const k = sorted[Math.ceil(i)] as number;
  return j + (k - j) * (i - Math.floor(i));
}

function instanceValues(random: () => number, n: number, scale: number): number[] {
  // Microsecond-rounded like the meter's times, with many ties at that resolution.
  return Array.from({ length: n }, () => Math.round(random() * scale * 1000) / 1000);
}

describe('Samples: exact percentiles of the union of instances', () => {
  for (const [instances, each] of [[2, 1000], [4, 2501], [3, 1], [7, 333]] as const) {
    it(`${instances} instances of ${each} samples: p50, p90, p95, p99, p99.9, min, max and mean of the union`, () => {
      const random = seeded(instances * 1000 + each);
      const parts = Array.from({ length: instances }, (_, i) => instanceValues(random, each, 100 + 50 * i));
      const merged = new Samples(4); // small: the column grows many times
      for (const part of parts) for (const v of part) merged.push(v);
      const union = parts.flat();
      const values = merged.trendValues([99.9]);
      assert.ok(values);
      // As k6 does: p(N) is the quantile N / 100 (99.9 / 100 is not the literal 0.999).
      for (const [key, p] of [['med', 50], ['p(90)', 90], ['p(95)', 95], ['p(99)', 99], ['p(99.9)', 99.9]] as const) {
        assert.equal(values[key], reference(union, p / 100), key);
      }
      assert.equal(values.min, Math.min(...union));
      assert.equal(values.max, Math.max(...union));
      assert.equal(values.count, union.length);
      assert.ok(Math.abs((values.avg as number) - union.reduce((a, b) => a + b, 0) / union.length) < 1e-9);
    });
  }

  it('the union percentile is not any instance percentile nor their mean (why the merge keeps samples)', () => {
    const fast = Array.from({ length: 99 }, (_, i) => 100 + i * 0.01);
    const slow = Array.from({ length: 99 }, (_, i) => 1000 + i);
    const merged = new Samples();
    for (const v of [...fast, ...slow]) merged.push(v);
    const p90 = merged.quantile(0.9);
    assert.equal(p90, reference([...fast, ...slow], 0.9));
    assert.notEqual(p90, (reference(fast, 0.9) + reference(slow, 0.9)) / 2);
  });

  it('pushes after a sort are sorted in again', () => {
    const s = new Samples(2);
    for (const v of [5, 3, 9]) s.push(v);
    assert.equal(s.quantile(1), 9);
    s.push(1);
    s.push(4);
    assert.deepEqual([...s.ascending()], [1, 3, 4, 5, 9]);
    assert.equal(s.quantile(0.5), 4);
  });

  it('has no values without samples, and holds 8 bytes a sample in its buffer', () => {
    const s = new Samples(1024);
    assert.equal(s.trendValues(), null);
    assert.ok(Number.isNaN(s.quantile(0.5)));
    for (let i = 0; i < 1024; i++) s.push(i);
    assert.equal(s.bytes, 1024 * 8);
    s.push(1);
    assert.equal(s.bytes, 2048 * 8);
  });
});
