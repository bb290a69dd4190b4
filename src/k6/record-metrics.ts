// Emits one RequestRecord as llm_* samples. Workload and model tags come
// from the scenario's tags, so every sample carries them; a workload may add
// its own (coldstart: phase and probe).
import type { RequestRecord } from '../measure/request-record.ts';
import { encodeOutcome } from '../summary/availability.ts';
import { meetsPerRequestBounds, type PerRequestBounds } from '../thresholds/threshold-file.ts';
import { llmstream } from './extensions.ts';
import {
  llmE2e,
  llmErrors,
  llmItl,
  llmOutputTokens,
  llmOutputTokensPerSecond,
  llmPromptTokens,
  llmReadLag,
  llmSendLag,
  llmRequestSuccess,
  llmRequests,
  llmSloAttained,
  llmTpot,
  llmTtft,
} from './metrics.ts';

/** Key of a workload's TTFT samples in k6/x/llmstream's process-wide store. */
export function ttftSampleKey(workload: string): string {
  return `llm_ttft:${workload}`;
}

/** Key of a workload's request outcomes (encodeOutcome) in the process-wide store. */
export function outcomeKey(workload: string): string {
  return `llm_outcomes:${workload}`;
}

/** Extra facts about one request for the recorder. */
export interface RecordContext {
  /** Tags added to every sample of this request, e.g. { phase: 'cold' }. */
  tags?: Record<string, string>;
  /** When the request started (ms since the test started), for the outcome timeline. */
  startedMs?: number;
}

/** Records a workload's requests; with `timeline`, also logs each outcome for availability over time. */
export type Recorder = (record: RequestRecord, context?: RecordContext) => void;

/** Options of createRecorder. */
export interface RecorderOptions {
  /** Also log each outcome for availability over time (needs k6/x/llmstream). */
  timeline?: boolean;
  /** Called once per request; its tags go on every sample of it (the ramp tags each request with its level's phase). */
  tags?: () => Record<string, string>;
}

/** Makes the function that records a workload's requests. */
export function createRecorder(workload: string, perRequest: PerRequestBounds, options: RecorderOptions = {}): Recorder {
  const ttftKey = ttftSampleKey(workload);
  const outcomes = outcomeKey(workload);
  return (record: RequestRecord, context: RecordContext = {}): void => {
    // undefined keeps k6's fast path for the usual, untagged case.
    const fromOptions = options.tags ? options.tags() : undefined;
    const tags = fromOptions ? { ...fromOptions, ...context.tags } : context.tags;
    llmRequests.add(1, tags);
    if (record.readLagMs !== null) llmReadLag.add(record.readLagMs);
    if (record.sendLagMs !== null) llmSendLag.add(record.sendLagMs);
    if (record.error === 'interrupted') {
      // Cut by the end of the test, not by the endpoint: counted, not judged.
      llmErrors.add(1, { ...tags, error: 'interrupted' });
      return;
    }
    if (options.timeline && llmstream && context.startedMs !== undefined) {
      llmstream.observe(outcomes, encodeOutcome(context.startedMs, record.success ? null : record.error));
    }
    llmRequestSuccess.add(record.success, tags);
    // Goodput: a request is good when it succeeded and met every per-request bound.
    llmSloAttained.add(record.success && meetsPerRequestBounds(perRequest, record), tags);
    if (!record.success) llmErrors.add(1, { ...tags, error: record.error ?? 'unknown' });
    if (record.ttftMs !== null) {
      llmTtft.add(record.ttftMs, tags);
      if (llmstream) llmstream.observe(ttftKey, record.ttftMs);
    }
    if (record.e2eMs !== null) llmE2e.add(record.e2eMs, tags);
    const itl = record.itlMs;
    for (let i = 0; i < itl.length; i++) llmItl.add(itl[i] as number, tags);
    if (record.tpotMs !== null) llmTpot.add(record.tpotMs, tags);
    if (record.outputTokensPerSecond !== null) llmOutputTokensPerSecond.add(record.outputTokensPerSecond, tags);
    if (record.outputTokens > 0) {
      llmOutputTokens.add(record.outputTokens, { ...tags, tokens: record.tokensEstimated ? 'estimated' : 'reported' });
    }
    if (record.promptTokens !== null) llmPromptTokens.add(record.promptTokens, tags);
  };
}
