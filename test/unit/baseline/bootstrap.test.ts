// The regression verdict's statistics against known cases: quantiles of
// block resamples are k6's quantiles of the resampled values, the normal
// quantile and Newcombe's interval match published values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantileSorted } from '../../../src/measure/quantile.ts';
import { seededRandom } from '../../../src/random.ts';
import { blockedValues, drawCounts, everyBlockOnce, newcombeInterval, normalQuantile, percentileInterval, weightedQuantiles, weightedRatio, wilsonInterval } from '../../../tools/baseline/bootstrap.ts';

const close = (actual: number, expected: number, tolerance: number, what: string): void => assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

test('with every block once, the quantiles are k6\'s quantiles of all the values', () => {
  const random = seededRandom(3);
  const perBlock = Array.from({ length: 7 }, (_, b) => Array.from({ length: 3 + b * 5 }, () => 100 + random() * 50));
  const all = perBlock.flat().sort((a, b) => a - b);
  const qs = [0, 0.5, 0.9, 0.95, 0.99, 1];
  const out = new Float64Array(qs.length);
  weightedQuantiles(blockedValues(perBlock), everyBlockOnce(perBlock.length), qs, out);
  for (const [i, q] of qs.entries()) assert.equal(out[i], quantileSorted(all, q), `q ${q}`);
});

test('a resample counts each value as often as its block was drawn', () => {
  const perBlock = [[1, 5, 9], [2, 3], [100]];
  const counts = Uint32Array.from([2, 0, 1]);
  const resampled = [1, 5, 9, 1, 5, 9, 100].sort((a, b) => a - b);
  const qs = [0.1, 0.5, 0.95];
  const out = new Float64Array(qs.length);
  weightedQuantiles(blockedValues(perBlock), counts, qs, out);
  for (const [i, q] of qs.entries()) assert.equal(out[i], quantileSorted(resampled, q), `q ${q}`);
  weightedQuantiles(blockedValues(perBlock), Uint32Array.from([0, 0, 0]), [0.5], out);
  assert.ok(Number.isNaN(out[0]));
  assert.equal(weightedRatio(Float64Array.from([10, 20, 30]), Float64Array.from([1, 2, 4]), counts), (2 * 10 + 30) / (2 * 1 + 4));
});

test('block draws are seeded, add up to the number of blocks and cover every block over many draws', () => {
  const a = new Uint32Array(20);
  const b = new Uint32Array(20);
  const ra = seededRandom(11);
  const rb = seededRandom(11);
  const seen = new Uint32Array(20);
  for (let i = 0; i < 200; i++) {
    drawCounts(a, ra);
    drawCounts(b, rb);
    assert.deepEqual(a, b);
    assert.equal(a.reduce((s, c) => s + c, 0), 20);
    for (let k = 0; k < 20; k++) seen[k] = (seen[k] as number) + (a[k] as number);
  }
  assert.ok(seen.every((c) => c > 100 && c < 300), String(seen));
});

test('the percentile interval leaves the same share out on each side and ignores NaN', () => {
  const reps = Float64Array.from({ length: 1001 }, (_, i) => i / 1000);
  reps[5] = NaN;
  const [lo, hi] = percentileInterval(reps, 0.9);
  close(lo, 0.05, 0.002, 'lower');
  close(hi, 0.95, 0.002, 'upper');
});

test('normal quantiles match the tables', () => {
  assert.equal(normalQuantile(0.5), 0);
  close(normalQuantile(0.975), 1.959964, 1e-6, 'z 0.975');
  close(normalQuantile(0.995), 2.5758293, 1e-6, 'z 0.995');
  close(normalQuantile(0.01), -2.3263479, 1e-6, 'z 0.01');
  close(normalQuantile(1 - 1e-6), 4.753424, 1e-5, 'z 1-1e-6');
  assert.throws(() => normalQuantile(1), /strictly between 0 and 1/);
});

test("Wilson's and Newcombe's intervals match Newcombe (1998), Statistics in Medicine 17:873, table II", () => {
  const z = normalQuantile(0.975);
  const [l, u] = wilsonInterval(0, 10, z);
  assert.equal(l, 0);
  close(u, 0.2775, 1e-4, 'Wilson 0/10');
  // Method 10 (score, no continuity correction), p1 − p2 as the paper writes it: newcombeInterval gives p2 − p1.
  const cases: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
  ];
  for (const [x1, n1, x2, n2, lo, hi] of cases) {
    const [dlo, dhi] = newcombeInterval(x2, n2, x1, n1, 0.95);
    close(dlo, lo, 1e-4, `${x1}/${n1} − ${x2}/${n2} lower`);
    close(dhi, hi, 1e-4, `${x1}/${n1} − ${x2}/${n2} upper`);
  }
  // No failures on either side: an interval around 0 that is not a point.
  const [a, b] = newcombeInterval(500, 500, 500, 500, 0.95);
  assert.ok(a < -0.005 && b > 0.005, `${a}, ${b}`);
});
