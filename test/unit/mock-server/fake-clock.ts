// A fake MockClock for tests: time moves only when the test moves it, and
// each callback runs at exactly its due time, so a schedule is checked by
// equality instead of by wall-clock bounds. `turnMs` and `earlyMs` play a
// real event loop's imperfections (a turn takes time; a timer fires a
// fraction of a millisecond before its time) for the DueTimer tests.

import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { MockClock } from '../../../tools/mock-server/clock.ts';

interface Pending {
  due: number;
  /** Order of arming: callbacks due at the same time run in this order. */
  seq: number;
  callback: () => void;
}

/** Time that stands still until advanceTo/jumpTo/runAll moves it. */
export class FakeClock implements MockClock {
  private time: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly turnMs: number;
  private readonly earlyMs: number;
  /** Callbacks run so far. */
  fired = 0;

  constructor(options: { start?: number; turnMs?: number; earlyMs?: number } = {}) {
    this.time = options.start ?? 0;
    this.turnMs = options.turnMs ?? 0;
    this.earlyMs = options.earlyMs ?? 0;
  }

  now(): number {
    return this.time;
  }

  after(ms: number, callback: () => void): () => void {
    const seq = this.seq++;
    const due = ms <= 0 ? this.time + this.turnMs : Math.max(this.time, this.time + ms - this.earlyMs);
    this.pending.set(seq, { due, seq, callback });
    return () => this.pending.delete(seq);
  }

  /** How many callbacks wait. */
  waiting(): number {
    return this.pending.size;
  }

  /** The due time of the next callback, or null when none waits. */
  nextDue(): number | null {
    return this.next()?.due ?? null;
  }

  /** Runs every callback due by `t`, each at its own due time (later ones armed on the way included); then reads `t`. */
  advanceTo(t: number): void {
    for (let next = this.next(); next !== undefined && next.due <= t; next = this.next()) this.run(next, next.due);
    this.time = Math.max(this.time, t);
  }

  /** A stalled event loop: reads `t` at once, then runs every callback due by then, late, at `t`. */
  jumpTo(t: number): void {
    this.time = Math.max(this.time, t);
    for (let next = this.next(); next !== undefined && next.due <= this.time; next = this.next()) this.run(next, this.time);
  }

  /** Runs callbacks one due time after another until none waits (at most `limit`, against a callback that re-arms forever). */
  runAll(limit = 100_000): void {
    for (let n = 0, next = this.next(); next !== undefined; n++, next = this.next()) {
      if (n >= limit) throw new Error(`FakeClock.runAll: still busy after ${limit} callbacks`);
      this.run(next, next.due);
    }
  }

  /**
   * For a server on this clock answering over real sockets: fires the next
   * due callback whenever one waits, yielding to the event loop between
   * them, until `done` settles. Bytes and events in flight may make a step
   * look later than it was, so tests driven this way check content and
   * order; exact times are for tests without sockets. As in until(), 10 s
   * of wall time only turn a hang into a failure.
   */
  async runUntil<T>(done: Promise<T>): Promise<T> {
    let settled = false;
    const result = done.finally(() => (settled = true));
    const giveUp = Date.now() + 10_000;
    while (!settled) {
      if (Date.now() > giveUp) throw new Error(`FakeClock.runUntil: not settled after 10 s, at clock ${this.time} ms with ${this.pending.size} callbacks waiting`);
      const due = this.nextDue();
      if (due !== null) this.advanceTo(due);
      // Nothing due: the next step waits on I/O (1 ms polls rather than a spinning loop).
      await (due !== null ? nextTurn() : sleep(1));
    }
    return result;
  }

  private next(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending.values()) if (best === undefined || p.due < best.due || (p.due === best.due && p.seq < best.seq)) best = p;
    return best;
  }

  private run(p: Pending, at: number): void {
    this.pending.delete(p.seq);
    this.time = Math.max(this.time, at);
    this.fired += 1;
    p.callback();
  }
}

/**
 * Waits until `check()` holds, polling every millisecond: a condition (a
 * request reached the server, a socket closed), never a duration. The 10 s
 * cap only turns a hang into a failure naming `what`.
 */
export async function until(check: () => boolean, what: string): Promise<void> {
  const giveUp = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > giveUp) throw new Error(`never happened: ${what}`);
    await sleep(1);
  }
}
