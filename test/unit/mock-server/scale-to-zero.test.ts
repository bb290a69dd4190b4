// Scale to zero on given times: the model starts cold, warms up once per
// idle gap, holds (or, with coldStart503, refuses) requests until warm, and
// a request in flight keeps it from scaling down.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScaleToZero } from '../../../tools/mock-server/scale-to-zero.ts';

const HOLD = { scaleToZeroMs: 1000, coldStartMs: 500, coldStart503: false };

function model(): { scale: ScaleToZero; coldStarts: () => number } {
  let coldStarts = 0;
  return { scale: new ScaleToZero(() => (coldStarts += 1)), coldStarts: () => coldStarts };
}

describe('ScaleToZero', () => {
  it('is always warm when off', () => {
    const { scale, coldStarts } = model();
    assert.equal(scale.gate({ ...HOLD, scaleToZeroMs: 0 }, 10), 10);
    assert.equal(coldStarts(), 0);
  });

  it('starts cold, holds requests until warm, and scales down after the idle gap', () => {
    const { scale, coldStarts } = model();
    assert.equal(scale.gate(HOLD, 100), 600, 'the first request waits for the warm-up');
    scale.begin(100);
    assert.equal(scale.gate(HOLD, 300), 600, 'a request during the warm-up waits for its end');
    scale.begin(300);
    assert.equal(scale.warmUntil, 600);
    scale.end(700);
    scale.end(800);
    assert.equal(scale.gate(HOLD, 1500), 1500, 'warm within the idle gap');
    assert.equal(coldStarts(), 1);
    assert.equal(scale.gate(HOLD, 1800), 2300, 'idle for 1000 ms since the last request ended: cold again');
    assert.equal(coldStarts(), 2);
  });

  it('never scales down while a request is in flight', () => {
    const { scale, coldStarts } = model();
    scale.gate(HOLD, 0);
    scale.begin(0);
    assert.equal(scale.gate(HOLD, 5000), 5000);
    assert.equal(coldStarts(), 1);
  });

  it('answers null (a 503) while warming with coldStart503', () => {
    const { scale } = model();
    const refuse = { ...HOLD, coldStart503: true };
    // Refused requests count as activity too: each begins and ends.
    for (const at of [0, 499]) {
      assert.equal(scale.gate(refuse, at), null, `at ${at}`);
      scale.begin(at);
      scale.end(at + 1);
    }
    assert.equal(scale.gate(refuse, 500), 500);
  });
});
