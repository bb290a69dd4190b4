// Capacity model of the mock server: a continuous-batching inference server
// in miniature, so a load ramp has a real knee to find. Off unless --slots is
// set. The model (docs/mock-server.md, "Capacity model"):
//   - `slots` requests are served at once (decode slots); later ones wait in
//     FIFO order, and their TTFT includes the wait;
//   - an admitted request's first token comes ttftMs + its prefill after
//     admission (prefill grows with the prompt tokens the prefix cache did
//     not supply, and with its images' pixels: admit.ts);
//   - each following token takes itlMs × (1 + batchSlowdown × (running − 1)):
//     decode steps slow down as the batch grows;
//   - with maxConcurrent > 0, a request arriving when that many are already
//     in the server (running or waiting) is refused with 429, as an
//     overloaded server does (TGI's max_concurrent_requests).
// Slots are freed when the response ends or the client goes away.

import type { ServerResponse } from 'node:http';

/** The knobs of the model (a subset of MockConfig). */
export interface CapacitySettings {
  /** Decode slots; 0 switches the model off. */
  slots: number;
  /** Relative slowdown of a decode step per extra running request. */
  batchSlowdown: number;
  /** Most requests in the server, running or waiting; 0 = no limit. */
  maxConcurrent: number;
  ttftMs: number;
  itlMs: number;
}

/** Live figures, reported by GET /mock/stats. */
export interface CapacityStats {
  running: number;
  waiting: number;
  /** Highest number of waiting requests seen. */
  maxWaiting: number;
  admitted: number;
  rejected: number;
}

/**
 * A request's token schedule under the model, with TokenClock's interface:
 * offsets (ms) from the moment the request arrived (t0). Steps are computed
 * lazily, when the server schedules each chunk, from the batch size then.
 */
export class BatchClock {
  private last: number | null = null;

  constructor(
    private readonly settings: CapacitySettings,
    private readonly model: CapacityModel,
    /** Offset of admission from t0: the time spent waiting for a slot. */
    private readonly admittedAt: number,
    /** The request's prefill (ms), before its first token. */
    private readonly prefillMs: number,
  ) {}

  /** Offset (ms after the request arrived) at which the next token is due. */
  next(): number {
    const s = this.settings;
    if (this.last === null) {
      this.last = this.admittedAt + s.ttftMs + this.prefillMs;
    } else {
      this.last += s.itlMs * (1 + s.batchSlowdown * Math.max(0, this.model.running - 1));
    }
    return this.last;
  }
}

interface Waiter {
  res: ServerResponse;
  admit: () => void;
}

/** Admission control and the batch-size clock; one per server. */
export class CapacityModel {
  running = 0;
  private readonly waiting: Waiter[] = [];
  private readonly counts = { maxWaiting: 0, admitted: 0, rejected: 0 };

  /** `settings()` is read at every decision, so POST /mock/config applies at once; `now` is the server's clock (ms). */
  constructor(
    private readonly settings: () => CapacitySettings,
    private readonly now: () => number,
  ) {}

  /** Whether the model is on. */
  enabled(): boolean {
    return this.settings().slots > 0;
  }

  /**
   * Admits the request now, queues it, or refuses it (returns false: the
   * caller answers 429). `start` runs on admission with the wait (ms from t0).
   */
  submit(res: ServerResponse, t0: number, start: (admittedAtOffset: number) => void): boolean {
    const s = this.settings();
    if (s.maxConcurrent > 0 && this.running + this.waiting.length >= s.maxConcurrent) {
      this.counts.rejected += 1;
      return false;
    }
    let admitted = false;
    const waiter: Waiter = {
      res,
      admit: () => {
        admitted = true;
        this.running += 1;
        this.counts.admitted += 1;
        start(this.now() - t0);
      },
    };
    res.once('close', () => {
      if (admitted) {
        this.running -= 1;
        this.admitNext();
      } else {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
      }
    });
    if (this.running < s.slots) waiter.admit();
    else {
      this.waiting.push(waiter);
      if (this.waiting.length > this.counts.maxWaiting) this.counts.maxWaiting = this.waiting.length;
    }
    return true;
  }

  /** The clock of a request admitted `admittedAt` ms after it arrived. */
  clock(admittedAt: number, prefillMs: number): BatchClock {
    return new BatchClock(this.settings(), this, admittedAt, prefillMs);
  }

  stats(): CapacityStats {
    return { running: this.running, waiting: this.waiting.length, ...this.counts };
  }

  resetStats(): void {
    this.counts.maxWaiting = this.waiting.length;
    this.counts.admitted = 0;
    this.counts.rejected = 0;
  }

  private admitNext(): void {
    const slots = this.settings().slots;
    // Bounded by the queue length; a slot count lowered mid-run admits none.
    while (this.running < slots && this.waiting.length > 0) {
      const next = this.waiting.shift() as Waiter;
      // A client that left is dropped; its own close handler finds it gone.
      if (next.res.destroyed) continue;
      next.admit();
    }
  }
}
