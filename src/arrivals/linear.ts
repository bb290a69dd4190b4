// A linear change of rate, from LLM_RAMP_FROM to LLM_RATE over the load
// window (named `linear`, not "ramp": the ramp is the workload that steps
// load through levels). Arrivals are a gamma renewal process (Poisson at
// burstiness 1) in "operational time" Λ(t) = ∫rate, mapped back through Λ⁻¹:
// the standard time change that makes the local rate follow the line.
import { seededRandom } from '../random.ts';
import { gammaTimes } from './gamma.ts';
import type { Arrival, ArrivalPattern, ScheduleParams } from './pattern.ts';

/** The time (ms) at which `count` arrivals are expected when the rate goes linearly r0 → r1 over D ms. */
export function linearInverse(count: number, r0PerSec: number, r1PerSec: number, durationMs: number): number {
  const d = durationMs / 1000;
  const a = (r1PerSec - r0PerSec) / (2 * d); // Λ(t) = r0·t + a·t²
  if (Math.abs(a) < 1e-12) return (count / r0PerSec) * 1000;
  // Root of a·t² + r0·t − count = 0, in the form that stays accurate when a is small.
  const t = (2 * count) / (r0PerSec + Math.sqrt(r0PerSec * r0PerSec + 4 * a * count));
  return t * 1000;
}

/** Rate going linearly from LLM_RAMP_FROM to LLM_RATE. */
export const linear: ArrivalPattern = {
  name: 'linear',
  description: 'rate rising (or falling) linearly from LLM_RAMP_FROM to LLM_RATE; gaps as gamma (LLM_BURSTINESS)',
  schedule({ ratePerSec, rampFromPerSec, durationMs, seed, burstiness }: ScheduleParams): Arrival[] {
    const expected = ((rampFromPerSec + ratePerSec) / 2) * (durationMs / 1000);
    // Unit-rate arrivals in operational time: n of them expected in [0, expected).
    const unit = gammaTimes(seededRandom(seed), 1, burstiness, expected * 1000);
    return unit.map((ms) => ({ atMs: linearInverse(ms / 1000, rampFromPerSec, ratePerSec, durationMs) })).filter((a) => a.atMs < durationMs);
  },
};
