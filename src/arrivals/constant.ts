// Even spacing, as k6's constant-arrival-rate: arrival i at i / rate.
import type { Arrival, ArrivalPattern, ScheduleParams } from './pattern.ts';

/** Evenly spaced arrivals at the given rate, the first at 0. */
export const constant: ArrivalPattern = {
  name: 'constant',
  description: 'evenly spaced at LLM_RATE (k6 constant-arrival-rate spacing)',
  schedule({ ratePerSec, durationMs }: ScheduleParams): Arrival[] {
    const out: Arrival[] = [];
    const gapMs = 1000 / ratePerSec;
    // Index times, not accumulated sums, so no rounding drift over long runs.
    for (let i = 0; i * gapMs < durationMs; i++) out.push({ atMs: i * gapMs });
    return out;
  },
};
