// Measures a non-streaming request: only the end-to-end time is observable,
// so TTFT, ITL and the decode figures are not defined and stay null.

import type { ProtocolAdapter } from '../protocols/protocol.ts';
import { statusErrorKind, transportErrorKind, type RequestRecord, type TransportOutcome } from './request-record.ts';

/** Builds the record of a non-streamed request from its whole body. */
export function measureCompletion(
  adapter: ProtocolAdapter,
  startMs: number,
  outcome: TransportOutcome,
  body: string,
): RequestRecord {
  const record: RequestRecord = {
    status: outcome.status,
    success: false,
    error: null,
    errorMessage: null,
    ttftMs: null,
    e2eMs: null,
    itlMs: [],
    tpotMs: null,
    outputTokensPerSecond: null,
    outputTokens: 0,
    promptTokens: null,
    tokensEstimated: false,
    tokenChunks: 0,
    finishReason: null,
    sawDone: false,
    headersMs: outcome.headersMs === null ? null : outcome.headersMs - startMs,
    readLagMs: null,
    sendLagMs: null,
    retryAfter: outcome.retryAfter || null,
  };
  if (outcome.error === 'canceled') return fail(record, 'interrupted', outcome.errorMessage);
  const statusError = outcome.status === 0 ? null : statusErrorKind(outcome.status);
  if (statusError) return fail(record, statusError, `HTTP ${outcome.status}`);
  if (outcome.error) return fail(record, transportErrorKind(outcome.error), outcome.errorMessage);
  const info = adapter.readCompletion(body);
  if (info.error !== null) return fail(record, 'stream_error', info.error);
  if (info.malformed) return fail(record, 'malformed', 'unreadable completion body');
  if (!info.hasOutput) return fail(record, 'empty', 'the completion carried no output');
  record.e2eMs = outcome.endMs - startMs;
  record.outputTokens = info.outputTokens ?? 0;
  record.tokensEstimated = info.outputTokens === null;
  record.promptTokens = info.promptTokens;
  record.finishReason = info.finishReason;
  record.success = true;
  return record;
}

function fail(record: RequestRecord, error: RequestRecord['error'], message: string | undefined): RequestRecord {
  record.error = error;
  record.errorMessage = message ?? null;
  return record;
}
