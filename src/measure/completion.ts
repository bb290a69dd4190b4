// Measures a non-streaming request: only the end-to-end time is observable,
// so TTFT, ITL and the decode figures are not defined and stay null.

import type { ProtocolAdapter } from '../protocols/protocol.ts';
import { emptyRecord, failWith, transportVerdict, type RequestRecord, type TransportOutcome } from './request-record.ts';

/** Builds the record of a non-streamed request from its whole body. */
export function measureCompletion(
  adapter: ProtocolAdapter,
  startMs: number,
  outcome: TransportOutcome,
  body: string,
): RequestRecord {
  const record = emptyRecord(outcome, startMs);
  const verdict = transportVerdict(outcome);
  if (verdict) return failWith(record, verdict);
  const info = adapter.readCompletion(body);
  if (info.error !== null) return failWith(record, { error: 'stream_error', message: info.error });
  if (info.malformed) return failWith(record, { error: 'malformed', message: 'unreadable completion body' });
  if (!info.hasOutput) return failWith(record, { error: 'empty', message: 'the completion carried no output' });
  record.e2eMs = outcome.endMs - startMs;
  record.outputTokens = info.outputTokens ?? 0;
  record.tokensEstimated = info.outputTokens === null;
  // A whole body has no deltas to count: reasoning is what usage reports, else none.
  record.reasoningTokens = info.reasoningTokens ?? 0;
  record.answerTokens = Math.max(0, record.outputTokens - record.reasoningTokens);
  record.promptTokens = info.promptTokens;
  record.cachedPromptTokens = info.cachedPromptTokens;
  record.cacheWriteTokens = info.cacheWriteTokens;
  record.finishReason = info.finishReason;
  if (info.embeddings !== undefined) record.embeddings = info.embeddings;
  record.success = true;
  return record;
}

/**
 * An embeddings answer must carry one embedding per input sent: a successful
 * record with another count becomes `malformed` (returned for chaining).
 */
export function checkEmbeddingCount(record: RequestRecord, sent: number): RequestRecord {
  if (!record.success || record.embeddings === sent) return record;
  return failWith(record, { error: 'malformed', message: `invalid embeddings answer; expected ${sent} embeddings (one per input), got ${record.embeddings ?? 0}` });
}
