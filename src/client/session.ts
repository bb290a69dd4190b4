// A multi-turn conversation through a Client: its history grows turn by
// turn (every request carries it all), with a think time before each turn
// after the first. User turns are the script's text, or come from a Prompts
// by the conversation's global id, so a split test sends what a single
// instance would. The answer joins the history: its text when the session
// asks for it, else stand-in text of its token count (the context length is
// what the server feels).

import { sleep } from 'k6';
import { setTimeout } from 'k6/timers';
import { parseDurationMs } from '../duration.ts';
import { parseDistribution, sample, type Distribution } from '../distribution.ts';
import { invalid } from '../errors.ts';
import { oneLine } from '../k6/load-config.ts';
import type { ChatMessage, ToolSpec } from '../protocols/protocol.ts';
import { hashSeed, seededRandom } from '../random.ts';
import { firstTurnMessages, planConversation, TURNS_PER_CONVERSATION, type ConversationPlan } from '../workloads/chat.ts';
import { fillerText } from '../workloads/synthetic-prompt.ts';
import type { PromptSource } from '../workloads/prompts.ts';
import type { Client } from './client.ts';
import type { ChatRequest, LlmResult, SendOptions } from './requests.ts';

/** How a Session converses. */
export interface SessionOptions {
  /** A system message the conversation starts with (unless its first turn brings its own). */
  system?: string;
  /** Where user turns come from when send() is given no text (turn n of conversation `id`). */
  prompts?: PromptSource;
  /** The conversation's global id: its prompts and its random streams (default 0). */
  id?: number;
  /** Seed of the think times, turns and stand-in answers (default 1). */
  seed?: number;
  /** Pause before each turn after the first: a duration ('2s'), ms, or a distribution such as 'uniform:1s:3s'. Default none. */
  thinkTime?: string | number | Distribution;
  /** How many turns the conversation plans (`turnsPlanned`, `finished`): a number or a distribution such as 'uniform:2:4'. Default 1. */
  turns?: number | string | Distribution;
  /** max_tokens of every turn (default 128). */
  maxTokens?: number;
  /** Stream every answer (default true). */
  stream?: boolean;
  /** Tools every turn offers (default: the first turn's from `prompts`, when it has any). */
  tools?: ToolSpec[];
  /** Extra JSON fields of every request body. */
  extraBody?: Record<string, unknown>;
  /** Keep the answers' own text in the history (and return it): each turn then costs k6 the parse of every event, about twice its CPU per request (docs/writing-scripts.md). */
  text?: boolean;
}

const DURATION_MS = { parse: parseDurationMs, min: 0, integer: false, example: 'a duration such as 2s' };
const COUNT = { parse: (t: string) => (/^\s*\d+\s*$/.test(t) ? Number(t) : null), min: 1, integer: true, example: 'a whole number' };

/** One conversation: `send()` a turn at a time; `messages` is the history so far. */
export class Session {
  /** The history: every message sent and every answer that came back. */
  readonly messages: ChatMessage[] = [];
  /** Turns the conversation plans (the `turns` option). */
  readonly turnsPlanned: number;
  private readonly plan: ConversationPlan;
  private readonly id: number;
  private readonly seed: number;
  private turn = 0;
  private tools: ToolSpec[] | undefined;

  constructor(
    private readonly client: Client,
    private readonly options: SessionOptions = {},
  ) {
    this.id = options.id ?? 0;
    this.seed = options.seed ?? 1;
    const turns = oneLine(() => distribution('turns', options.turns ?? 1, COUNT));
    const thinkTime = oneLine(() => distribution('thinkTime', options.thinkTime ?? 0, DURATION_MS));
    this.plan = planConversation({ seed: this.seed, turns, thinkTime }, this.id);
    this.turnsPlanned = this.plan.turns;
    this.tools = options.tools;
  }

  /** Turns sent so far. */
  get turns(): number {
    return this.turn;
  }

  /** True once the planned turns were sent. */
  get finished(): boolean {
    return this.turn >= this.turnsPlanned;
  }

  /**
   * Sends the next turn: `text` as the user's message, else the next prompt
   * of `prompts`; pauses for the think time first (turns after the first).
   * A failed answer joins nothing: the history stays as it was.
   */
  send(text?: string, options: SendOptions = {}): LlmResult {
    const think = this.thinkMs();
    if (think > 0) sleep(think / 1000);
    const turn = this.nextTurn(text, options);
    return this.answered(this.client.chat(turn.request, turn.options), turn.sizeBefore);
  }

