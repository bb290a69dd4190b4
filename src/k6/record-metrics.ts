// Emits one RequestRecord as llm_* samples. Workload and model tags come
// from the scenario's tags, so every sample carries them.
import type { RequestRecord } from '../measure/request-record.ts';
import { meetsPerRequestBounds, type PerRequestBounds } from '../thresholds/threshold-file.ts';
import { llmstream } from './extensions.ts';
import {
  llmE2e,
  llmErrors,
  llmItl,
  llmOutputTokens,
  llmOutputTokensPerSecond,
  llmPromptTokens,
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

/**
 * Makes the function that records a workload's requests. `tags`, when given,
 * is called once per request and its tags go on every sample of it (the ramp
 * tags each request with the phase of its level it ended in).
 */
export function createRecorder(
  workload: string,
  perRequest: PerRequestBounds,
  tags?: () => Record<string, string>,
): (record: RequestRecord) => void {
  const ttftKey = ttftSampleKey(workload);
  return (record: RequestRecord): void => {
    // undefined keeps k6's fast path for the usual, untagged case.
    const extra = tags ? tags() : undefined;
    const withTag = (key: string, value: string): Record<string, string> => (extra ? { ...extra, [key]: value } : { [key]: value });
    llmRequests.add(1, extra);
    if (record.error === 'interrupted') {
      // Cut by the end of the test, not by the endpoint: counted, not judged.
      llmErrors.add(1, withTag('error', 'interrupted'));
      return;
    }
    llmRequestSuccess.add(record.success, extra);
    // Goodput: a request is good when it succeeded and met every per-request bound.
    llmSloAttained.add(record.success && meetsPerRequestBounds(perRequest, record), extra);
    if (!record.success) llmErrors.add(1, withTag('error', record.error ?? 'unknown'));
    if (record.ttftMs !== null) {
      llmTtft.add(record.ttftMs, extra);
      if (llmstream) llmstream.observe(ttftKey, record.ttftMs);
    }
    if (record.e2eMs !== null) llmE2e.add(record.e2eMs, extra);
    const itl = record.itlMs;
    for (let i = 0; i < itl.length; i++) llmItl.add(itl[i] as number, extra);
    if (record.tpotMs !== null) llmTpot.add(record.tpotMs, extra);
    if (record.outputTokensPerSecond !== null) llmOutputTokensPerSecond.add(record.outputTokensPerSecond, extra);
    if (record.outputTokens > 0) {
      llmOutputTokens.add(record.outputTokens, withTag('tokens', record.tokensEstimated ? 'estimated' : 'reported'));
    }
    if (record.promptTokens !== null) llmPromptTokens.add(record.promptTokens, extra);
  };
}
