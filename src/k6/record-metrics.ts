// Emits one RequestRecord as llm_* samples. Workload and model tags come
// from the scenario's tags, so every sample carries them; a workload may add
// its own (coldstart: phase and probe).
import { cacheTag } from '../measure/cache-hit.ts';
import { timingBound, type RequestRecord } from '../measure/request-record.ts';
import { meetsPerRequestBounds, type PerRequestBounds } from '../thresholds/threshold-file.ts';
import { meterStore, observationsOf } from './meter-store.ts';
import type { RequestMeta } from './transport.ts';
import {
  llmAnswerTokens,
  llmCachedPromptTokens,
  llmCacheWriteTokens,
  llmPromptCacheHit,
  llmConnectionResends,
  llmE2e,
  llmEmbeddingInputs,
  llmErrors,
  llmItl,
  llmOutputTokens,
  llmOutputTokensPerSecond,
  llmPromptTokens,
  llmReadLag,
  llmReasoningTokens,
  llmSendLag,
  llmRequestSuccess,
  llmRequests,
  llmSloAttained,
  llmTpot,
  llmTtfo,
  llmTimingBound,
  llmTimingFlagged,
  llmTtft,
} from './metrics.ts';

/** Extra facts about one request for the recorder. */
export interface RecordContext {
  /** Tags added to every sample of this request, e.g. { phase: 'cold' }. */
  tags?: Record<string, string>;
  /** When the request started (ms since the test started), for the outcome timeline. */
  startedMs?: number;
  /** The VU's stream the request went on (RequestMeta.stream): its observations ride on that stream's next request. */
  stream?: number;
}

/**
 * Records a workload's requests; with `timeline`, also logs each outcome for
 * availability over time. Pass `meta` with each request to the transport, so
 * the meter can settle the VU's last request at teardown.
 */
export type Recorder = ((record: RequestRecord, context?: RecordContext) => void) & { readonly meta: RequestMeta };

/** Options of createRecorder. */
export interface RecorderOptions {
  /** Also log each outcome for availability over time (needs the stream meter). */
  timeline?: boolean;
  /** Called once per request; its tags go on every sample of it (the ramp tags each request with the level_phase it ended in). */
  tags?: () => Record<string, string>;
  /** A request whose TTFT or E2E may read late by more than this (ms) is flagged; default 1. */
  timingFlagMs?: number;
}

/** The token counters' tags alone, made once (the usual, untagged request). */
const ESTIMATED = { tokens: 'estimated' };
const REPORTED = { tokens: 'reported' };

/** `tags` with tokens: estimated or reported. */
function tokensTags(tags: Record<string, string> | undefined, estimated: boolean): Record<string, string> {
  if (tags === undefined) return estimated ? ESTIMATED : REPORTED;
  return { ...tags, tokens: estimated ? 'estimated' : 'reported' };
}

/** The TTFT's cache tag alone, made once (the usual, untagged request). */
const CACHE_HIT = { cache: 'hit' };
const CACHE_MISS = { cache: 'miss' };

/** `tags` with cache: hit or miss. */
function cacheTags(tags: Record<string, string> | undefined, cache: 'hit' | 'miss'): Record<string, string> {
  if (tags === undefined) return cache === 'hit' ? CACHE_HIT : CACHE_MISS;
  return { ...tags, cache };
}

/** Makes the function that records a workload's requests. */
export function createRecorder(workload: string, perRequest: PerRequestBounds, options: RecorderOptions = {}): Recorder {
  const timeline = options.timeline === true;
  const flagMs = options.timingFlagMs ?? 1;
  const recorder = (record: RequestRecord, context: RecordContext = {}): void => {
    // undefined keeps k6's fast path for the usual, untagged case.
    const fromOptions = options.tags ? options.tags() : undefined;
    const tags = fromOptions ? { ...fromOptions, ...context.tags } : context.tags;
    llmRequests.add(1, tags);
    if (record.error === 'interrupted') {
      // Cut by the end of the test, not by the endpoint: counted, not judged
      // (as teardown counts the cut requests the script never saw: meter-store.ts).
      llmErrors.add(1, { ...tags, error: 'interrupted' });
      return;
    }
    if (record.resent) llmConnectionResends.add(1, tags);
    if (record.readLagMs !== null) llmReadLag.add(record.readLagMs);
    if (record.sendLagMs !== null) llmSendLag.add(record.sendLagMs);
    const bound = timingBound(record);
    if (bound !== null) {
      llmTimingFlagged.add(bound > flagMs, tags);
      if (bound > flagMs) llmTimingBound.add(bound, tags);
    }
    const store = meterStore();
    if (store) store.observe(observationsOf(record, workload, timeline, context.startedMs), context.stream ?? 0);
    llmRequestSuccess.add(record.success, tags);
    // Goodput: a request is good when it succeeded and met every per-request bound.
    llmSloAttained.add(record.success && meetsPerRequestBounds(perRequest, record), tags);
    if (!record.success) llmErrors.add(1, { ...tags, error: record.error ?? 'unknown' });
    // Where the server said whether the prompt cache answered, TTFT carries it (llm_ttft{cache:hit}, {cache:miss}).
    const cache = cacheTag(record);
    if (record.ttftMs !== null) llmTtft.add(record.ttftMs, cache === null ? tags : cacheTags(tags, cache));
    if (record.ttfoMs !== null) llmTtfo.add(record.ttfoMs, tags);
    if (record.e2eMs !== null) llmE2e.add(record.e2eMs, tags);
    const itl = record.itlMs;
    for (let i = 0; i < itl.length; i++) llmItl.add(itl[i] as number, tags);
    if (record.tpotMs !== null) llmTpot.add(record.tpotMs, tags);
    if (record.outputTokensPerSecond !== null) llmOutputTokensPerSecond.add(record.outputTokensPerSecond, tags);
    if (record.outputTokens > 0) llmOutputTokens.add(record.outputTokens, tokensTags(tags, record.tokensEstimated));
    if (record.reasoningTokens > 0) llmReasoningTokens.add(record.reasoningTokens, tokensTags(tags, record.reasoningTokensEstimated));
    if (record.answerTokens > 0) llmAnswerTokens.add(record.answerTokens, tokensTags(tags, record.tokensEstimated || record.reasoningTokensEstimated));
    if (record.promptTokens !== null) llmPromptTokens.add(record.promptTokens, tags);
    if (cache !== null) {
      llmPromptCacheHit.add(cache === 'hit', tags);
      if (cache === 'hit') llmCachedPromptTokens.add(record.cachedPromptTokens as number, tags);
    }
    if (record.cacheWriteTokens !== null && record.cacheWriteTokens > 0) llmCacheWriteTokens.add(record.cacheWriteTokens, tags);
    if (record.success && record.embeddings !== undefined && record.embeddings > 0) llmEmbeddingInputs.add(record.embeddings, tags);
  };
  return Object.assign(recorder, { meta: { workload, timeline } });
}

/**
 * Counts the requests k6 cut that no script saw (settleStore's, by workload)
 * as the recorder counts an interrupted request it did see: a request, and an
 * `interrupted` error that no rate judges.
 */
export function recordCutRequests(cut: ReadonlyMap<string, number>): void {
  for (const [workload, n] of cut) {
    if (n <= 0) continue;
    llmRequests.add(n, { workload });
    llmErrors.add(n, { workload, error: 'interrupted' });
  }
}
