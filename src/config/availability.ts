// The availability workload's own knob: the width of its reporting windows.

import { knob, type Knobs } from './knob.ts';
import { duration } from './values.ts';

/** The availability timeline. */
export interface AvailabilityConfig {
  /** Width of a reporting window (ms). */
  windowMs: number;
}

/** Availability's knobs. */
export const AVAILABILITY_KNOBS: Knobs<AvailabilityConfig> = {
  windowMs: knob('LLM_WINDOW', { default: '1m', description: 'availability: reporting window', workloads: ['availability'], parse: (v, env) => duration(env, v, 100) }),
};
