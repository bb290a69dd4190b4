// The TGI native adapter: token events (special ones are not output), the
// last event's details, errors, transcripts replayed every way a transport
// delivers them, the request body, the root path and the whole-body reader.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tgi } from '../../../src/protocols/tgi.ts';
import { emptyChunkInfo, emptyCompletionInfo, ONE_TOKEN, requestUrl, type ChunkInfo } from '../../../src/protocols/protocol.ts';
import { checkAllWays, expectedRecord } from '../support/replay-check.ts';

function read(data: string): ChunkInfo {
  const into = emptyChunkInfo();
  if (tgi.readChunk(data, into) === ONE_TOKEN) return { ...emptyChunkInfo(), tokens: 1 };
  return into;
}
const info = (fields: Partial<ChunkInfo>): ChunkInfo => ({ ...emptyChunkInfo(), ...fields });
const token = (text: string, special = false, rest = '"generated_text":null,"details":null'): string =>
  `{"index":1,"token":{"id":5,"text":${JSON.stringify(text)},"logprob":-0.1,"special":${special}},${rest}}`;

describe('tgi.readChunk', () => {
  const cases: Array<[string, string, ChunkInfo]> = [
    ['a token', token(' hi'), info({ tokens: 1 })],
    ['a token with spaces (full parse)', '{"index": 1, "token": {"id": 5, "text": " hi", "special": false}, "generated_text": null}', info({ tokens: 1 })],
    ['a token with empty text', token(''), info({})],
    ['a special token is not output', token('<|eot_id|>', true), info({})],
    [
      'the last event: special end token, generated_text and details',
      token('</s>', true, '"generated_text":"hi","details":{"finish_reason":"eos_token","generated_tokens":2,"seed":null}'),
      info({ done: true, finishReason: 'eos_token', usage: { promptTokens: null, completionTokens: 2, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
    ],
    [
      'the last event with a normal token (stopped by length)',
      token('.', false, '"generated_text":"a.","details":{"finish_reason":"length","generated_tokens":2}'),
      info({ tokens: 1, done: true, finishReason: 'length', usage: { promptTokens: null, completionTokens: 2, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
    ],
    ['an error', '{"error":"Input validation error: inputs too long","error_type":"validation"}', info({ error: 'Input validation error: inputs too long' })],
    ['no token', '{"index":1}', info({ malformed: true })],
    ['not JSON', 'data', info({ malformed: true })],
  ];
  for (const [name, data, expected] of cases) it(name, () => assert.deepEqual(read(data), expected));
});

describe('tgi on transcripts', () => {
  it('empty-text and special tokens are not output; details give the count once', () => {
    checkAllWays(
      tgi,
      'tgi-stream',
      [100, 110, 120, 125, 130, 150, 160],
      expectedRecord({
        ttftMs: 100,
        itlMs: [10, 10, 30],
        e2eMs: 150,
        outputTokens: 7,
        tokensEstimated: false,
        tokenChunks: 4,
        tpotMs: 50 / 6,
        outputTokensPerSecond: 120,
        finishReason: 'eos_token',
        sawDone: true,
      }),
    );
  });

  it('a stream stopped by length: its last event is a token too', () => {
    checkAllWays(
      tgi,
      'tgi-length',
      [50, 60, 70],
      expectedRecord({
        ttftMs: 50,
        itlMs: [10, 10],
        e2eMs: 70,
        outputTokens: 3,
        tokensEstimated: false,
        tokenChunks: 3,
        tpotMs: 10,
        outputTokensPerSecond: 100,
        finishReason: 'length',
        sawDone: true,
      }),
    );
  });

  it('an error event is stream_error', () => {
    checkAllWays(
      tgi,
      'tgi-error',
      [10, 20, 21],
      expectedRecord({
        success: false,
        error: 'stream_error',
        errorMessage: 'Request failed during generation: Server error: CUDA out of memory',
        ttftMs: 10,
        itlMs: [10],
        e2eMs: 20,
        outputTokens: 2,
        tokenChunks: 2,
        tpotMs: 10,
        outputTokensPerSecond: 100,
      }),
    );
  });

  it('a stream cut before its last event (and its blank line) is truncated', () => {
    checkAllWays(
      tgi,
      'tgi-truncated',
      [10, 20, 30],
      expectedRecord({
        success: false,
        error: 'truncated',
        errorMessage: 'the stream ended without a finish reason or [DONE]',
        ttftMs: 10,
        itlMs: [10, 10],
        e2eMs: 30,
        outputTokens: 3,
        tokenChunks: 3,
        tpotMs: 10,
        outputTokensPerSecond: 100,
      }),
    );
  });
});

describe('tgi requests', () => {
  it('sends inputs as one plain string and parameters.max_new_tokens, asking for details', () => {
    const body = JSON.parse(tgi.buildBody({ model: 'm', messages: [{ role: 'user', content: 'What is deep learning?' }], maxTokens: 20, stream: true })) as Record<string, unknown>;
    assert.deepEqual(body, { inputs: 'What is deep learning?', parameters: { max_new_tokens: 20, details: true } });
  });

  it('uses the native routes at the server root: a base URL ending in /v1 drops it', () => {
    assert.equal(requestUrl('http://h:8080/v1', tgi, true), 'http://h:8080/generate_stream');
    assert.equal(requestUrl('http://h:8080', tgi, true), 'http://h:8080/generate_stream');
    assert.equal(requestUrl('http://h:8080/v1', tgi, false), 'http://h:8080/generate');
    assert.equal(requestUrl('http://h:8080/tgi', tgi, true), 'http://h:8080/tgi/generate_stream');
    assert.deepEqual(tgi.headers('hf_x'), { Authorization: 'Bearer hf_x' });
  });
});

describe('tgi.readCompletion', () => {
  const cases: Array<[string, string, object]> = [
    [
      'generated text with details',
      '{"generated_text":" is fun","details":{"finish_reason":"length","generated_tokens":3,"seed":null}}',
      { outputTokens: 3, finishReason: 'length', hasOutput: true },
    ],
    ['the compat route\'s list', '[{"generated_text":"x"}]', { hasOutput: true }],
    ['empty text', '{"generated_text":""}', {}],
    ['an error', '{"error":"Model is overloaded","error_type":"overloaded"}', { error: 'Model is overloaded' }],
    ['no generated_text', '{"details":{}}', { malformed: true }],
    ['not JSON', 'oops', { malformed: true }],
  ];
  for (const [name, body, expected] of cases) it(name, () => assert.deepEqual(tgi.readCompletion(body), { ...emptyCompletionInfo(), ...expected }));
});
