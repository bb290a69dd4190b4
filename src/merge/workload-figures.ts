// What one workload's requests add up to over every instance of a merge:
// each request's RequestRecord (recordFromMeter of the meter's record, as k6
// computed it) counted into the same figures createRecorder (src/k6/
// record-metrics.ts) emits as llm_* samples, in the same order of decisions,
// so the merged figures are the ones one k6 process would have measured.
// Pure.

import type { Outcome } from '../measure/availability.ts';
import { cacheTag } from '../measure/cache-hit.ts';
import { errorCause } from '../measure/error-cause.ts';
import { timingBound, type ErrorKind, type RequestRecord } from '../measure/request-record.ts';
import type { ImageSize } from '../images/image-info.ts';
import { meetsPerRequestBounds, type PerRequestBounds } from '../thresholds/threshold-file.ts';
import { Samples } from './samples.ts';

/** passes / fails of a k6 Rate. */
export interface RateCount {
  passes: number;
  fails: number;
}

/** One workload's merged figures. */
export class WorkloadFigures {
  /** llm_requests: every request, interrupted ones included. */
  requests = 0;
  /** llm_connection_resends: requests the meter sent again on a new connection. */
  connectionResends = 0;
  readonly errors = new Map<ErrorKind, number>();
  readonly success: RateCount = { passes: 0, fails: 0 };
  readonly sloAttained: RateCount = { passes: 0, fails: 0 };
  readonly ttft = new Samples();
  readonly ttfo = new Samples();
  readonly e2e = new Samples();
  readonly itl = new Samples(4096);
  readonly tpot = new Samples();
  readonly tokensPerSecond = new Samples();
  outputTokensReported = 0;
  outputTokensEstimated = 0;
  reasoningTokensReported = 0;
  reasoningTokensEstimated = 0;
  answerTokensReported = 0;
  answerTokensEstimated = 0;
  promptTokens = 0;
  /** llm_cached_prompt_tokens, llm_cache_write_tokens: prompt tokens the cache supplied, and those written to it. */
  cachedPromptTokens = 0;
  cacheWriteTokens = 0;
  /** llm_prompt_cache_hit: requests whose usage reported cached tokens > 0 (passes) or 0 (fails). */
  readonly cacheHit: RateCount = { passes: 0, fails: 0 };
  /** llm_ttft{cache:hit} and llm_ttft{cache:miss}. */
  readonly ttftCacheHit = new Samples();
  readonly ttftCacheMiss = new Samples();
  /** llm_images, llm_image_bytes, llm_image_pixels: images sent and their sizes (those known). */
  images = 0;
  readonly imageBytes = new Samples();
  readonly imagePixels = new Samples();
  /** llm_embedding_inputs: inputs the successful embeddings responses carried. */
  embeddingInputs = 0;
  /** Failed requests by one-line cause (errorCause). */
  readonly causes = new Map<string, number>();
  /** Outcomes by start time, for workloads that keep a timeline (availability). */
  readonly outcomes: Outcome[] = [];

  /** llm_timing_flagged: requests whose TTFT or E2E may read late by more than the flag; llm_timing_bound: the flagged ones' bounds. */
  readonly timingFlagged: RateCount = { passes: 0, fails: 0 };
  readonly timingBound = new Samples();

  /** `timingFlagMs`: the flag the instances ran with (LLM_TIMING_FLAG_MS). */
  constructor(
    private readonly perRequest: PerRequestBounds,
    private readonly timingFlagMs = 1,
  ) {}

  /**
   * Counts one request; `timelineStartMs` is its start (ms since its
   * instance's test start) when the workload keeps a timeline; `images` the
   * sizes of the images it carried (its context's).
   */
  add(record: RequestRecord, timelineStartMs: number | null, images: readonly ImageSize[] = []): void {
    this.requests++;
    if (record.error === 'interrupted') {
      // Cut by the end of the test, not by the endpoint: counted, not judged (as record-metrics.ts).
      this.countError('interrupted');
      return;
    }
    if (record.resent) this.connectionResends++;
    const bound = timingBound(record);
    if (bound !== null) {
      if (bound > this.timingFlagMs) {
        this.timingFlagged.passes++;
        this.timingBound.push(bound);
      } else this.timingFlagged.fails++;
    }
    this.images += images.length;
    for (const image of images) {
      if (image.bytes !== null) this.imageBytes.push(image.bytes);
      if (image.pixels !== null) this.imagePixels.push(image.pixels);
    }
    if (timelineStartMs !== null) this.outcomes.push({ startMs: Math.round(Math.max(0, timelineStartMs) * 10) / 10, error: record.success ? null : record.error });
    const cause = errorCause(record);
    if (cause !== null) this.causes.set(cause, (this.causes.get(cause) ?? 0) + 1);
    if (record.success) this.success.passes++;
    else this.success.fails++;
    if (record.success && meetsPerRequestBounds(this.perRequest, record)) this.sloAttained.passes++;
    else this.sloAttained.fails++;
    if (!record.success) this.countError(record.error ?? ('unknown' as ErrorKind));
    const cache = cacheTag(record);
    if (record.ttftMs !== null) {
      this.ttft.push(record.ttftMs);
      if (cache !== null) (cache === 'hit' ? this.ttftCacheHit : this.ttftCacheMiss).push(record.ttftMs);
    }
    if (record.ttfoMs !== null) this.ttfo.push(record.ttfoMs);
    if (record.e2eMs !== null) this.e2e.push(record.e2eMs);
    const itl = record.itlMs;
    for (let i = 0; i < itl.length; i++) this.itl.push(itl[i] as number);
    if (record.tpotMs !== null) this.tpot.push(record.tpotMs);
    if (record.outputTokensPerSecond !== null) this.tokensPerSecond.push(record.outputTokensPerSecond);
    if (record.outputTokens > 0) {
      if (record.tokensEstimated) this.outputTokensEstimated += record.outputTokens;
      else this.outputTokensReported += record.outputTokens;
    }
    if (record.reasoningTokens > 0) {
      if (record.reasoningTokensEstimated) this.reasoningTokensEstimated += record.reasoningTokens;
      else this.reasoningTokensReported += record.reasoningTokens;
    }
    if (record.answerTokens > 0) {
      if (record.tokensEstimated || record.reasoningTokensEstimated) this.answerTokensEstimated += record.answerTokens;
      else this.answerTokensReported += record.answerTokens;
    }
    if (record.promptTokens !== null) this.promptTokens += record.promptTokens;
    if (cache === 'hit') {
      this.cacheHit.passes++;
      this.cachedPromptTokens += record.cachedPromptTokens as number;
    } else if (cache === 'miss') this.cacheHit.fails++;
    if (record.cacheWriteTokens !== null) this.cacheWriteTokens += record.cacheWriteTokens;
    if (record.success && record.embeddings !== undefined && record.embeddings > 0) this.embeddingInputs += record.embeddings;
  }

  private countError(kind: ErrorKind): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  /** The failed requests by cause, most frequent first (ties by cause), like the meter store's. */
  causesByCount(): { cause: string; count: number }[] {
    return [...this.causes.entries()].map(([cause, count]) => ({ cause, count })).sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause));
  }

  /** Bytes held by the sample columns. */
  get sampleBytes(): number {
    const cache = this.ttftCacheHit.bytes + this.ttftCacheMiss.bytes + this.imageBytes.bytes + this.imagePixels.bytes;
    return this.ttft.bytes + this.ttfo.bytes + this.e2e.bytes + this.itl.bytes + this.tpot.bytes + this.tokensPerSecond.bytes + cache;
  }
}
