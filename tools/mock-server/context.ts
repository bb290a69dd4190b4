// What the handlers share: the live config, the counters, the fault plan, the
// capacity and scale-to-zero models, the clock and the pending timers. server.ts builds
// one per server; handlers receive it and never reach for module state.

import type { CapacityModel } from './capacity.ts';
import type { MockClock } from './clock.ts';
import type { FaultKind, MockConfig } from './config.ts';
import type { DueTimer } from './due-timer.ts';
import type { ScaleToZero } from './scale-to-zero.ts';
import type { PrefixCache } from './prompt-cache.ts';
import type { MockStats, StatsRecorder } from './stats.ts';

/** One server's state as its handlers see it. */
export interface MockContext {
  /** The live config (a request takes its own snapshot). */
  config(): Readonly<MockConfig>;
  /** Validates and applies a JSON partial; throws MockConfigError. */
  setConfig(partial: unknown): MockConfig;
  /** The counters handlers add to. */
  readonly recorder: StatsRecorder;
  /** The counters as GET /mock/stats reports them. */
  stats(): MockStats;
  /** Zeroes the counters (POST /mock/reset-stats). */
  resetStats(): void;
  /** The fault plan's decision for the next chat request. */
  nextFault(): FaultKind | null;
  /** A fresh index per answered chat request: its id and its token clock's seed. */
  nextRequestIndex(): number;
  /** Decode slots and queue (off unless config.slots > 0). */
  readonly capacity: CapacityModel;
  readonly scaleToZero: ScaleToZero;
  /** The prefix cache (off unless config.prefixCacheBlocks > 0). */
  readonly prefixCache: PrefixCache;
  /** The time and timers every stamp and send uses (REAL_CLOCK unless a test gives a fake). */
  readonly clock: MockClock;
  /** Every DueTimer with a pending send, so close() can stop them. */
  readonly timers: Set<DueTimer>;
}
