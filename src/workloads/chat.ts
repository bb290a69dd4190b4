// The interactive chat workload: multi-turn conversations whose every turn
// carries the growing history, with a think time between turns, streamed
// answers. Users are a closed pool of LLM_VUS (default) or arrive as an open
// model (new conversations at LLM_RATE with LLM_ARRIVAL, when either is set).
// Judged by TTFT and its stability (thresholds/chat.json). This file plans
// conversations and shapes requests; src/k6/drivers/chat.ts runs them.

import type { Config } from '../config/config.ts';
import { sample } from '../distribution.ts';
import type { ChatMessage, GenerationRequest } from '../protocols/protocol.ts';
import { hashSeed, seededRandom } from '../random.ts';
import { generationRequest, SYSTEM_MESSAGE, type PromptSource } from './prompts.ts';
import type { WorkloadDefaults, WorkloadSettings } from './settings.ts';
import { fillerText } from './synthetic-prompt.ts';

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
export function planConversation(settings: WorkloadSettings, conversation: number): ConversationPlan {
  const random = seededRandom(hashSeed(settings.seed, 0xc4a7, conversation));
  const turns = Math.max(1, sample(settings.turns, random, true));
  const thinkMs: number[] = [];
  for (let i = 1; i < turns; i++) thinkMs.push(sample(settings.thinkTime, random, false));
  return { turns, thinkMs };
}

/** A conversation's history, grown turn by turn. */
export class Conversation {
  readonly messages: ChatMessage[];
  private turn = 0;

  constructor(
    private readonly prompts: PromptSource,
    private readonly settings: WorkloadSettings,
    /** Global conversation index. */
    private readonly id: number,
  ) {
    this.messages = [];
  }

  /** The request of the next turn: the whole history plus a new user message. */
  nextRequest(config: Config): GenerationRequest {
    const index = this.id * 64 + this.turn;
    // The conversation keeps its first turn's tools (its dataset line's, else LLM_TOOLS').
    const tools = this.prompts.tools(this.id * 64);
    if (this.turn === 0) {
      const first = this.prompts.messages(index);
      // A dataset entry may bring its own system prompt; generated ones get the default.
      if ((first[0] as ChatMessage).role !== 'system') this.messages.push(SYSTEM_MESSAGE);
      this.messages.push(...first);
    } else {
      this.messages.push({ role: 'user', content: this.prompts.userText(index) });
    }
    this.turn += 1;
    return generationRequest(config, this.messages.slice(), this.settings.maxTokens, tools);
  }

  /**
   * Adds the answer to the history. The transport measures the answer rather
   * than keeping its text, so the history holds stand-in text of the same
   * token count: what matters to the server is the context length.
   */
  addAnswer(outputTokens: number): void {
    const random = seededRandom(hashSeed(this.settings.seed, 0xa5, this.id, this.turn));
    this.messages.push({ role: 'assistant', content: fillerText(Math.max(1, outputTokens), random).trimStart() });
  }
}
