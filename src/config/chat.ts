// The chat workload's own knobs: how many turns a conversation has and how
// long its user thinks between them.

import { parseDurationMs } from '../duration.ts';
import { parseDistribution, TOKENS, type Distribution, type ValueUnit } from '../distribution.ts';
import { knob, type Knobs } from './knob.ts';
import { optional } from './values.ts';

/** Chat conversations' shape. */
export interface ChatConfig {
  /** Turns per conversation; null: the workload's default. */
  turns: Distribution | null;
  /** Pause between turns (ms); null: the workload's default. */
  thinkTime: Distribution | null;
}

/** Durations in ms for distributions (think times). */
const DURATION_MS: ValueUnit = { parse: parseDurationMs, min: 0, integer: false, example: 'a duration such as 2s' };

/** Chat's knobs. */
export const CHAT_KNOBS: Knobs<ChatConfig> = {
  turns: knob('LLM_TURNS', {
    default: '',
    description: 'turns per chat conversation, e.g. 3 or uniform:2:5',
    workloads: ['chat', 'mixed'],
    parse: (v, env) => optional(v, (t) => parseDistribution(env, t, TOKENS)),
  }),
  thinkTime: knob('LLM_THINK_TIME', {
    default: '',
    description: 'pause between chat turns: a duration or a distribution such as uniform:1s:3s or exp:2s',
    workloads: ['chat', 'mixed'],
    parse: (v, env) => optional(v, (t) => parseDistribution(env, t, DURATION_MS)),
  }),
};
