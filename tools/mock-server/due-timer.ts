// Timers that fire at an absolute time of the server's clock and never early:
// the mock's sends are measured against their due times, so a send that went
// out a fraction of a millisecond early would make every lateness figure lie.

import { REAL_CLOCK, type MockClock } from './clock.ts';

// Node timers fire on whole-millisecond loop ticks; the last sub-millisecond
// before a due time is waited out turn by turn (setImmediate) so sends are never early.
const SPIN_BELOW_MS = 1;
// setTimeout overflows above 2^31-1 ms; longer waits simply re-arm.
const MAX_TIMER_MS = 2 ** 30;

/** Runs a callback at an absolute time of `clock`: never early, one timer at a time. */
export class DueTimer {
  private disarm: (() => void) | null = null;
  private due = 0;
  private callback: (() => void) | null = null;

  constructor(private readonly clock: MockClock = REAL_CLOCK) {}

  private readonly check = (): void => {
    this.disarm = null;
    const callback = this.callback;
    if (callback === null) return;
    if (this.clock.now() >= this.due) {
      this.callback = null;
      callback();
    } else {
      this.arm();
    }
  };

  /** Runs `callback` once the clock reads `due` (ms) or later; replaces any pending callback. */
  at(due: number, callback: () => void): void {
    this.cancel();
    this.due = due;
    this.callback = callback;
    this.arm();
  }

  /** Drops the pending callback, if any. */
  cancel(): void {
    this.disarm?.();
    this.disarm = null;
    this.callback = null;
  }

  private arm(): void {
    const wait = this.due - this.clock.now();
    // Rounding up makes the timer land just after the due time rather than
    // just before it, so the next-turn fallback is rarely needed.
    this.disarm = this.clock.after(wait < SPIN_BELOW_MS ? 0 : Math.min(Math.ceil(wait), MAX_TIMER_MS), this.check);
  }
}
