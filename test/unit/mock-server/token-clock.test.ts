// The token schedule on its own: ttft + i × itl exactly without jitter;
// with jitter, bounded, never reordered, never before t0, and reproducible
// per seed and request index.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenClock } from '../../../tools/mock-server/token-clock.ts';

describe('TokenClock', () => {
  it('schedules token i at ttft + i * itl without jitter', () => {
    const clock = new TokenClock({ ttftMs: 200, itlMs: 20, jitterMs: 0, seed: 1 }, 0);
    const times = Array.from({ length: 64 }, () => clock.next());
    assert.equal(times[0], 200);
    assert.equal(times[63], 200 + 63 * 20);
    times.forEach((t, i) => assert.equal(t, 200 + i * 20));
  });

  it('jitters within [-j, +j], never reorders, and is reproducible per seed and request', () => {
    const config = { ttftMs: 50, itlMs: 5, jitterMs: 4, seed: 9 };
    const run = (requestIndex: number, seed = config.seed): number[] => {
      const clock = new TokenClock({ ...config, seed }, requestIndex);
      return Array.from({ length: 500 }, () => clock.next());
    };
    const times = run(3);
    assert.deepEqual(run(3), times, 'same seed and request index give the same schedule');
    assert.notDeepEqual(run(4), times, 'each request has its own stream');
    assert.notDeepEqual(run(3, 10), times, 'the seed changes the schedule');
    let jittered = 0;
    for (let i = 0; i < times.length; i++) {
      const nominal = 50 + i * 5;
      assert.ok(times[i]! >= nominal - 4 && times[i]! <= nominal + 4, `token ${i} at ${times[i]}`);
      if (i > 0) assert.ok(times[i]! >= times[i - 1]!, `token ${i} before token ${i - 1}`);
      if (times[i] !== nominal) jittered++;
    }
    assert.ok(jittered > 400, 'jitter is applied');
  });

  it('never schedules a token before t0 even with jitter larger than ttft', () => {
    const clock = new TokenClock({ ttftMs: 0, itlMs: 1, jitterMs: 10, seed: 1 }, 0);
    for (let i = 0; i < 100; i++) assert.ok(clock.next() >= 0);
  });
});