  /**
   * send() without blocking the VU (Client.chatAsync): the think time is a
   * timer, the request an asynchronous one, so one VU can hold several
   * conversations at once.
   */
  async sendAsync(text?: string, options: SendOptions = {}): Promise<LlmResult> {
    const think = this.thinkMs();
    if (think > 0) await new Promise<void>((resolve) => setTimeout(resolve, think));
    const turn = this.nextTurn(text, options);
    return this.answered(await this.client.chatAsync(turn.request, turn.options), turn.sizeBefore);
  }

  /** The pause before the next turn (ms): none before the first. */
  private thinkMs(): number {
    if (this.turn === 0) return 0;
    return this.plan.thinkMs[this.turn - 1] ?? this.extraThinkMs();
  }

  /** Adds the next turn's user message(s) to the history: the request to send, and the history's size before it. */
  private nextTurn(text: string | undefined, options: SendOptions): { request: ChatRequest; options: SendOptions; sizeBefore: number } {
    const o = this.options;
    const index = this.id * TURNS_PER_CONVERSATION + this.turn;
    const sizeBefore = this.messages.length;
    if (this.turn === 0) {
      // A dataset entry may bring its own system prompt; otherwise the session's, if it has one.
      const first = text !== undefined ? firstTurnOf(text, o.system) : firstTurnMessages(this.promptsOrThrow(), this.id, o.system);
      for (let i = 0; i < first.length; i++) this.messages.push(first[i] as ChatMessage);
      // The conversation keeps its first turn's tools.
      this.tools ??= o.prompts?.tools(index);
    } else {
      this.messages.push(text !== undefined ? { role: 'user', content: text } : this.promptsOrThrow().userTurn(index));
    }
    this.turn += 1;
    return {
      request: { messages: this.messages.slice(), maxTokens: o.maxTokens, stream: o.stream, tools: this.tools, extraBody: o.extraBody },
      options: options.text === undefined && o.text !== undefined ? { ...options, text: o.text } : options,
      sizeBefore,
    };
  }

  /** Adds the answer to the history (or, for a failed one, takes the turn's message back out). */
  private answered(result: LlmResult, sizeBefore: number): LlmResult {
    if (!result.success) {
      this.messages.length = sizeBefore;
      return result;
    }
    this.messages.push(result.text !== undefined ? { role: 'assistant', content: result.text } : standInAnswer(Math.max(1, result.outputTokens), hashSeed(this.seed, 0xa5, this.id, this.turn)));
    return result;
  }

  private promptsOrThrow(): PromptSource {
    if (!this.options.prompts) throw invalid('Session.send', 'a text, or a session made with prompts', undefined);
    return this.options.prompts;
  }

  /** Think time of a turn past the planned ones, from the conversation's own stream. */
  private extraThinkMs(): number {
    const spec = this.options.thinkTime ?? 0;
    return sample(distribution('thinkTime', spec, DURATION_MS), seededRandom(hashSeed(this.seed, 0x7417, this.id, this.turn)), false);
  }
}

/**
 * The assistant's turn when the session keeps no text: stand-in words of
 * the answer's token count, made when first read (the next turn's body, or
 * a script reading `messages`): a conversation's last answer is usually
 * never read, and k6's interpreter would pay for its words anyway.
 */
function standInAnswer(tokens: number, seed: number): ChatMessage {
  let text: string | null = null;
  return {
    role: 'assistant',
    get content(): string {
      return (text ??= fillerText(tokens, seededRandom(seed)).trimStart());
    },
  };
}

/** A first turn of the script's own text, after the system message when there is one. */
function firstTurnOf(text: string, system: string | undefined): ChatMessage[] {
  const user: ChatMessage = { role: 'user', content: text };
  return system === undefined ? [user] : [{ role: 'system', content: system }, user];
}

function distribution(name: string, value: string | number | Distribution, unit: typeof DURATION_MS): Distribution {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < unit.min) throw invalid(name, `${unit.example} or a number >= ${unit.min}`, value);
    return { kind: 'fixed', value };
  }
  return typeof value === 'string' ? parseDistribution(name, value, unit) : value;
}
