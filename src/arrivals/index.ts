// Registry of arrival patterns by the name LLM_ARRIVAL selects. A new pattern
// is one file in this folder and one entry here.
import { ConfigError, invalid } from '../errors.ts';
import { constant } from './constant.ts';
import { gamma } from './gamma.ts';
import { linear } from './linear.ts';
import { MAX_ARRIVALS, type Arrival, type ArrivalPattern, type ScheduleParams } from './pattern.ts';
import { poisson } from './poisson.ts';
import { trace } from './trace.ts';

export type { Arrival, ArrivalPattern, ScheduleParams } from './pattern.ts';

/** Every pattern, by name. */
export const ARRIVAL_PATTERNS: Readonly<Record<string, ArrivalPattern>> = {
  [constant.name]: constant,
  [poisson.name]: poisson,
  [gamma.name]: gamma,
  [linear.name]: linear,
  [trace.name]: trace,
};

/** Names LLM_ARRIVAL accepts. */
export const ARRIVAL_NAMES: readonly string[] = Object.keys(ARRIVAL_PATTERNS);

/** The pattern named `name`; throws a ConfigError naming the choices. */
export function arrivalPattern(name: string): ArrivalPattern {
  const pattern = ARRIVAL_PATTERNS[name];
  if (!pattern) throw invalid('LLM_ARRIVAL', `one of ${ARRIVAL_NAMES.join(', ')}`, name);
  return pattern;
}

/** The seeded schedule of `name` (sorted intended send times); refuses absurdly long ones before generating them. */
export function buildSchedule(name: string, params: ScheduleParams): Arrival[] {
  const pattern = arrivalPattern(name);
  const expected = (Math.max(params.ratePerSec, params.rampFromPerSec) * params.durationMs) / 1000;
  if (name !== 'trace' && expected > MAX_ARRIVALS) {
    throw new ConfigError(
      'invalid-value',
      'LLM_RATE',
      `invalid LLM_RATE; expected at most ${MAX_ARRIVALS} arrivals per run (rate × load time), got about ${Math.round(expected)}`,
    );
  }
  return pattern.schedule(params);
}
