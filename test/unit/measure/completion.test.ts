// measureCompletion: non-streamed requests, where only E2E is observable.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { measureCompletion } from '../../../src/measure/completion.ts';
import type { RequestRecord, TransportOutcome } from '../../../src/measure/request-record.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { expectedRecord } from '../support/replay-check.ts';

const START = 5000;
const ok = (fields: Partial<TransportOutcome> = {}): TransportOutcome => ({
  status: 200,
  headersMs: 5900,
  endMs: 6000,
  error: null,
  ...fields,
});

/** Every field of a completion's record: not (yet) a success, usage-counted tokens, headers at 900 ms; overridden per case. */
function failed(fields: Partial<RequestRecord>): RequestRecord {
  return expectedRecord({ success: false, tokensEstimated: false, headersMs: 900, ...fields });
}

const BODY =
  '{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}';

describe('measureCompletion', () => {
  it('a complete body: E2E to the end of the response, tokens from usage, no streaming figures', () => {
    assert.deepEqual(
      measureCompletion(openaiChat, START, ok(), BODY),
      failed({ success: true, e2eMs: 1000, outputTokens: 3, answerTokens: 3, promptTokens: 9, finishReason: 'stop' }),
    );
  });

  it('a body whose usage reports a reasoning share: reasoning and answer tokens apart, reported', () => {
    const body =
      '{"choices":[{"index":0,"message":{"role":"assistant","content":"Paris","reasoning_content":"hmm"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":64,"completion_tokens_details":{"reasoning_tokens":16}}}';
    const got = measureCompletion(openaiChat, START, ok(), body);
    assert.deepEqual([got.outputTokens, got.reasoningTokens, got.answerTokens, got.reasoningTokensEstimated, got.ttfoMs], [64, 16, 48, false, null]);
  });

  it('a body without usage: zero tokens, flagged estimated', () => {
    const body = '{"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}';
    const got = measureCompletion(openaiChat, START, ok(), body);
    assert.equal(got.success, true);
    assert.equal(got.outputTokens, 0);
    assert.equal(got.tokensEstimated, true);
  });

  const failures: Array<[string, TransportOutcome, string, Partial<RequestRecord>]> = [
    ['HTTP 429', ok({ status: 429 }), '{"error":{"message":"slow down"}}', { status: 429, error: 'http_429', errorMessage: 'HTTP 429' }],
    ['HTTP 503', ok({ status: 503 }), 'Service Unavailable', { status: 503, error: 'http_5xx', errorMessage: 'HTTP 503' }],
    ['HTTP 404', ok({ status: 404 }), '{"error":"no such model"}', { status: 404, error: 'http_4xx', errorMessage: 'HTTP 404' }],
    ['a timeout', ok({ error: 'timeout', errorMessage: 'request timeout' }), '', { error: 'timeout', errorMessage: 'request timeout' }],
    ['a reset', ok({ error: 'reset' }), '', { error: 'truncated' }],
    ['a cancel', ok({ status: 500, error: 'canceled', errorMessage: 'test ended' }), '', { status: 500, error: 'interrupted', errorMessage: 'test ended' }],
    ['no connection', ok({ status: 0, headersMs: null, error: 'connect', errorMessage: 'refused' }), '', { status: 0, headersMs: null, error: 'connect', errorMessage: 'refused' }],
    ['an error body with 200', ok(), '{"error":{"message":"bad prompt"}}', { error: 'stream_error', errorMessage: 'bad prompt' }],
    ['a body that is not JSON', ok(), '<html>', { error: 'malformed', errorMessage: 'unreadable completion body' }],
    [
      'an empty answer',
      ok(),
      '{"choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}]}',
      { error: 'empty', errorMessage: 'the completion carried no output' },
    ],
  ];
  for (const [name, outcome, body, fields] of failures) {
    it(`${name} fails as ${fields.error}`, () => {
      assert.deepEqual(measureCompletion(openaiChat, START, outcome, body), failed(fields));
    });
  }
});
