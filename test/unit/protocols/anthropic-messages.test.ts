// The Anthropic messages adapter: every event type, transcripts (with event:
// lines and CRLF) replayed every way a transport delivers them, the request
// body and headers, and the whole-body reader.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicMessages } from '../../../src/protocols/anthropic-messages.ts';
import { emptyChunkInfo, emptyCompletionInfo, ONE_TOKEN, requestUrl, type ChunkInfo } from '../../../src/protocols/protocol.ts';
import { checkAllWays, expectedRecord } from '../support/replay-check.ts';

function read(data: string): ChunkInfo {
  const into = emptyChunkInfo();
  if (anthropicMessages.readChunk(data, into) === ONE_TOKEN) return { ...emptyChunkInfo(), tokens: 1 };
  return into;
}
const info = (fields: Partial<ChunkInfo>): ChunkInfo => ({ ...emptyChunkInfo(), ...fields });
const delta = (d: object): string => JSON.stringify({ type: 'content_block_delta', index: 0, delta: d });

describe('anthropicMessages.readChunk', () => {
  const cases: Array<[string, string, ChunkInfo]> = [
    [
      'message_start: input usage only (its output_tokens is a placeholder)',
      '{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"usage":{"input_tokens":25,"output_tokens":1}}}',
      info({ usage: { promptTokens: 25, completionTokens: null, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
    ],
    ['content_block_start of an empty text block', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}', info({})],
    ['content_block_start of a tool_use block: the name is output', '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"f","input":{}}}', info({ tokens: 1 })],
    ['text_delta', delta({ type: 'text_delta', text: 'Hi' }), info({ tokens: 1 })],
    ['text_delta with spaces (full parse)', '{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}}', info({ tokens: 1 })],
    ['empty text_delta', delta({ type: 'text_delta', text: '' }), info({})],
    ['thinking_delta is reasoning', delta({ type: 'thinking_delta', thinking: 'Let me see' }), info({ tokens: 1, reasoningTokens: 1 })],
    ['signature_delta is not output', delta({ type: 'signature_delta', signature: 'abc' }), info({})],
    ['input_json_delta is tool-call output', delta({ type: 'input_json_delta', partial_json: '{"a":' }), info({ tokens: 1 })],
    ['empty input_json_delta', delta({ type: 'input_json_delta', partial_json: '' }), info({})],
    ['content_block_stop', '{"type":"content_block_stop","index":0}', info({})],
    ['ping', '{"type": "ping"}', info({})],
    [
      'message_delta: stop reason and output usage',
      '{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":64}}',
      info({ finishReason: 'max_tokens', usage: { promptTokens: null, completionTokens: 64, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
    ],
    ['message_stop', '{"type":"message_stop"}', info({ done: true })],
    ['error event', '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', info({ error: 'Overloaded' })],
    ['an unknown event type is ignored', '{"type":"content_block_future","index":0}', info({})],
    ['no type', '{"delta":{"text":"x"}}', info({ malformed: true })],
    ['not JSON', 'event: ping', info({ malformed: true })],
  ];
  for (const [name, data, expected] of cases) it(name, () => assert.deepEqual(read(data), expected));
});

describe('anthropicMessages on transcripts', () => {
  it('message_start, ping and block bookkeeping are never tokens; message_delta gives the count once', () => {
    checkAllWays(
      anthropicMessages,
      'anthropic-text',
      [100, 101, 102, 200, 210, 230, 240, 260, 261, 262, 263],
      expectedRecord({
        ttftMs: 200,
        itlMs: [10, 20, 10, 20],
        e2eMs: 260,
        outputTokens: 6,
        tokensEstimated: false,
        tokenChunks: 5,
        promptTokens: 25,
        tpotMs: 12,
        outputTokensPerSecond: 5000 / 60,
        finishReason: 'end_turn',
        sawDone: true,
      }),
    );
  });

  it('thinking, then text, then a tool call: TTFT at the first thinking delta, TTFO at the first text; tool deltas count', () => {
    checkAllWays(
      anthropicMessages,
      'anthropic-thinking-tool',
      [50, 51, 100, 120, 140, 150, 151, 152, 200, 210, 211, 230, 231, 240, 250, 251, 252, 253],
      expectedRecord({
        ttftMs: 100,
        ttfoMs: 200,
        itlMs: [20, 20, 60, 10, 20, 10, 10],
        e2eMs: 250,
        outputTokens: 89,
        tokensEstimated: false,
        reasoningTokens: 3,
        reasoningTokensEstimated: true,
        answerTokens: 86,
        tokenChunks: 8,
        promptTokens: 25,
        tpotMs: 150 / 88,
        outputTokensPerSecond: 88000 / 150,
        finishReason: 'tool_use',
        sawDone: true,
      }),
    );
  });

  it('an error event is stream_error, with the timings so far', () => {
    checkAllWays(
      anthropicMessages,
      'anthropic-error',
      [10, 11, 30, 40, 41],
      expectedRecord({
        success: false,
        error: 'stream_error',
        errorMessage: 'Overloaded',
        ttftMs: 30,
        itlMs: [10],
        e2eMs: 40,
        outputTokens: 2,
        tokenChunks: 2,
        promptTokens: 25,
        tpotMs: 10,
        outputTokensPerSecond: 100,
      }),
    );
  });

  it('a stream without message_delta or message_stop is truncated', () => {
    checkAllWays(
      anthropicMessages,
      'anthropic-truncated',
      [10, 11, 20, 30, 40],
      expectedRecord({
        success: false,
        error: 'truncated',
        errorMessage: 'the stream ended without a finish reason or [DONE]',
        ttftMs: 20,
        itlMs: [10, 10],
        e2eMs: 40,
        outputTokens: 3,
        tokenChunks: 3,
        promptTokens: 25,
        tpotMs: 10,
        outputTokensPerSecond: 100,
      }),
    );
  });
});

describe('anthropicMessages requests', () => {
  const request = {
    model: 'claude-sonnet-4-5',
    messages: [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Weather in Paris?' },
    ],
    maxTokens: 128,
    stream: true,
  };

  it('puts the system prompt in `system` and keeps plain string content', () => {
    assert.deepEqual(JSON.parse(anthropicMessages.buildBody(request)), {
      model: 'claude-sonnet-4-5',
      max_tokens: 128,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      stream: true,
      system: 'Be brief.',
    });
  });

  it('maps tools to name, description and input_schema', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const body = JSON.parse(anthropicMessages.buildBody({ ...request, tools: [{ name: 'get_weather', description: 'Weather', parameters }] })) as Record<string, unknown>;
    assert.deepEqual(body.tools, [{ name: 'get_weather', description: 'Weather', input_schema: parameters }]);
  });

  it('sends x-api-key and anthropic-version instead of a bearer token, to <base>/messages', () => {
    assert.deepEqual(anthropicMessages.headers('sk-ant'), { 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant' });
    assert.deepEqual(anthropicMessages.headers(null), { 'anthropic-version': '2023-06-01' });
    assert.equal(requestUrl('https://api.anthropic.com/v1', anthropicMessages, true), 'https://api.anthropic.com/v1/messages');
  });
});

describe('anthropicMessages.readCompletion', () => {
  const cases: Array<[string, string, object]> = [
    [
      'a message with thinking, text and a tool call',
      '{"id":"m","type":"message","role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},{"type":"text","text":"Hi"},{"type":"tool_use","id":"t","name":"f","input":{}}],"stop_reason":"tool_use","usage":{"input_tokens":12,"output_tokens":30}}',
      { outputTokens: 30, promptTokens: 12, finishReason: 'tool_use', hasOutput: true },
    ],
    ['an empty message', '{"type":"message","content":[],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":0}}', { outputTokens: 0, promptTokens: 3, finishReason: 'end_turn' }],
    ['an error', '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: required"}}', { error: 'max_tokens: required' }],
    ['not JSON', 'Bad Gateway', { malformed: true }],
    ['no content', '{"type":"message"}', { malformed: true }],
  ];
  for (const [name, body, expected] of cases) it(name, () => assert.deepEqual(anthropicMessages.readCompletion(body), { ...emptyCompletionInfo(), ...expected }));
});
