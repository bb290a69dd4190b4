// Emits one RequestRecord as llm_* samples. Workload and model tags come
// from the scenario's tags, so every sample carries them.
import type { RequestRecord } from '../measure/request-record.ts';
import {
  llmE2e,
  llmErrors,
  llmItl,
  llmOutputTokens,
  llmOutputTokensPerSecond,
  llmPromptTokens,
  llmRequestSuccess,
  llmRequests,
  llmTpot,
  llmTtft,
} from './metrics.ts';

/** Adds the record's samples to the llm_* metrics. */
export function recordMetrics(record: RequestRecord): void {
  llmRequests.add(1);
  if (record.error === 'interrupted') {
    // Cut by the end of the test, not by the endpoint: counted, not judged.
    llmErrors.add(1, { error: 'interrupted' });
    return;
  }
  llmRequestSuccess.add(record.success);
  if (!record.success) llmErrors.add(1, { error: record.error ?? 'unknown' });
  if (record.ttftMs !== null) llmTtft.add(record.ttftMs);
  if (record.e2eMs !== null) llmE2e.add(record.e2eMs);
  const itl = record.itlMs;
  for (let i = 0; i < itl.length; i++) llmItl.add(itl[i] as number);
  if (record.tpotMs !== null) llmTpot.add(record.tpotMs);
  if (record.outputTokensPerSecond !== null) llmOutputTokensPerSecond.add(record.outputTokensPerSecond);
  if (record.outputTokens > 0) {
    llmOutputTokens.add(record.outputTokens, { tokens: record.tokensEstimated ? 'estimated' : 'reported' });
  }
  if (record.promptTokens !== null) llmPromptTokens.add(record.promptTokens);
}
