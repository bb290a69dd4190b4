// DueTimer on a fake clock that plays a real event loop's imperfections:
// timers that fire a little early, turns that take time, waits longer than
// a Node timer can hold. The callback never runs before its due time.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DueTimer } from '../../../tools/mock-server/due-timer.ts';
import { FakeClock } from './fake-clock.ts';

describe('DueTimer', () => {
  it('never runs early: a timer that fires before the due time is waited out turn by turn', () => {
    // The clock's timers fire 0.75 ms early and each turn of the loop takes 0.5 ms.
    const clock = new FakeClock({ earlyMs: 0.75, turnMs: 0.5 });
    const timer = new DueTimer(clock);
    let ranAt: number | null = null;
    timer.at(10, () => (ranAt = clock.now()));
    clock.advanceTo(10);
    // The timeout came at 9.25, the turns at 9.75 and 10.25: the first at or after 10 runs it.
    assert.equal(ranAt, null);
    assert.equal(clock.fired, 2);
    clock.advanceTo(11);
    assert.equal(ranAt, 10.25);
    assert.equal(clock.fired, 3);
  });

  it('runs on the next turn when the due time has passed, and at once on an exact clock', () => {
    const clock = new FakeClock({ start: 50 });
    const timer = new DueTimer(clock);
    const ran: number[] = [];
    timer.at(20, () => ran.push(clock.now()));
    assert.equal(ran.length, 0, 'never synchronously inside at()');
    clock.advanceTo(50);
    assert.deepEqual(ran, [50]);
    timer.at(57, () => ran.push(clock.now()));
    clock.runAll();
    assert.deepEqual(ran, [50, 57]);
  });

  it('re-arms a wait longer than a Node timer can hold and still runs on time', () => {
    const clock = new FakeClock();
    const timer = new DueTimer(clock);
    let ranAt: number | null = null;
    const due = 2 ** 31 + 5;
    timer.at(due, () => (ranAt = clock.now()));
    clock.runAll();
    assert.equal(ranAt, due);
    assert.equal(clock.fired, 3, 'two full-length waits, then the rest');
  });

  it('replaces a pending callback with at(), and drops it with cancel()', () => {
    const clock = new FakeClock();
    const timer = new DueTimer(clock);
    const ran: string[] = [];
    timer.at(5, () => ran.push('first'));
    timer.at(7, () => ran.push('second'));
    clock.runAll();
    assert.deepEqual(ran, ['second']);
    timer.at(9, () => ran.push('third'));
    timer.cancel();
    assert.equal(clock.waiting(), 0);
    clock.advanceTo(100);
    assert.deepEqual(ran, ['second']);
  });
});
