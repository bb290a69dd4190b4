// The Client: sends one request of any kind through the run's transport (the
// stream meter beside k6, or xk6-sse), records every llm_* metric with the
// script's own tags, and returns what was measured. Built in the init
// context from its options (a bad option stops the run there, in one line).

import exec from 'k6/execution';
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
import { promptChars, promptKey } from '../workloads/prompt-identity.ts';
import { resolveClientOptions, type ClientOptions, type ResolvedClient } from './client-options.ts';
import { noteClient } from '../run/registry.ts';
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
  /** The prompt key of this VU's previous request through this client (llm_prompt_repeated). */
  private lastPrompt: number | null = null;

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

  /** Sends, lets `judge` settle what the protocol alone cannot (an embedding count), records, returns. */
  private measure(request: GenerationRequest, options: SendOptions, judge: (result: RequestRecord) => RequestRecord): LlmResult {
    const workload = this.workloadOf();
    const timeline = this.settings.recording.timeline;
    // A timeline keeps each outcome at its start: taken here, before the send.
    const startedMs = options.startedMs ?? (timeline ? nowMs() : undefined);
    const images = request.messages.flatMap((m) => imagesOf(m).map((part) => imageInfo(part.url)));
    const meta: RequestMeta = { workload, timeline, startedMs, count: options.progressKey, level: options.level, images };
    const output = options.text ? new AnswerOutput() : undefined;
    const result: LlmResult = Object.assign(judge(this.sender.send(request, meta, output)), { cause: null });
    if (!result.success) result.cause = errorCause(result);
    if (output) {
      result.text = output.text;
      result.reasoning = output.reasoning;
      result.toolCalls = output.toolCalls();
    }
    const extra = typeof options.tags === 'function' ? options.tags(result) : options.tags;
    this.withTags(workload, extra, (tags) => {
      this.recordPrompt(request, result, images, tags);
      this.recorderOf(workload)(result, { startedMs, tags });
    });
    return result;
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
  private recordPrompt(request: GenerationRequest, result: LlmResult, images: readonly ImageSize[], tags: Record<string, string> | undefined): void {
    if (result.error === 'interrupted') return;
    const key = promptKey(request);
    llmPromptRepeated.add(key === this.lastPrompt, tags);
    this.lastPrompt = key;
    if (result.promptTokens !== null) llmPromptChars.add(promptChars(request), tags);
    if (images.length === 0) return;
    llmImages.add(images.length, tags);
    for (const image of images) {
      if (image.bytes !== null) llmImageBytes.add(image.bytes, tags);
      if (image.pixels !== null) llmImagePixels.add(image.pixels, tags);
    }
  }

  /**
   * Runs `record` with the VU's tags carrying workload, model and the extra
   * tags (k6 adds VU tags to every sample, with no tag set built per
   * sample), then puts the VU's tags back as they were. Where k6 has no VU
   * (setup, teardown), `record` gets the tags to pass with each sample.
   */
  private withTags(workload: string, extra: Record<string, string> | undefined, record: (tags: Record<string, string> | undefined) => void): void {
    const tags = vuTags();
    const wanted: Record<string, string> = { workload, model: this.model, ...this.settings.recording.tags, ...extra };
    if (tags === null) {
      record(wanted);
      return;
    }
    const saved: [string, unknown][] = [];
    for (const name in wanted) {
      const value = wanted[name] as string;
      if (tags[name] === value) continue;
      saved.push([name, tags[name]]);
      tags[name] = value;
    }
    try {
      record(undefined);
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete tags[name];
        else tags[name] = value;
      }
    }
  }
}

/** The VU's metric tags (its scenario's included); null where k6 has no VU (setup and teardown may not). */
function vuTags(): Record<string, unknown> | null {
  try {
    return exec.vu.metrics.tags as Record<string, unknown>;
  } catch {
    return null;
  }
}
