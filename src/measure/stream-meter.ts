// Turns one streamed response, fed as (arrival time, event data) pairs, into
// a RequestRecord. The per-event path does the least it can: the adapter's
// fast token check and two number stores; everything else happens once, in
// finish().

import { emptyChunkInfo, ONE_TOKEN, type ChunkInfo, type ChunkKind, type ProtocolAdapter } from '../protocols/protocol.ts';
import { decodeInto, emptyRecord, transportVerdict, type RequestRecord, type TransportOutcome, type Verdict } from './request-record.ts';

/** Accumulates one stream's events; call finish() once at the end. */
export class StreamMeter {
  private readonly adapter: ProtocolAdapter;
  private readonly startMs: number;
  private readonly chunk: ChunkInfo = emptyChunkInfo();
  private firstTokenMs = -1;
  /** First answer chunk (text or tool call); never before firstTokenMs. */
  private firstAnswerMs = -1;
  private lastTokenMs = -1;
  private itl: number[] = [];
  private tokenChunks = 0;
  private reasoningChunks = 0;
  private finishReason: string | null = null;
  private completionTokens: number | null = null;
  private reasoningTokens: number | null = null;
  private promptTokens: number | null = null;
  private cachedPromptTokens: number | null = null;
  private cacheWriteTokens: number | null = null;
  private sawDone = false;
  private streamError: string | null = null;
  private malformed: string | null = null;

  /** startMs: when the request was sent, on the clock the event times use. */
  constructor(adapter: ProtocolAdapter, startMs: number) {
    this.adapter = adapter;
    this.startMs = startMs;
  }

  /**
   * Records a batch of events (parallel arrays of arrival times and data), as
   * the stream meter delivers them. `fast[i] === 1` says the transport already
   * matched the adapter's fastTokenRule, so the event's data is not read at
   * all. Same result as onEvent for each event; this loop runs once per token.
   */
  onEvents(times: ArrayLike<number>, data: ArrayLike<string>, fast?: ArrayLike<number>): void {
    const adapter = this.adapter;
    const chunk = this.chunk;
    const itl = this.itl;
    const n = times.length;
    for (let i = 0; i < n; i++) {
      const atMs = times[i] as number;
      const kind = fast !== undefined && fast[i] === 1 ? ONE_TOKEN : adapter.readChunk(data[i] as string, chunk);
      // After the first answer chunk a plain token only extends the stream.
      if (kind === ONE_TOKEN && this.firstAnswerMs >= 0) {
        itl.push(atMs - this.lastTokenMs);
        this.lastTokenMs = atMs;
        this.tokenChunks++;
      } else {
        this.record(kind, atMs, data[i] as string);
      }
    }
  }

  /**
   * Records a run of `count` plain-token events (each one the adapter's
   * fastTokenRule matched) as the stream meter sums it up: the first at
   * firstMs, the last at lastMs, the gaps between them gaps[from] …
   * gaps[from + count − 2]. Same result as onEvents with each of them
   * marked fast; k6 pays for the run, not for each event.
   */
  onRun(firstMs: number, lastMs: number, count: number, gaps: number[], from: number): void {
    this.record(ONE_TOKEN, firstMs, '');
    const n = count - 1;
    if (n <= 0) return;
    // The usual stream has one run holding every gap: its list becomes the ITL list as it is.
    if (this.itl.length === 0 && from === 0 && gaps.length === n) this.itl = gaps;
    else for (let i = 0; i < n; i++) this.itl.push(gaps[from + i] as number);
    this.lastTokenMs = lastMs;
    this.tokenChunks += n;
  }

  /** Records one SSE event that arrived at atMs. */
  onEvent(atMs: number, data: string): void {
    this.record(this.adapter.readChunk(data, this.chunk), atMs, data);
  }

