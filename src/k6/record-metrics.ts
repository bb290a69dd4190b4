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

/** Makes the function that records a workload's requests. */
export function createRecorder(workload: string, perRequest: PerRequestBounds): (record: RequestRecord) => void {
  const ttftKey = ttftSampleKey(workload);
  return (record: RequestRecord): void => {
    llmRequests.add(1);
    if (record.readLagMs !== null) llmReadLag.add(record.readLagMs);
    if (record.sendLagMs !== null) llmSendLag.add(record.sendLagMs);
    if (record.error === 'interrupted') {
      // Cut by the end of the test, not by the endpoint: counted, not judged.
      llmErrors.add(1, { error: 'interrupted' });
      return;
    }
    llmRequestSuccess.add(record.success);
    // Goodput: a request is good when it succeeded and met every per-request bound.
    llmSloAttained.add(record.success && meetsPerRequestBounds(perRequest, record));
    if (!record.success) llmErrors.add(1, { error: record.error ?? 'unknown' });
    if (record.ttftMs !== null) {
      llmTtft.add(record.ttftMs);
      if (llmstream) llmstream.observe(ttftKey, record.ttftMs);
    }
    if (record.e2eMs !== null) llmE2e.add(record.e2eMs);
    const itl = record.itlMs;
    for (let i = 0; i < itl.length; i++) llmItl.add(itl[i] as number);
    if (record.tpotMs !== null) llmTpot.add(record.tpotMs);
    if (record.outputTokensPerSecond !== null) llmOutputTokensPerSecond.add(record.outputTokensPerSecond);
    if (record.outputTokens > 0) {
      llmOutputTokens.add(record.outputTokens, { tokens: record.tokensEstimated ? 'estimated' : 'reported' });
    }
    if (record.promptTokens !== null) llmPromptTokens.add(record.promptTokens);
  };
}
