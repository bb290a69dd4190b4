// The chat workload's own knobs: how many turns a conversation has and how
// long its user thinks between them.

import { parseDurationMs } from '../duration.ts';
import { parseDistribution, TOKENS, type Distribution, type ValueUnit } from '../distribution.ts';
import { knob, type Knobs } from './knob.ts';
import { integer, optional } from './values.ts';

/** Chat conversations' shape. */
export interface ChatConfig {
  /** Turns per conversation; null: the workload's default. */
  turns: Distribution | null;
  /** Pause between turns (ms); null: the workload's default. */
  thinkTime: Distribution | null;
  /** Closed pool: users each VU holds at once; null: the default for the pool's size (chatUsersPerVu). */
  usersPerVu: number | null;
}

/** Durations in ms for distributions (think times). */
const DURATION_MS: ValueUnit = { parse: parseDurationMs, min: 0, integer: false, example: 'a duration such as 2s' };

/** Chat's knobs. */
export const CHAT_KNOBS: Knobs<ChatConfig> = {
  turns: knob('LLM_TURNS', {
    default: '',
    defaultText: '`uniform:2:4`',
    description: 'turns per chat conversation: a number or a distribution, as `LLM_PROMPT_TOKENS` takes them (`3`, `uniform:2:5`)',
    workloads: ['chat', 'mixed'],
    parse: (v, env) => optional(v, (t) => parseDistribution(env, t, TOKENS)),
  }),
  thinkTime: knob('LLM_THINK_TIME', {
    default: '',
    defaultText: 'chat closed pool `0s`, open `uniform:1s:3s`',
    description: 'pause between chat turns: a duration or a distribution (`uniform:1s:3s`, `normal:2s:500ms:0s:5s`, `exp:2s`, `list:1s,5s`)',
    workloads: ['chat', 'mixed'],
    parse: (v, env) => optional(v, (t) => parseDistribution(env, t, DURATION_MS)),
  }),
  usersPerVu: knob('LLM_USERS_PER_VU', {
    default: '',
    defaultText: '`1` up to 64 users, else `16`',
    description:
      'chat closed pool: users each k6 VU holds at once, every request asynchronous (`LLM_VUS` stays the number of users; k6 runs ⌈users / this⌉ VUs): each VU is a whole JavaScript runtime, so fewer VUs need less memory and CPU per user; `1`: a VU per user',
    workloads: ['chat', 'mixed'],
    parse: (v, env) => optional(v, (t) => integer(env, t, 1, 1000)),
  }),
};