  /** Applies what readChunk found for one event. */
  private record(kind: ChunkKind, atMs: number, data: string): void {
    if (kind === ONE_TOKEN) {
      this.token(atMs, 1);
      if (this.firstAnswerMs < 0) this.firstAnswerMs = atMs;
      return;
    }
    const chunk = this.chunk;
    if (chunk.tokens > 0) {
      this.token(atMs, chunk.tokens);
      this.reasoningChunks += chunk.reasoningTokens;
      if (chunk.tokens > chunk.reasoningTokens && this.firstAnswerMs < 0) this.firstAnswerMs = atMs;
    }
    if (chunk.finishReason !== null) this.finishReason = chunk.finishReason;
    if (chunk.usage !== null) {
      if (chunk.usage.completionTokens !== null) this.completionTokens = chunk.usage.completionTokens;
      if (chunk.usage.reasoningTokens !== null) this.reasoningTokens = chunk.usage.reasoningTokens;
      if (chunk.usage.promptTokens !== null) this.promptTokens = chunk.usage.promptTokens;
      if (chunk.usage.cachedPromptTokens !== null) this.cachedPromptTokens = chunk.usage.cachedPromptTokens;
      if (chunk.usage.cacheWriteTokens !== null) this.cacheWriteTokens = chunk.usage.cacheWriteTokens;
    }
    if (chunk.done) this.sawDone = true;
    if (chunk.error !== null && this.streamError === null) this.streamError = chunk.error;
    if (chunk.malformed && this.malformed === null) this.malformed = data.length > 120 ? `${data.slice(0, 120)}…` : data;
  }

  private token(atMs: number, tokens: number): void {
    if (this.firstTokenMs < 0) this.firstTokenMs = atMs;
    else this.itl.push(atMs - this.lastTokenMs);
    this.lastTokenMs = atMs;
    this.tokenChunks += tokens;
  }

  /** Classifies the outcome and computes every per-request figure. */
  finish(outcome: TransportOutcome): RequestRecord {
    const gotToken = this.firstTokenMs >= 0;
    const ttftMs = gotToken ? this.firstTokenMs - this.startMs : null;
    const e2eMs = gotToken ? this.lastTokenMs - this.startMs : null;
    const tokensEstimated = this.completionTokens === null;
    const outputTokens = tokensEstimated ? this.tokenChunks : (this.completionTokens as number);
    const reasoningEstimated = this.reasoningTokens === null && this.reasoningChunks > 0;
    const reasoningTokens = this.reasoningTokens ?? this.reasoningChunks;
    const verdict = this.classify(outcome, gotToken);
    // One object, filled in place: k6's interpreter pays for every object spread.
    const record = emptyRecord(outcome, this.startMs);
    record.success = verdict === null;
    record.error = verdict?.error ?? null;
    record.errorMessage = verdict?.message ?? null;
    record.ttftMs = ttftMs;
    record.ttfoMs = this.firstAnswerMs >= 0 ? this.firstAnswerMs - this.startMs : null;
    record.e2eMs = e2eMs;
    record.itlMs = this.itl;
    decodeInto(record, ttftMs, e2eMs, outputTokens);
    record.outputTokens = outputTokens;
    record.promptTokens = this.promptTokens;
    record.cachedPromptTokens = this.cachedPromptTokens;
    record.cacheWriteTokens = this.cacheWriteTokens;
    record.tokensEstimated = tokensEstimated;
    record.reasoningTokens = reasoningTokens;
    record.reasoningTokensEstimated = reasoningEstimated;
    record.answerTokens = Math.max(0, outputTokens - reasoningTokens);
    record.tokenChunks = this.tokenChunks;
    record.finishReason = this.finishReason;
    record.sawDone = this.sawDone;
    record.readLagMs = outcome.kernelStamps ? (outcome.readLagMs ?? 0) : null;
    record.sendLagMs = outcome.sendLagMs ?? null;
    return record;
  }

  /** The request's verdict: the transport's, else what the stream showed; null for a success. */
  private classify(outcome: TransportOutcome, gotToken: boolean): Verdict | null {
    const verdict = transportVerdict(outcome);
    if (verdict) return verdict;
    if (outcome.isEventStream === false) return { error: 'malformed', message: 'expected a text/event-stream response' };
    if (this.streamError !== null) return { error: 'stream_error', message: this.streamError };
    if (this.malformed !== null) return { error: 'malformed', message: `unreadable event: ${this.malformed}` };
    if (!gotToken) return { error: 'empty', message: 'the stream carried no output token' };
    if (this.finishReason === null && !this.sawDone) {
      return { error: 'truncated', message: 'the stream ended without a finish reason or [DONE]' };
    }
    return null;
  }
}
