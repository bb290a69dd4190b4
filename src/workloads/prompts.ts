// Where a request's messages come from, in order of precedence: a trace
// record's lengths, the user's dataset (LLM_DATASET), a fixed prompt
// (LLM_PROMPT), synthetic text of LLM_PROMPT_TOKENS length, or the bundled
// demo prompts. Every workload builds its requests here, so every prompt and
// length knob means the same everywhere. Pure: the dataset arrives already
// parsed.

import type { Arrival } from '../arrivals/pattern.ts';
import type { Config } from '../config/config.ts';
import type { DatasetItem } from '../datasets/prompt-dataset.ts';
import { sample } from '../distribution.ts';
import type { ChatMessage, GenerationRequest, ToolSpec } from '../protocols/protocol.ts';
import { hashSeed, hashString, seededRandom } from '../random.ts';
import { DEMO_PROMPTS } from './demo-prompts.ts';
import type { WorkloadSettings } from './settings.ts';
import { conversationPrompt, syntheticPrompt } from './synthetic-prompt.ts';

/** The system message every generated conversation starts with. */
export const SYSTEM_MESSAGE: ChatMessage = { role: 'system', content: 'You are a helpful assistant.' };

/** Something that can be indexed like an array: a plain array or k6's SharedArray. */
export interface Indexed<T> {
  readonly length: number;
  readonly [index: number]: T;
}

/** Builds the messages of request `index` (global across instances). */
export class PromptSource {
  constructor(
    private readonly config: Config,
    private readonly settings: WorkloadSettings,
    private readonly dataset: Indexed<DatasetItem> | null,
    /** LLM_TOOLS, parsed; a dataset line's own tools take precedence. */
    private readonly defaultTools: readonly ToolSpec[] | null = null,
  ) {}

  /** The tools request `index` offers: its dataset line's, else LLM_TOOLS'; undefined for none. */
  tools(index: number): ToolSpec[] | undefined {
    const own = this.dataset ? (this.dataset[index % this.dataset.length] as DatasetItem).tools : undefined;
    const tools = own ?? this.defaultTools;
    return tools && tools.length > 0 ? [...tools] : undefined;
  }

  /** Full messages for a single-shot request (system + user, or the dataset's own). */
  messages(index: number, arrival?: Arrival): ChatMessage[] {
    if (arrival?.promptTokens !== undefined) {
      const text =
        arrival.conversation !== undefined
          ? conversationPrompt(arrival.promptTokens, hashString(arrival.conversation), this.settings.seed)
          : syntheticPrompt(arrival.promptTokens, index, { seed: this.settings.seed, sharedPrefix: this.config.prompts.sharedPrefix });
      return [{ role: 'user', content: text }];
    }
    if (this.dataset) return [...(this.dataset[index % this.dataset.length] as DatasetItem).messages];
    return [SYSTEM_MESSAGE, { role: 'user', content: this.userText(index) }];
  }

  /** The text of one user turn (chat turns after the first). */
  userText(index: number): string {
    if (this.dataset) {
      const messages = (this.dataset[index % this.dataset.length] as DatasetItem).messages;
      return (messages[messages.length - 1] as ChatMessage).content;
    }
    if (this.config.prompts.prompt !== null) return this.config.prompts.prompt;
    if (this.settings.promptTokens) {
      const tokens = sample(this.settings.promptTokens, seededRandom(hashSeed(this.settings.seed, 0x1e, index)), true);
      return syntheticPrompt(tokens, index, { seed: this.settings.seed, sharedPrefix: this.config.prompts.sharedPrefix });
    }
    return DEMO_PROMPTS[(index * 7) % DEMO_PROMPTS.length] as string;
  }
}

/** Extra body fields that pin the output length, when LLM_IGNORE_EOS asks for them. */
export function lengthControl(config: Config, maxTokens: number): Record<string, unknown> | undefined {
  return config.request.ignoreEos ? { ignore_eos: true, min_tokens: maxTokens } : undefined;
}

/** A request of `messages` asking for `maxTokens`, with the run's model, streaming and length control, offering `tools` when given. */
export function generationRequest(config: Config, messages: ChatMessage[], maxTokens: number, tools?: ToolSpec[]): GenerationRequest {
  const extraBody = lengthControl(config, maxTokens);
  return { model: config.endpoint.model, messages, maxTokens, stream: config.request.stream, ...(tools ? { tools } : {}), ...(extraBody ? { extraBody } : {}) };
}

/**
 * Request `index` (global across instances) of a single-turn workload: its
 * messages from `prompts`, and a trace arrival's output length when it has
 * one, else the workload's max_tokens.
 */
export function singleTurnRequest(config: Config, settings: WorkloadSettings, prompts: PromptSource, index: number, arrival?: Arrival): GenerationRequest {
  return generationRequest(config, prompts.messages(index, arrival), arrival?.outputTokens ?? settings.maxTokens, prompts.tools(index));
}

/**
 * Request `index` of an embeddings job: `perRequest` texts from `prompts`
 * (the user turn of prompts perRequest × index onwards), so no text repeats
 * across the job unless the prompt source itself repeats (a short dataset,
 * LLM_PROMPT).
 */
export function embeddingRequest(config: Config, prompts: PromptSource, index: number, perRequest: number): GenerationRequest {
  const inputs: string[] = [];
  for (let j = 0; j < perRequest; j++) inputs.push(prompts.userText(index * perRequest + j));
  return { model: config.endpoint.model, messages: [], maxTokens: 0, stream: false, inputs };
}
