// Timers that fire at an absolute performance.now() time and never early:
// the mock's sends are measured against their due times, so a send that went
// out a fraction of a millisecond early would make every lateness figure lie.

import { performance } from 'node:perf_hooks';

// Node timers fire on whole-millisecond loop ticks; the last sub-millisecond
// before a due time is waited out with setImmediate so sends are never early.
const SPIN_BELOW_MS = 1;
// setTimeout overflows above 2^31-1 ms; longer waits simply re-arm.
const MAX_TIMER_MS = 2 ** 30;

/** Runs a callback at an absolute performance.now() time: never early, one timer at a time. */
export class DueTimer {
  private timeout: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private due = 0;
  private callback: (() => void) | null = null;

  private readonly check = (): void => {
    this.timeout = null;
    this.immediate = null;
    const callback = this.callback;
    if (callback === null) return;
    if (performance.now() >= this.due) {
      this.callback = null;
      callback();
    } else {
      this.arm();
    }
  };

  /** Runs `callback` once performance.now() >= `due` (ms); replaces any pending callback. */
  at(due: number, callback: () => void): void {
    this.cancel();
    this.due = due;
    this.callback = callback;
    this.arm();
  }

  /** Drops the pending callback, if any. */
  cancel(): void {
    if (this.timeout !== null) clearTimeout(this.timeout);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timeout = null;
    this.immediate = null;
    this.callback = null;
  }

  private arm(): void {
    const wait = this.due - performance.now();
    if (wait < SPIN_BELOW_MS) {
      this.immediate = setImmediate(this.check);
    } else {
      // Rounding up makes the timer land just after the due time rather than
      // just before it, so the setImmediate fallback is rarely needed.
      this.timeout = setTimeout(this.check, Math.min(Math.ceil(wait), MAX_TIMER_MS));
    }
  }
}
