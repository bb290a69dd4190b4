// Scale to zero: after --scale-to-zero-ms without a request in flight the
// model is "scaled down", and the next request pays a --cold-start-ms warm-up
// (held, or answered 503 with --cold-start-503). The model starts scaled to
// zero. Pure state on caller-given times (the server clock's ms).

import type { MockConfig } from './config.ts';

/** Idle tracking and the warm-up window; one per server. */
export class ScaleToZero {
  private inFlight = 0;
  private lastActivity = -Infinity;
  private warm = -Infinity;

  /** `onColdStart` runs each time a warm-up starts (the coldStarts counter). */
  constructor(private readonly onColdStart: () => void) {}

  /** When the current (or last) warm-up ends (ms); -Infinity before the first. */
  get warmUntil(): number {
    return this.warm;
  }

  /**
   * For a request arriving at `now`: the time the model can answer it, or
   * null when it should be answered 503 (cold-start-503 mode). An idle model
   * starts a warm-up of coldStartMs here.
   */
  gate(cfg: Pick<MockConfig, 'scaleToZeroMs' | 'coldStartMs' | 'coldStart503'>, now: number): number | null {
    if (cfg.scaleToZeroMs <= 0) return now;
    if (now >= this.warm && this.inFlight === 0 && now - this.lastActivity >= cfg.scaleToZeroMs) {
      this.warm = now + cfg.coldStartMs;
      this.onColdStart();
    }
    if (now >= this.warm) return now;
    return cfg.coldStart503 ? null : this.warm;
  }

  /** A chat request came in at `now`: the model is busy until its `end()`. */
  begin(now: number): void {
    this.inFlight += 1;
    this.lastActivity = now;
  }

  /** A chat request's connection closed at `now`; idle time counts from the last one. */
  end(now: number): void {
    this.inFlight -= 1;
    this.lastActivity = now;
  }
}
