// The mixed workload's own knob: each workload's rate (batch: concurrency).

import { invalid } from '../errors.ts';
import { knob, type Knobs } from './knob.ts';

/** The workloads LLM_MIX can set, each with its own rate (batch: its concurrency). */
export const MIX_WORKLOADS = ['chat', 'realtime', 'batch'] as const;
/** One of MIX_WORKLOADS. */
export type MixWorkload = (typeof MIX_WORKLOADS)[number];

/** The mixed run. */
export interface MixConfig {
  /** Per-workload rates (batch: concurrency); 0 leaves a workload out. */
  rates: Record<MixWorkload, number>;
}

/** Mixed's knobs. */
export const MIX_KNOBS: Knobs<MixConfig> = {
  rates: knob('LLM_MIX', {
    default: 'chat=0.5,realtime=4,batch=4',
    description: 'mixed run: chat conversations/s, realtime requests/s, batch concurrency; `0` leaves a workload out, unlisted ones keep these defaults',
    workloads: ['mixed'],
    parse: (v, env) => parseMix(v, env),
  }),
};

function parseMix(value: string, env: string): Record<MixWorkload, number> {
  const mix: Record<MixWorkload, number> = { chat: 0.5, realtime: 4, batch: 4 };
  const expected = `workload=rate pairs such as chat=0.5,realtime=4,batch=2 (workloads ${MIX_WORKLOADS.join(', ')}; batch: a whole concurrency)`;
  for (const part of value.split(',')) {
    const [name, rate] = part.split('=').map((t) => t.trim());
    const n = Number(rate);
    if (!MIX_WORKLOADS.includes(name as MixWorkload) || rate === undefined || rate === '' || !Number.isFinite(n) || n < 0) {
      throw invalid(env, expected, value);
    }
    if (name === 'batch' && !Number.isInteger(n)) throw invalid(env, expected, value);
    mix[name as MixWorkload] = n;
  }
  if (MIX_WORKLOADS.every((w) => mix[w] === 0)) throw invalid(env, `${expected}, at least one above 0`, value);
  return mix;
}
