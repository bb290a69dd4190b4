// How long an answer is and how it ends: outputTokens by default, ignore_eos
// and min_tokens move the natural end (with lengthControl), max_tokens caps
// it with finish_reason "length", and at least one token always goes out.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../../../tools/mock-server/chat-request.ts';
import { completionLength, tokensText } from '../../../tools/mock-server/completion.ts';

const REQUEST: ChatRequest = { model: 'm', stream: false, includeUsage: false, maxTokens: null, promptTokens: 6, pieces: [], ignoreEos: false, minTokens: null, toolName: null };

describe('completionLength', () => {
  const cases: Array<[string, Partial<ChatRequest>, boolean, number, 'length' | 'stop']> = [
    ['no limits', {}, true, 8, 'stop'],
    ['max_tokens above the natural end', { maxTokens: 32 }, true, 8, 'stop'],
    ['max_tokens below it', { maxTokens: 3 }, true, 3, 'length'],
    ['max_tokens 0 still sends one token', { maxTokens: 0 }, true, 1, 'length'],
    ['ignore_eos runs to max_tokens', { maxTokens: 32, ignoreEos: true }, true, 32, 'length'],
    ['ignore_eos without max_tokens', { ignoreEos: true }, true, 8, 'stop'],
    ['min_tokens moves the end', { maxTokens: 32, minTokens: 20 }, true, 20, 'stop'],
    ['min_tokens below outputTokens', { minTokens: 2 }, true, 8, 'stop'],
    ['lengthControl off ignores both', { maxTokens: 32, ignoreEos: true, minTokens: 32 }, false, 8, 'stop'],
  ];
  for (const [name, request, lengthControl, n, finishReason] of cases) {
    it(name, () => {
      const got = completionLength({ outputTokens: 8, lengthControl }, { ...REQUEST, ...request });
      assert.deepEqual(got, { n, reasoning: 0, toolCall: false, finishReason, usage: { prompt_tokens: 6, completion_tokens: n, total_tokens: 6 + n } });
    });
  }
});

describe('tokensText', () => {
  it('numbers tokens from their index', () => {
    assert.equal(tokensText(0, 3), ' tok0 tok1 tok2');
    assert.equal(tokensText(5, 6), ' tok5');
    assert.equal(tokensText(2, 2), '');
  });
});
