// The interactive chat workload: multi-turn conversations whose every turn
// carries the growing history, with a think time between turns, streamed
// answers. Users are a closed pool of LLM_VUS (default) or arrive as an open
// model (new conversations at LLM_RATE with LLM_ARRIVAL, when either is set).
// Judged by TTFT and its stability (thresholds/chat.json). This file plans
// conversations; a Session (src/client/session.ts) holds one.

import type { Config } from '../config/config.ts';
import { sample } from '../distribution.ts';
import { hashSeed, seededRandom } from '../random.ts';
import type { ChatMessage } from '../protocols/protocol.ts';
import type { PromptSource } from './prompts.ts';
import type { WorkloadDefaults, WorkloadSettings } from './settings.ts';

/** The workload's tag value and scenario name. */
export const CHAT_WORKLOAD = 'chat';

/** 2–4 turns, demo prompts; a closed pool of 8 users, or 0.5 new conversations/s (Poisson) on a pool of 32. */
export const CHAT_DEFAULTS: WorkloadDefaults = {
  vus: 8,
  maxTokens: 128,
  rate: 0.5,
  arrival: 'poisson',
  promptTokens: null,
  turns: { kind: 'uniform', min: 2, max: 4 },
  thinkTime: { kind: 'fixed', value: 0 },
};

/** Open-model chat defaults that differ: users pause between turns, so the pool must hold more conversations. */
export const CHAT_OPEN_DEFAULTS: Pick<WorkloadDefaults, 'vus' | 'thinkTime'> = {
  vus: 32,
  thinkTime: { kind: 'uniform', min: 1000, max: 3000 },
};

/** Whether chat runs as an open model: LLM_RATE, LLM_ARRIVAL or LLM_TRACE given. */
export function chatIsOpen(config: Config): boolean {
  return config.load.rate !== null || config.load.arrival !== null;
}

/** A conversation's shape, drawn from the conversation's own seeded stream. */
export interface ConversationPlan {
  turns: number;
  /** Pause before turn i+1, ms (one fewer than turns). */
  thinkMs: number[];
}

/** The plan of conversation `conversation` (a global index: equal across instances). */
export function planConversation(settings: Pick<WorkloadSettings, 'seed' | 'turns' | 'thinkTime'>, conversation: number): ConversationPlan {
  const random = seededRandom(hashSeed(settings.seed, 0xc4a7, conversation));
  const turns = Math.max(1, sample(settings.turns, random, true));
  const thinkMs: number[] = [];
  for (let i = 1; i < turns; i++) thinkMs.push(sample(settings.thinkTime, random, false));
  return { turns, thinkMs };
}

/** Conversation ids are spaced this far apart in a prompt source's index space: turn n of conversation c is prompt c × 64 + n. */
export const TURNS_PER_CONVERSATION = 64;

/**
 * The messages of conversation `id`'s first turn: its prompt (a dataset line
 * may bring its own system message), after `system` when it does not.
 */
export function firstTurnMessages(prompts: PromptSource, id: number, system?: string): ChatMessage[] {
  const first = prompts.messages(id * TURNS_PER_CONVERSATION);
  return system !== undefined && (first[0] as ChatMessage).role !== 'system' ? [{ role: 'system', content: system }, ...first] : first;
}
