import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childCpuSeconds } from '../../../tools/bench/text-cost.ts';

test("childCpuSeconds reads the children's user and system time of bash's times", () => {
  assert.equal(childCpuSeconds('0m0.010s 0m0.002s\n0m2.450s 0m0.210s\n'), 2.66);
  assert.equal(childCpuSeconds('0m0.010s 0m0.002s\n1m2.500s 0m0.500s'), 63);
});

test('childCpuSeconds says it has no figure when bash printed something else', () => {
  assert.equal(childCpuSeconds(''), null);
  assert.equal(childCpuSeconds('killed'), null);
});
