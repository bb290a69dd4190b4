// Where a request's messages come from, in order of precedence: a trace
// record's lengths, a dataset, a fixed prompt, synthetic text of a length
// distribution, or the bundled demo prompts; with synthetic images on every
// user turn when asked for. Every workload builds its requests here, so
// every prompt, length and image knob means the same everywhere. Pure: the
// dataset arrives already parsed, the image maker already made.

import type { Arrival } from '../arrivals/pattern.ts';
import type { DatasetItem } from '../datasets/prompt-dataset.ts';
import { sample, type Distribution } from '../distribution.ts';
import type { SyntheticImage } from '../images/synthetic-image.ts';
import { trustedImage } from '../protocols/json-body.ts';
import { contentText } from '../protocols/message-content.ts';
import type { ChatMessage, ContentPart, ToolSpec, UserMessage } from '../protocols/protocol.ts';
import { hashSeed, hashString, seededRandom } from '../random.ts';
import { DEMO_PROMPTS } from './demo-prompts.ts';
import { conversationPrompt, syntheticPrompt } from './synthetic-prompt.ts';

/** The system message every generated conversation starts with. */
export const SYSTEM_MESSAGE: ChatMessage = { role: 'system', content: 'You are a helpful assistant.' };

/** Something that can be indexed like an array: a plain array or k6's SharedArray. */
export interface Indexed<T> {
  readonly length: number;
  readonly [index: number]: T;
}

/** Where a run's prompts come from (the first given wins: dataset, fixed prompt, synthetic lengths, the demo prompts). */
export interface PromptSourceOptions {
  /** A fixed user prompt, or null. */
  prompt: string | null;
  /** Synthetic prompt lengths in tokens, or null. */
  promptTokens: Distribution | null;
  /** Share (0–1) of every synthetic prompt identical across requests (prefix caching). */
  sharedPrefix: number;
  /** Seed of synthetic prompts and lengths. */
  seed: number;
  /** Parsed dataset lines, or null. */
  dataset: Indexed<DatasetItem> | null;
  /** Tools every request offers (a dataset line's own take precedence), or null. */
  tools: readonly ToolSpec[] | null;
  /** Synthetic images every user turn carries (after its text), or null for none. */
  images?: ImageOptions | null;
}

/** Synthetic images per user turn: how many, of what size, and what makes them. */
export interface ImageOptions {
  /** Images per user turn (0 allowed). */
  perRequest: Distribution;
  /** Side of each (square) image in pixels. */
  side: Distribution;
  /** Makes image `key` of a size (src/images/synthetic-image.ts; one per VU). */
  make: (width: number, height: number, key: number) => SyntheticImage;
}

/** What every request of a workload asks for beyond its prompt. */
export interface RequestShape {
  /** max_tokens of every request. */
  maxTokens: number;
  /** Stream the answers. */
  stream: boolean;
  /** Ask for exactly maxTokens (ignore_eos and min_tokens: vLLM, SGLang). */
  ignoreEos: boolean;
}

/** A request without its model (the client adds it): messages, length, streaming, tools, extra body fields. */
export interface PromptRequest {
  /** The conversation to send; the last is the user's turn. */
  messages: ChatMessage[];
  /** max_tokens of the request. */
  maxTokens: number;
  /** Stream the answer. */
  stream: boolean;
  /** Tools the request offers, when its prompt source has any. */
  tools?: ToolSpec[];
  /** Extra JSON fields of the request body (ignore_eos and min_tokens when asked for). */
  extraBody?: Record<string, unknown>;
}

/** Builds the messages of request `index` (global across instances). */
export class PromptSource {
  constructor(private readonly options: PromptSourceOptions) {}

  /** The tools request `index` offers: its dataset line's, else the source's; undefined for none. */
  tools(index: number): ToolSpec[] | undefined {
    const dataset = this.options.dataset;
    const own = dataset ? (dataset[index % dataset.length] as DatasetItem).tools : undefined;
    const tools = own ?? this.options.tools;
    return tools && tools.length > 0 ? [...tools] : undefined;
  }

  /** Full messages for a single-shot request (system + user, or the dataset's own), with request `index`'s images. */
  messages(index: number, arrival?: Arrival): ChatMessage[] {
    const { dataset, seed, sharedPrefix } = this.options;
    if (arrival?.promptTokens !== undefined) {
      const text =
        arrival.conversation !== undefined
          ? conversationPrompt(arrival.promptTokens, hashString(arrival.conversation), seed)
          : syntheticPrompt(arrival.promptTokens, index, { seed, sharedPrefix });
      return [this.withImages({ role: 'user', content: text }, index)];
    }
    if (dataset) {
      const messages = [...(dataset[index % dataset.length] as DatasetItem).messages];
      messages[messages.length - 1] = this.withImages(messages[messages.length - 1] as UserMessage, index);
      return messages;
    }
    return [SYSTEM_MESSAGE, this.userTurn(index)];
  }

