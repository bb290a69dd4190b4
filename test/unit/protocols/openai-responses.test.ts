// The OpenAI responses adapter: every event kind, transcripts replayed every
// way a transport delivers them, the request body and the whole-body reader.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openaiResponses } from '../../../src/protocols/openai-responses.ts';
import { emptyChunkInfo, emptyCompletionInfo, ONE_TOKEN, requestUrl, type ChunkInfo } from '../../../src/protocols/protocol.ts';
import { checkAllWays, expectedRecord } from '../support/replay-check.ts';

function read(data: string): ChunkInfo {
  const into = emptyChunkInfo();
  if (openaiResponses.readChunk(data, into) === ONE_TOKEN) return { ...emptyChunkInfo(), tokens: 1 };
  return into;
}
const info = (fields: Partial<ChunkInfo>): ChunkInfo => ({ ...emptyChunkInfo(), ...fields });
const ev = (type: string, fields: object = {}): string => JSON.stringify({ type, sequence_number: 3, ...fields });

describe('openaiResponses.readChunk', () => {
  const cases: Array<[string, string, ChunkInfo]> = [
    ['response.created', ev('response.created', { response: { id: 'r', status: 'in_progress', usage: null } }), info({})],
    ['an output_text delta', ev('response.output_text.delta', { item_id: 'm', delta: 'Hi' }), info({ tokens: 1 })],
    ['an empty output_text delta', ev('response.output_text.delta', { item_id: 'm', delta: '' }), info({})],
    ['a reasoning_text delta', ev('response.reasoning_text.delta', { item_id: 'rs', delta: 'Hmm' }), info({ tokens: 1, reasoningTokens: 1 })],
    ['a reasoning_summary_text delta', ev('response.reasoning_summary_text.delta', { item_id: 'rs', delta: 'Plan' }), info({ tokens: 1, reasoningTokens: 1 })],
    ['a function_call_arguments delta', ev('response.function_call_arguments.delta', { item_id: 'fc', delta: '{"a"' }), info({ tokens: 1 })],
    ['a refusal delta is answer output', ev('response.refusal.delta', { item_id: 'm', delta: 'No' }), info({ tokens: 1 })],
    ['a function_call item names the function', ev('response.output_item.added', { item: { type: 'function_call', name: 'f', arguments: '' } }), info({ tokens: 1 })],
    ['a message item carries no output yet', ev('response.output_item.added', { item: { type: 'message', content: [] } }), info({})],
    ['output_text.done repeats the text: not output', ev('response.output_text.done', { text: 'Hi there' }), info({})],
    [
      'response.completed: usage with the reasoning share, counted once',
      ev('response.completed', { response: { status: 'completed', usage: { input_tokens: 10, output_tokens: 64, output_tokens_details: { reasoning_tokens: 16 } } } }),
      info({ done: true, finishReason: 'completed', usage: { promptTokens: 10, completionTokens: 64, reasoningTokens: 16, cachedPromptTokens: null, cacheWriteTokens: null } }),
    ],
    [
      'response.incomplete: the reason is the finish reason',
      ev('response.incomplete', { response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 1, output_tokens: 8 } } }),
      info({ done: true, finishReason: 'max_output_tokens', usage: { promptTokens: 1, completionTokens: 8, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
    ],
    ['response.failed', ev('response.failed', { response: { status: 'failed', error: { code: 'server_error', message: 'boom' } } }), info({ error: 'boom' })],
    ['an error event', ev('error', { code: 'rate_limit_exceeded', message: 'slow down', param: null }), info({ error: 'slow down' })],
    ['no type', '{"delta":"x"}', info({ malformed: true })],
    ['not JSON', '[DONE]', info({ malformed: true })],
  ];
  for (const [name, data, expected] of cases) it(name, () => assert.deepEqual(read(data), expected));
});

describe('openaiResponses on transcripts', () => {
  it('created, in_progress, part and item bookkeeping are never tokens; response.completed gives the count once', () => {
    checkAllWays(
      openaiResponses,
      'responses-text',
      [10, 11, 12, 13, 100, 110, 130, 140, 141, 142, 143, 144],
      expectedRecord({
        ttftMs: 100,
        itlMs: [10, 20, 10],
        e2eMs: 140,
        outputTokens: 5,
        tokensEstimated: false,
        tokenChunks: 4,
        promptTokens: 11,
        // The transcript's input_tokens_details.cached_tokens: reported, none cached.
        cachedPromptTokens: 0,
        tpotMs: 10,
        outputTokensPerSecond: 100,
        finishReason: 'completed',
        sawDone: true,
      }),
    );
  });

  it('reasoning, a function call, then text: reasoning tokens from usage, TTFO at the function call', () => {
    checkAllWays(
      openaiResponses,
      'responses-reasoning-tool',
      [10, 11, 100, 110, 120, 121, 200, 210, 220, 230, 231, 232, 300, 310, 320],
      expectedRecord({
        ttftMs: 100,
        ttfoMs: 200,
        itlMs: [10, 10, 80, 10, 10, 10, 70, 10],
        e2eMs: 310,
        outputTokens: 120,
        tokensEstimated: false,
        reasoningTokens: 96,
        answerTokens: 24,
        tokenChunks: 9,
        promptTokens: 40,
        tpotMs: 210 / 119,
        outputTokensPerSecond: 119000 / 210,
        finishReason: 'completed',
        sawDone: true,
      }),
    );
  });

  it('response.failed is stream_error, with the timings so far', () => {
    checkAllWays(
      openaiResponses,
      'responses-failed',
      [5, 20, 30, 31],
      expectedRecord({
        success: false,
        error: 'stream_error',
        errorMessage: 'The model crashed',
        ttftMs: 20,
        itlMs: [10],
        e2eMs: 30,
        outputTokens: 2,
        tokenChunks: 2,
        tpotMs: 10,
        outputTokensPerSecond: 100,
      }),
    );
  });

  it('a stream without response.completed is truncated', () => {
    checkAllWays(
      openaiResponses,
      'responses-truncated',
      [5, 10, 20, 30],
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

describe('openaiResponses requests', () => {
  it('sends input messages with plain string content, max_output_tokens and function tools', () => {
    const parameters = { type: 'object', properties: {} };
    const body = JSON.parse(
      openaiResponses.buildBody({
        model: 'gpt-5-mini',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        maxTokens: 32,
        stream: true,
        tools: [{ name: 'now', parameters }],
      }),
    ) as Record<string, unknown>;
    assert.deepEqual(body, {
      model: 'gpt-5-mini',
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_output_tokens: 32,
      stream: true,
      tools: [{ type: 'function', name: 'now', parameters }],
    });
  });

  it('goes to <base>/responses with a bearer token', () => {
    assert.equal(requestUrl('http://h/v1', openaiResponses, false), 'http://h/v1/responses');
    assert.deepEqual(openaiResponses.headers('k'), { Authorization: 'Bearer k' });
  });
});

describe('openaiResponses.readCompletion', () => {
  const cases: Array<[string, string, object]> = [
    [
      'a response with reasoning and text',
      '{"object":"response","status":"completed","output":[{"type":"reasoning","summary":[]},{"type":"message","content":[{"type":"output_text","text":"Hi"}]}],"usage":{"input_tokens":5,"output_tokens":40,"output_tokens_details":{"reasoning_tokens":32}},"error":null}',
      { outputTokens: 40, promptTokens: 5, reasoningTokens: 32, finishReason: 'completed', hasOutput: true },
    ],
    ['a function call only', '{"object":"response","status":"completed","output":[{"type":"function_call","name":"f","arguments":"{}"}]}', { finishReason: 'completed', hasOutput: true }],
    ['an empty output', '{"object":"response","status":"completed","output":[]}', { finishReason: 'completed' }],
    ['an error', '{"error":{"message":"no such model","type":"invalid_request_error"}}', { error: 'no such model' }],
    ['no output list', '{"object":"response"}', { malformed: true }],
  ];
  for (const [name, body, expected] of cases) it(name, () => assert.deepEqual(openaiResponses.readCompletion(body), { ...emptyCompletionInfo(), ...expected }));
});
