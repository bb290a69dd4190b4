// Replays one transcript every way a transport can deliver it and checks each
// gives the same record: per event (xk6-sse), one batch, one batch with the
// adapter's fast rule applied first (the stream meter), and the raw text cut
// into chunks at awkward places (mid-line, inside "data", between CR and LF).

import assert from 'node:assert/strict';
import type { RequestRecord } from '../../../src/measure/request-record.ts';
import type { ProtocolAdapter } from '../../../src/protocols/protocol.ts';
import { awkwardCuts, cutAt, loadTranscript, replayChunks, replayTimed } from './transcript.ts';

/**
 * Every field of a successful record, overridden per case. Unless a case
 * says otherwise, TTFO is TTFT and every output token is an answer token.
 */
export function expectedRecord(fields: Partial<RequestRecord>): RequestRecord {
  const r: RequestRecord = {
    status: 200,
    success: true,
    error: null,
    errorMessage: null,
    ttftMs: null,
    ttfoMs: null,
    e2eMs: null,
    itlMs: [],
    tpotMs: null,
    outputTokensPerSecond: null,
    outputTokens: 0,
    promptTokens: null,
    cachedPromptTokens: null,
    cacheWriteTokens: null,
    tokensEstimated: true,
    reasoningTokens: 0,
    reasoningTokensEstimated: false,
    answerTokens: 0,
    tokenChunks: 0,
    finishReason: null,
    sawDone: false,
    headersMs: null,
    readLagMs: null,
    sendLagMs: null,
    serverMessage: null,
    retryAfter: null,
    ttftBoundMs: null,
    e2eBoundMs: null,
    resent: false,
    ...fields,
  };
  if (!('ttfoMs' in fields)) r.ttfoMs = r.ttftMs;
  if (!('answerTokens' in fields)) r.answerTokens = r.outputTokens - r.reasoningTokens;
  return r;
}

/** Replays transcript `name` (one arrival time per event) every way and checks each gives `expected`. */
export function checkAllWays(adapter: ProtocolAdapter, name: string, times: number[], expected: RequestRecord): void {
  const raw = loadTranscript(name);
  for (const mode of ['each', 'batch', 'meter'] as const) {
    assert.deepEqual(replayTimed(raw, times, { adapter, mode }).record, expected, `${name}: ${mode}`);
  }
  const cuts = awkwardCuts(raw);
  for (const mode of ['each', 'meter'] as const) {
    const chunked = replayChunks(cutAt(raw, cuts, times), times[times.length - 1] as number, { adapter, mode });
    assert.deepEqual(chunked.events.map((e) => e.atMs), times, `${name}: each event completes in its own chunk`);
    assert.deepEqual(chunked.record, expected, `${name}: ${mode}, cut into chunks at ${cuts.join(', ')}`);
  }
}
