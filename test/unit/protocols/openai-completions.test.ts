// The OpenAI completions adapter: each kind of chunk, transcripts replayed
// every way a transport delivers them, the request body and the whole-body
// reader.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openaiCompletions } from '../../../src/protocols/openai-completions.ts';
import { emptyChunkInfo, emptyCompletionInfo, ONE_TOKEN, PARSED, requestUrl, type ChunkInfo } from '../../../src/protocols/protocol.ts';
import { checkAllWays, expectedRecord } from '../support/replay-check.ts';

function read(data: string): ChunkInfo {
  const into = emptyChunkInfo();
  if (openaiCompletions.readChunk(data, into) === ONE_TOKEN) return { ...emptyChunkInfo(), tokens: 1 };
  return into;
}
const info = (fields: Partial<ChunkInfo>): ChunkInfo => ({ ...emptyChunkInfo(), ...fields });
const HEAD = '"id":"cmpl-1","object":"text_completion","created":1,"model":"m"';
const chunk = (text: string, finish = 'null', extra = ''): string => `{${HEAD},"choices":[{"index":0,"text":${JSON.stringify(text)},"logprobs":null,"finish_reason":${finish}}]${extra}}`;

describe('openaiCompletions.readChunk', () => {
  const cases: Array<[string, string, ChunkInfo]> = [
    ['a text delta', chunk(' Paris'), info({ tokens: 1 })],
    ['an empty text delta', chunk(''), info({})],
    ['the last text with a finish reason', chunk('.', '"stop"'), info({ tokens: 1, finishReason: 'stop' })],
    ['a finish with empty text', chunk('', '"length"'), info({ finishReason: 'length' })],
    [
      'the usage chunk, counted once',
      `{${HEAD},"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12}}`,
      info({ usage: { promptTokens: 7, completionTokens: 5, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
    ],
    ['[DONE]', '[DONE]', info({ done: true })],
    ['an error payload', '{"error":{"message":"model overloaded","type":"server_error"}}', info({ error: 'model overloaded' })],
    ['not JSON', 'upstream error', info({ malformed: true })],
    ['neither choices nor usage', '{"id":"x"}', info({ malformed: true })],
  ];
  for (const [name, data, expected] of cases) it(name, () => assert.deepEqual(read(data), expected));

  it('answers ONE_TOKEN for a plain text delta, leaving the caller-owned object untouched', () => {
    const into = info({ tokens: 9, done: true });
    assert.equal(openaiCompletions.readChunk(chunk('x'), into), ONE_TOKEN);
    assert.deepEqual(into, info({ tokens: 9, done: true }));
    assert.equal(openaiCompletions.readChunk(chunk('x', '"stop"'), into), PARSED);
  });
});

describe('openaiCompletions on transcripts', () => {
  it('empty first chunk and a keep-alive comment are not tokens; usage gives the count', () => {
    checkAllWays(
      openaiCompletions,
      'completions-usage',
      [50, 100, 110, 130, 140, 160, 161, 162],
      expectedRecord({
        ttftMs: 100,
        itlMs: [10, 20, 10, 20],
        e2eMs: 160,
        outputTokens: 5,
        tokensEstimated: false,
        tokenChunks: 5,
        promptTokens: 7,
        tpotMs: 15,
        outputTokensPerSecond: 4000 / 60,
        finishReason: 'length',
        sawDone: true,
      }),
    );
  });

  it('a stream that stops without a finish reason or [DONE] is truncated', () => {
    checkAllWays(
      openaiCompletions,
      'completions-truncated',
      [20, 30, 40],
      expectedRecord({
        success: false,
        error: 'truncated',
        errorMessage: 'the stream ended without a finish reason or [DONE]',
        ttftMs: 20,
        itlMs: [10, 10],
        e2eMs: 40,
        outputTokens: 3,
        tokenChunks: 3,
        tpotMs: 10,
        outputTokensPerSecond: 100,
      }),
    );
  });
});

describe('openaiCompletions requests', () => {
  it('sends the messages as one plain prompt string, with usage in the stream', () => {
    const body = JSON.parse(
      openaiCompletions.buildBody({
        model: 'm',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Capital of France?' },
        ],
        maxTokens: 16,
        stream: true,
      }),
    ) as Record<string, unknown>;
    assert.deepEqual(body, {
      model: 'm',
      prompt: 'System: Be brief.\n\nUser: Capital of France?\n\nAssistant:',
      max_tokens: 16,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('a lone user message is the prompt as written', () => {
    const body = JSON.parse(openaiCompletions.buildBody({ model: 'm', messages: [{ role: 'user', content: 'Once upon' }], maxTokens: 4, stream: false })) as Record<string, unknown>;
    assert.equal(body.prompt, 'Once upon');
    assert.equal('stream_options' in body, false);
  });

  it('goes to <base>/completions with a bearer token, takes no tools', () => {
    assert.equal(requestUrl('http://h:8000/v1', openaiCompletions, true), 'http://h:8000/v1/completions');
    assert.deepEqual(openaiCompletions.headers('k'), { Authorization: 'Bearer k' });
    assert.equal(openaiCompletions.supportsTools, false);
  });
});

describe('openaiCompletions.readCompletion', () => {
  const cases: Array<[string, string, object]> = [
    [
      'a completion with usage',
      `{${HEAD},"choices":[{"index":0,"text":" Paris.","finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":2}}`,
      { outputTokens: 2, promptTokens: 4, finishReason: 'stop', hasOutput: true },
    ],
    ['an empty text', `{${HEAD},"choices":[{"index":0,"text":"","finish_reason":"stop"}]}`, { finishReason: 'stop' }],
    ['an error', '{"error":{"message":"bad model"}}', { error: 'bad model' }],
    ['not JSON', '<html>', { malformed: true }],
    ['no choices, no usage', '{}', { malformed: true }],
  ];
  for (const [name, body, expected] of cases) it(name, () => assert.deepEqual(openaiCompletions.readCompletion(body), { ...emptyCompletionInfo(), ...expected }));
});
