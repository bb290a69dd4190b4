// Renewal processes with gamma inter-arrival times: mean 1/rate, shape b.
// b = 1 is the Poisson process (exponential gaps, CV 1); b < 1 bunches
// arrivals into bursts with quiet gaps (CV 1/√b > 1); b > 1 is more regular.
import { gamma as gammaSample, seededRandom, type Random } from '../random.ts';
import type { Arrival, ArrivalPattern, ScheduleParams } from './pattern.ts';

/** Arrival times of a gamma renewal process in [0, durationMs). */
export function gammaTimes(random: Random, ratePerSec: number, shape: number, durationMs: number): number[] {
  const out: number[] = [];
  const meanGapMs = 1000 / ratePerSec;
  const scale = meanGapMs / shape;
  // The first arrival is one gap after 0, as in a process that was already running.
  let t = gammaSample(random, shape, scale);
  while (t < durationMs) {
    out.push(t);
    t += gammaSample(random, shape, scale);
  }
  return out;
}

/** Gamma-distributed gaps with LLM_BURSTINESS as the shape. */
export const gamma: ArrivalPattern = {
  name: 'gamma',
  description: 'gamma gaps: mean 1/LLM_RATE, CV 1/√LLM_BURSTINESS (1 = Poisson, lower = burstier)',
  schedule({ ratePerSec, durationMs, seed, burstiness }: ScheduleParams): Arrival[] {
    return gammaTimes(seededRandom(seed), ratePerSec, burstiness, durationMs).map((atMs) => ({ atMs }));
  },
};
