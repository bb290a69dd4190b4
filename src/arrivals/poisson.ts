// The Poisson process: independent exponential gaps, mean 1/rate, CV 1.
import { exponential, seededRandom } from '../random.ts';
import type { Arrival, ArrivalPattern, ScheduleParams } from './pattern.ts';

/** Poisson arrivals at LLM_RATE (LLM_BURSTINESS is the gamma pattern's knob, not this one's). */
export const poisson: ArrivalPattern = {
  name: 'poisson',
  description: 'Poisson process at LLM_RATE: exponential gaps, CV 1',
  schedule({ ratePerSec, durationMs, seed }: ScheduleParams): Arrival[] {
    const random = seededRandom(seed);
    const meanGapMs = 1000 / ratePerSec;
    const out: Arrival[] = [];
    let t = exponential(random, meanGapMs);
    while (t < durationMs) {
      out.push({ atMs: t });
      t += exponential(random, meanGapMs);
    }
    return out;
  },
};
