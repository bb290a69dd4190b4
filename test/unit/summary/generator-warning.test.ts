import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatorWarning } from '../../../src/summary/build.ts';
import type { Percentiles } from '../../../src/k6-summary-data.ts';

const p = (p99: number): Percentiles => ({ count: 100, avg: p99 / 2, min: 0, p50: p99 / 3, p90: p99 / 2, p95: p99 * 0.8, p99, max: p99 * 1.5 });

test('with kernel stamps, a large read lag warns that sends were late, points at the flagged requests and the ITL gaps', () => {
  const w = generatorWarning({ lagMs: p(1), readLagMs: p(40), sendLagMs: p(1), kernelStamps: true, warnAboveMs: 5, warning: null });
  assert.match(w ?? '', /read responses up to 40\.0 ms after they arrived .* TTFT or E2E that moved is flagged with its bound \(the timing line\), and ITL gaps around such events may be off by up to the read lag; the offered load was also lower/);
});

test('with read-time stamps, a late timer warns that latencies may read high', () => {
  const w = generatorWarning({ lagMs: p(12), readLagMs: null, sendLagMs: null, kernelStamps: false, warnAboveMs: 5, warning: null });
  assert.match(w ?? '', /late by up to 12\.0 ms .* latencies may read high/);
});

test('no warning when the generator kept up', () => {
  assert.equal(generatorWarning({ lagMs: p(2), readLagMs: p(3), sendLagMs: p(1), kernelStamps: true, warnAboveMs: 5, warning: null }), null);
  assert.equal(generatorWarning({ lagMs: p(2), readLagMs: null, sendLagMs: null, kernelStamps: false, warnAboveMs: 5, warning: null }), null);
  // A late timer with kernel stamps does not distort latencies: no warning from it alone.
  assert.equal(generatorWarning({ lagMs: p(20), readLagMs: p(3), sendLagMs: p(1), kernelStamps: true, warnAboveMs: 5, warning: null }), null);
});
