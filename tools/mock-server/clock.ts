// The mock's time: one source for the arrival stamps, due times, send timers
// and lateness of its answers, so a test can hand a server a fake clock and
// check the schedule exactly, without waiting for it. Production uses
// REAL_CLOCK (performance.now() and Node's timers). The down window
// (lifecycle.ts) and the answers' `created` dates stay on real time.

import { performance } from 'node:perf_hooks';

/** A monotonic time source (ms) and the timers that go with it. */
export interface MockClock {
  /** The time now (ms, performance.now()'s scale). */
  now(): number;
  /** Calls `callback` once after `ms` ms, or on the event loop's next turn when `ms` is 0; returns a cancel function. */
  after(ms: number, callback: () => void): () => void;
}

/** performance.now(), setTimeout, and setImmediate for a wait of 0. */
export const REAL_CLOCK: MockClock = {
  now: () => performance.now(),
  after(ms, callback) {
    if (ms <= 0) {
      const immediate = setImmediate(callback);
      return () => clearImmediate(immediate);
    }
    const timeout = setTimeout(callback, ms);
    return () => clearTimeout(timeout);
  },
};
