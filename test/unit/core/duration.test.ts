// k6-style durations: parsing what users write, printing what k6 accepts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDurationMs } from '../../../src/duration.ts';

describe('parseDurationMs', () => {
  const valid: Array<[string, number]> = [
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['1.5s', 1500],
    ['0.5m', 30_000],
    ['0.25ms', 0.25],
    ['10', 10_000],
    ['2.5', 2500],
    ['0', 0],
    ['0s', 0],
    ['  30s  ', 30_000],
    ['\t45\n', 45_000],
    ['1s1s', 2000],
    ['1s1m', 61_000],
    ['007s', 7000],
  ];
  for (const [text, ms] of valid) {
    it(`${JSON.stringify(text)} → ${ms}`, () => assert.equal(parseDurationMs(text), ms));
  }

  const invalid = ['', '   ', 's', 'ms', '30x', '-1s', '+1s', '1m30', '5 s', '1e3s', '1.s', '.5s', '30S', '1s2', 'abc', '1,5s', '1d', '30sec', 'NaN'];
  for (const text of invalid) {
    it(`${JSON.stringify(text)} → null`, () => assert.equal(parseDurationMs(text), null));
  }

  it('is not confused by a previous failed parse (the sticky regex is reset)', () => {
    assert.equal(parseDurationMs('1m3'), null);
    assert.equal(parseDurationMs('30s'), 30_000);
    assert.equal(parseDurationMs('5x'), null);
    assert.equal(parseDurationMs('1h'), 3_600_000);
  });
});

describe('formatDuration', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [1000, '1s'],
    [2000, '2s'],
    [90_000, '90s'],
    [1500, '1500ms'],
    [1, '1ms'],
    [999.6, '1s'],
    [1000.4, '1s'],
    [0.4, '0s'],
    [-5, '0s'],
    [3_723_004, '3723004ms'],
  ];
  for (const [ms, text] of cases) {
    it(`${ms} → ${text}`, () => assert.equal(formatDuration(ms), text));
  }

  it('round-trips through parseDurationMs to the rounded value', () => {
    for (const ms of [0, 1, 7, 999, 1000, 1001, 15_000, 29_999.7, 3_570_000, 86_400_000]) {
      assert.equal(parseDurationMs(formatDuration(ms)), Math.round(ms), String(ms));
    }
  });
});
