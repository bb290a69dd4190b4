// The Client: sends one request of any kind through the run's transport (the
// stream meter beside k6, or xk6-sse), records every llm_* metric with the
// script's own tags, and returns what was measured. Built in the init
// context from its options (a bad option stops the run there, in one line).

import { ConfigError } from '../errors.ts';
import { nowMs } from '../k6/clock.ts';
import { oneLine } from '../k6/load-config.ts';
import { createRecorder, type Recorder } from '../k6/record-metrics.ts';
import { llmImageBytes, llmImagePixels, llmImages, llmPromptChars, llmPromptRepeated } from '../k6/metrics.ts';
import { imageInfo, type ImageSize } from '../images/image-info.ts';
import { createTransport, type RequestMeta, type Transport, type TransportName } from '../k6/transport.ts';
import { errorCause } from '../measure/error-cause.ts';
import type { RequestRecord } from '../measure/request-record.ts';
import { checkEmbeddingCount } from '../measure/completion.ts';
import { AnswerOutput } from '../protocols/answer-output.ts';
import { protocolByName } from '../protocols/index.ts';
import { checkMessages, imagesOf, messageNeeds } from '../protocols/message-content.ts';
import type { GenerationRequest, ProtocolAdapter } from '../protocols/protocol.ts';
import { promptChars, promptParts, samePrompt } from '../workloads/prompt-identity.ts';
import { resolveClientOptions, type ClientOptions, type ResolvedClient } from './client-options.ts';
import { noteClient } from '../run/registry.ts';
import { vuInfo } from '../k6/vu-info.ts';
import type { ChatRequest, CompletionRequest, EmbeddingRequest, LlmResult, SendOptions } from './requests.ts';

/** max_tokens when a request names none. */
const DEFAULT_MAX_TOKENS = 128;

/** Sends requests to one endpoint and measures them. Make it in the init context: `const client = new Client({ model: 'x' })`. */
export class Client {
  /** The model every request names (unless it names another). */
  readonly model: string;
  /** The wire protocol. */
  readonly protocol: string;
  /** How responses are read: the stream meter or xk6-sse. */
  readonly transport: TransportName;
  private readonly adapter: ProtocolAdapter;
  private readonly sender: Transport;
  private readonly settings: ResolvedClient;
  private readonly recorders = new Map<string, Recorder>();
  /** Per workload, the tags its requests carry (tagsOf). */
  private readonly tagPairs = new Map<string, string[]>();
  /** Per stream of the VU (0: synchronous requests), the prompt of its previous request through this client, as promptParts (llm_prompt_repeated). */
  private readonly lastPrompts: unknown[][] = [];

  /** `options` fall back to the LLM_* variables, then to the defaults (see ClientOptions). */
  constructor(options: ClientOptions = {}) {
    this.settings = oneLine(() => resolveClientOptions(options, __ENV));
    const { endpoint, headers } = this.settings;
    this.adapter = oneLine(() => protocolByName(endpoint.protocol));
    this.sender = oneLine(() => createTransport(endpoint, this.adapter, headers));
    this.model = endpoint.model;
    this.protocol = endpoint.protocol;
    this.transport = this.sender.name;
    noteClient({ model: this.model, baseUrl: endpoint.baseUrl, protocol: this.protocol, transport: this.transport }, [endpoint.apiKey, endpoint.meter?.secret ?? null]);
  }

  /** Sends a chat request (or one user message) and returns what it did. */
  chat(request: ChatRequest | string, options: SendOptions = {}): LlmResult {
    const r = typeof request === 'string' ? { messages: [{ role: 'user' as const, content: request }] } : request;
    return this.send(this.generation(r.messages, r, r.tools), options);
  }

  /** Sends a completion request (one prompt string) and returns what it did. */
  complete(request: CompletionRequest | string, options: SendOptions = {}): LlmResult {
    const r = typeof request === 'string' ? { prompt: request } : request;
    return this.send(this.generation([{ role: 'user', content: r.prompt }], r), options);
  }

  /** Embeds `inputs` (protocol openai-embeddings) and returns what it did; a response without one embedding per input fails as malformed. */
  embed(request: EmbeddingRequest | string[], options: SendOptions = {}): LlmResult {
    const r = Array.isArray(request) ? { inputs: request } : request;
    this.expect(this.adapter.kind === 'embedding', 'embed()', 'generation protocols take chat() or complete()');
    const sent = r.inputs.length;
    return this.measure({ model: r.model ?? this.model, messages: [], maxTokens: 0, stream: false, inputs: r.inputs }, options, (result) => checkEmbeddingCount(result, sent));
  }

  /**
   * Sends a request in the neutral form every protocol adapter maps to its
   * own (what chat(), complete() and embed() build), records it, returns it.
   */
  send(request: GenerationRequest, options: SendOptions = {}): LlmResult {
    return this.measure(request, options, (result) => result);
  }