  /** One user turn (chat turns after the first): its text, and its images when the source makes them. */
  userTurn(index: number): UserMessage {
    const dataset = this.options.dataset;
    if (dataset) {
      const messages = (dataset[index % dataset.length] as DatasetItem).messages;
      return this.withImages(messages[messages.length - 1] as UserMessage, index);
    }
    return this.withImages({ role: 'user', content: this.userText(index) }, index);
  }

  /**
   * The synthetic images of request `index`: a count and a side per image
   * from the request's own seeded stream, each image keyed by (index, its
   * place), so every instance of a split test sends the same files.
   */
  images(index: number): ContentPart[] {
    const images = this.options.images;
    if (!images) return [];
    const random = seededRandom(hashSeed(this.options.seed, 0x1a6e, index));
    const count = sample(images.perRequest, random, true);
    const parts: ContentPart[] = [];
    for (let j = 0; j < count; j++) {
      const side = sample(images.side, random, true);
      parts.push(trustedImage(images.make(side, side, hashSeed(index, j)).url));
    }
    return parts;
  }

  private withImages(turn: UserMessage, index: number): UserMessage {
    const images = this.images(index);
    if (images.length === 0) return turn;
    const parts: ContentPart[] = typeof turn.content === 'string' ? [{ type: 'text', text: turn.content }] : [...turn.content];
    return { role: 'user', content: [...parts, ...images] };
  }

  /** The text of one user turn, images left out (embedding inputs). */
  userText(index: number): string {
    const { dataset, prompt, promptTokens, seed, sharedPrefix } = this.options;
    if (dataset) {
      const messages = (dataset[index % dataset.length] as DatasetItem).messages;
      return contentText((messages[messages.length - 1] as UserMessage).content);
    }
    if (prompt !== null) return prompt;
    if (promptTokens) {
      const tokens = sample(promptTokens, seededRandom(hashSeed(seed, 0x1e, index)), true);
      return syntheticPrompt(tokens, index, { seed, sharedPrefix });
    }
    return DEMO_PROMPTS[demoPromptOf(index)] as string;
  }

  /**
   * Request `index` (global across instances) of a single-turn workload: its
   * messages, a trace arrival's output length when it has one (else the
   * shape's), and its tools.
   */
  request(index: number, shape: RequestShape, arrival?: Arrival): PromptRequest {
    return shapedRequest(this.messages(index, arrival), arrival?.outputTokens ?? shape.maxTokens, shape, this.tools(index));
  }

  /**
   * The texts of request `index` of an embeddings job: `perRequest` user
   * turns (perRequest × index onwards), so no text repeats across the job
   * unless the source itself repeats (a short dataset, a fixed prompt).
   */
  embeddingInputs(index: number, perRequest: number): string[] {
    const inputs: string[] = [];
    for (let j = 0; j < perRequest; j++) inputs.push(this.userText(index * perRequest + j));
    return inputs;
  }
}

/** A request of `messages` asking for `maxTokens` as the shape says (streaming, length control), offering `tools` when given. */
export function shapedRequest(messages: ChatMessage[], maxTokens: number, shape: Pick<RequestShape, 'stream' | 'ignoreEos'>, tools?: ToolSpec[]): PromptRequest {
  // ignore_eos and min_tokens pin the output length (vLLM, SGLang).
  const extraBody = shape.ignoreEos ? { ignore_eos: true, min_tokens: maxTokens } : undefined;
  return { messages, maxTokens, stream: shape.stream, ...(tools ? { tools } : {}), ...(extraBody ? { extraBody } : {}) };
}

/**
 * Which demo prompt request `index` sends. Seven steps through the set per
 * request, so back-to-back requests differ (a prompt repeated to the same
 * server measures its cache, not its prefill); plus the base-16 digit sum
 * of index / 16, so that requests a multiple of 16 apart do not send the
 * same prompt: chat numbers a conversation's turns conversation × 64 +
 * turn (and its users a million conversations apart), and without it every
 * conversation of every user would send the same first prompt, which a
 * prefix cache (vLLM, SGLang) answers for all but the first. The digit sum
 * moves by 1 − 15 × carries from one block of 16 to the next, so neighbours
 * still differ (with 16 prompts, unless 8 or more digits carry at once).
 */
export function demoPromptOf(index: number): number {
  let digits = 0;
  for (let rest = Math.floor(index / 16); rest > 0; rest = Math.floor(rest / 16)) digits += rest % 16;
  return (index * 7 + digits) % DEMO_PROMPTS.length;
}
