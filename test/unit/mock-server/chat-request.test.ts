// Reading a chat-completion body: the fields the mock acts on, the default
// model, the prompt-token estimate, and 400s with OpenAI-style messages for
// what an OpenAI server would refuse.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { estimatePromptTokens, firstToolName, MODEL_ID, parseChatRequest } from '../../../tools/mock-server/chat-request.ts';
import { RequestError } from '../../../tools/mock-server/request-error.ts';

describe('parseChatRequest', () => {
  it('reads stream, usage, limits and ignore_eos', () => {
    const body = JSON.stringify({
      model: 'm',
      messages: [{ role: 'user', content: 'Say something, please.' }],
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 12,
      min_tokens: 3,
      ignore_eos: true,
    });
    assert.deepEqual(parseChatRequest(body), {
      model: 'm',
      stream: true,
      includeUsage: true,
      maxTokens: 12,
      promptTokens: 6,
      pieces: [{ kind: 'text', role: 'user', text: 'Say something, please.' }],
      ignoreEos: true,
      minTokens: 3,
      toolName: null,
    });
  });

  it('names the first offered tool, whatever the protocol spells it', () => {
    const chat = { type: 'function', function: { name: 'get_weather', parameters: {} } };
    assert.equal(parseChatRequest(JSON.stringify({ messages: [], tools: [chat, { name: 'other' }] })).toolName, 'get_weather');
    assert.equal(firstToolName([{ name: 'lookup', input_schema: {} }]), 'lookup');
    assert.equal(firstToolName([{ type: 'function' }]), 'mock_tool');
    assert.equal(firstToolName([]), null);
    assert.equal(firstToolName(undefined), null);
  });

  it('defaults to MODEL_ID, no stream, no limits', () => {
    assert.deepEqual(parseChatRequest('{"messages":[],"model":""}'), {
      model: MODEL_ID,
      stream: false,
      includeUsage: false,
      maxTokens: null,
      promptTokens: 1,
      pieces: [],
      ignoreEos: false,
      minTokens: null,
      toolName: null,
    });
    assert.equal(parseChatRequest('{"messages":[],"max_tokens":5,"max_completion_tokens":9}').maxTokens, 5, 'max_tokens wins');
  });

  const refused: Array<[string, RegExp, string | null]> = [
    ['{not json', /could not parse the JSON body/, null],
    ['[]', /must be a JSON object/, null],
    ['{"model":"m"}', /Missing required parameter: 'messages'/, 'missing_required_parameter'],
    ['{"messages":"hi"}', /Missing required parameter: 'messages'/, 'missing_required_parameter'],
    ['{"messages":[],"max_tokens":"ten"}', /Invalid 'max_tokens': expected a non-negative integer, got "ten"/, 'invalid_value'],
    ['{"messages":[],"max_tokens":-1}', /Invalid 'max_tokens'/, 'invalid_value'],
    ['{"messages":[],"min_tokens":1.5}', /Invalid 'min_tokens': expected a non-negative integer, got 1.5/, 'invalid_value'],
  ];
  for (const [body, message, code] of refused) {
    it(`refuses ${body} with 400`, () => {
      assert.throws(
        () => parseChatRequest(body),
        (err: unknown) => err instanceof RequestError && err.status === 400 && message.test(err.message) && err.code === code,
      );
    });
  }
});

describe('estimatePromptTokens', () => {
  it('counts ceil(chars / 4) per message over string and text-part content', () => {
    const messages = [
      { role: 'system', content: 'abcde' }, // 2
      { role: 'user', content: [{ type: 'text', text: 'abcd' }, { type: 'input_audio' }, { type: 'text', text: 'efgh' }] }, // 2
      null,
      { role: 'assistant' },
    ];
    assert.equal(estimatePromptTokens(messages), 4);
    assert.equal(estimatePromptTokens([]), 1, 'at least 1');
  });
});