  /**
   * chat() without blocking the VU: the request goes to the stream meter
   * with http.asyncRequest, so one VU can have several requests in flight
   * (`await Promise.all(...)` of them, or one loop each). Each takes a
   * stream of the VU's own for the meter's bookkeeping, and
   * llm_prompt_repeated compares it with the previous request on that
   * stream. Without the stream meter (xk6-sse) the request blocks, as chat().
   */
  chatAsync(request: ChatRequest | string, options: SendOptions = {}): Promise<LlmResult> {
    const r = typeof request === 'string' ? { messages: [{ role: 'user' as const, content: request }] } : request;
    return this.sendAsync(this.generation(r.messages, r, r.tools), options);
  }

  /** send() without blocking the VU (see chatAsync). */
  async sendAsync(request: GenerationRequest, options: SendOptions = {}): Promise<LlmResult> {
    const sendAsync = this.sender.sendAsync;
    if (!sendAsync) return this.send(request, options);
    const { workload, meta, output, startedMs } = this.begin(request, options);
    const record = await sendAsync.call(this.sender, request, meta, output);
    try {
      return this.end(request, options, record, workload, meta, output, startedMs);
    } finally {
      this.sender.done?.(meta);
    }
  }

  /** Sends, lets `judge` settle what the protocol alone cannot (an embedding count), records, returns. */
  private measure(request: GenerationRequest, options: SendOptions, judge: (result: RequestRecord) => RequestRecord): LlmResult {
    const { workload, meta, output, startedMs } = this.begin(request, options);
    return this.end(request, options, judge(this.sender.send(request, meta, output)), workload, meta, output, startedMs);
  }

  /** What a request needs before it is sent: its workload, its meta for the transport, where what the model says goes. */
  private begin(request: GenerationRequest, options: SendOptions): { workload: string; meta: RequestMeta; output: AnswerOutput | undefined; startedMs: number | undefined } {
    const workload = this.workloadOf();
    const timeline = this.settings.recording.timeline;
    // A timeline keeps each outcome at its start: taken here, before the send.
    const startedMs = options.startedMs ?? (timeline ? nowMs() : undefined);
    const meta: RequestMeta = { workload, timeline, startedMs, count: options.progressKey, level: options.level, images: imagesSent(request) };
    return { workload, meta, output: options.text ? new AnswerOutput() : undefined, startedMs };
  }

  /** The result of a sent request: its cause, what the model said, its samples recorded. */
  private end(
    request: GenerationRequest,
    options: SendOptions,
    record: RequestRecord,
    workload: string,
    meta: RequestMeta,
    output: AnswerOutput | undefined,
    startedMs: number | undefined,
  ): LlmResult {
    const result = record as LlmResult;
    result.cause = result.success ? null : errorCause(result);
    if (output) {
      result.text = output.text;
      result.reasoning = output.reasoning;
      result.toolCalls = output.toolCalls();
    }
    const extra = typeof options.tags === 'function' ? options.tags(result) : options.tags;
    this.record(workload, extra, request, result, startedMs, meta);
    return result;
  }

  /**
   * Records the request's samples with the VU's tags carrying workload,
   * model and the extra tags (k6 adds VU tags to every sample, with no tag
   * set built per sample), then puts the VU's tags back as they were. Where
   * k6 has no VU (setup, teardown), each sample gets the tags itself.
   */
  private record(workload: string, extra: Record<string, string> | undefined, request: GenerationRequest, result: LlmResult, startedMs: number | undefined, meta: RequestMeta): void {
    const stream = meta.stream ?? 0;
    const images = meta.images ?? [];
    const recorder = this.recorderOf(workload);
    const wanted = extra === undefined ? this.tagsOf(workload) : tagPairs({ workload, model: this.model, ...this.settings.recording.tags, ...extra });
    const vu = vuTags();
    if (vu === null) {
      const tags: Record<string, string> = {};
      for (let i = 0; i < wanted.length; i += 2) tags[wanted[i] as string] = wanted[i + 1] as string;
      this.recordPrompt(request, result, images, tags, stream);
      recorder(result, { startedMs, tags, stream });
      return;
    }
    // Flat (name, value) pairs of the VU tags changed; null while none is.
    let saved: unknown[] | null = null;
    for (let i = 0; i < wanted.length; i += 2) {
      const name = wanted[i] as string;
      const value = wanted[i + 1];
      const was = vu[name];
      if (was === value) continue;
      (saved ??= []).push(name, was);
      vu[name] = value;
    }
    try {
      this.recordPrompt(request, result, images, undefined, stream);
      recorder(result, { startedMs, stream });
    } finally {
      if (saved !== null) {
        for (let i = 0; i < saved.length; i += 2) {
          const name = saved[i] as string;
          if (saved[i + 1] === undefined) delete vu[name];
          else vu[name] = saved[i + 1];
        }
      }
    }
  }

  /** The tags every request of `workload` carries without extra tags, as flat (name, value) pairs, made once. */
  private tagsOf(workload: string): string[] {
    let pairs = this.tagPairs.get(workload);
    if (pairs === undefined) {
      pairs = tagPairs({ workload, model: this.model, ...this.settings.recording.tags });
      this.tagPairs.set(workload, pairs);
    }
    return pairs;
  }

  private generation(messages: ChatRequest['messages'], r: ChatRequest | CompletionRequest, tools?: ChatRequest['tools']): GenerationRequest {
    this.expect(this.adapter.kind !== 'embedding', 'chat() or complete()', 'openai-embeddings takes embed()');
    if (tools && tools.length > 0) this.expect(this.adapter.supportsTools, 'tools', 'openai-chat, anthropic-messages and openai-responses take tools');
    checkMessages(messages);
    const needs = messageNeeds(messages);
    if (needs.toolTurns) this.expect(this.adapter.supportsTools, 'tool turns (toolCalls, role tool)', 'openai-chat, anthropic-messages and openai-responses take them');
    if (needs.images > 0) this.expect(this.adapter.supportsImages, 'image parts', 'openai-chat, anthropic-messages and openai-responses take images');
    return {
      model: r.model ?? this.model,
      messages,
      maxTokens: r.maxTokens ?? DEFAULT_MAX_TOKENS,
      stream: r.stream ?? true,
      ...(tools && tools.length > 0 ? { tools } : {}),
      ...(r.extraBody ? { extraBody: r.extraBody } : {}),
    };
  }

  /** A misuse of the client stops the iteration with one line (a script error, not an endpoint failure). */
  private expect(ok: boolean, what: string, hint: string): void {
    if (!ok) throw new ConfigError('invalid-value', what, `invalid ${what} with protocol ${this.protocol}; ${hint}`);
  }

  /** The workload tag this client's next request gets: its own, else the scenario's workload tag, else the scenario's name. */
  get workload(): string {
    return this.workloadOf();
  }

  private workloadOf(): string {
    const own = this.settings.recording.workload;
    if (own !== null) return own;
    const tags = vuTags();
    const tagged = tags?.workload;
    if (typeof tagged === 'string' && tagged !== '') return tagged;
    const scenario = tags?.scenario;
    return typeof scenario === 'string' && scenario !== '' ? scenario : 'default';
  }

  private recorderOf(workload: string): Recorder {
    let recorder = this.recorders.get(workload);
    if (recorder === undefined) {
      const { slo, timeline, timingFlagMs } = this.settings.recording;
      recorder = createRecorder(workload, slo?.perRequest ?? {}, { timeline, timingFlagMs });
      this.recorders.set(workload, recorder);
    }
    return recorder;
  }

  /**
   * What was sent: llm_prompt_repeated and llm_prompt_chars (the summary's
   * prompt warnings), and the images with their sizes (interrupted requests
   * left out, as the recorder leaves them).
   */
  private recordPrompt(request: GenerationRequest, result: LlmResult, images: readonly ImageSize[], tags: Record<string, string> | undefined, stream: number): void {
    if (result.error === 'interrupted') return;
    const parts = promptParts(request);
    const last = this.lastPrompts[stream];
    llmPromptRepeated.add(last !== undefined && samePrompt(parts, last), tags);
    this.lastPrompts[stream] = parts;
    if (result.promptTokens !== null) llmPromptChars.add(promptChars(request), tags);
    if (images.length === 0) return;
    llmImages.add(images.length, tags);
    for (const image of images) {
      if (image.bytes !== null) llmImageBytes.add(image.bytes, tags);
      if (image.pixels !== null) llmImagePixels.add(image.pixels, tags);
    }
  }
}

/** The sizes of the images a request carries (none for text-only messages, without a list made per message). */
function imagesSent(request: GenerationRequest): ImageSize[] {
  let images: ImageSize[] | null = null;
  const messages = request.messages;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as GenerationRequest['messages'][number];
    if (typeof m.content === 'string') continue;
    for (const part of imagesOf(m)) (images ??= []).push(imageInfo(part.url));
  }
  return images ?? [];
}

/** `tags` as flat (name, value) pairs. */
function tagPairs(tags: Record<string, string>): string[] {
  const pairs: string[] = [];
  for (const name of Object.keys(tags)) pairs.push(name, tags[name] as string);
  return pairs;
}

/** The VU's metric tags (its scenario's included); null where k6 has no VU (setup and teardown may not). */
function vuTags(): Record<string, unknown> | null {
  try {
    return vuInfo().metrics.tags as Record<string, unknown>;
  } catch {
    return null;
  }
}
