// The chat workload's requests.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { CHAT_WORKLOAD, chatRequest } from '../../../src/workloads/chat.ts';
import { DEMO_PROMPTS } from '../../../src/workloads/demo-prompts.ts';

describe('chatRequest', () => {
  it('sends the fixed prompt after a system message, with the configured model, max tokens and streaming', () => {
    const config = parseConfig({ LLM_PROMPT: 'Say hi', LLM_MODEL: 'm', LLM_MAX_TOKENS: '32', LLM_STREAM: 'false' });
    assert.deepEqual(chatRequest(config, 3, 9), {
      model: 'm',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Say hi' },
      ],
      maxTokens: 32,
      stream: false,
    });
  });

  it('without a prompt, cycles through the demo prompts by VU and iteration', () => {
    const config = parseConfig({});
    const n = DEMO_PROMPTS.length;
    assert.ok(n > 1);
    for (const [vu, iteration] of [
      [1, 0],
      [1, 1],
      [2, 0],
      [7, 40],
    ] as const) {
      const user = chatRequest(config, vu, iteration).messages[1];
      assert.deepEqual(user, { role: 'user', content: DEMO_PROMPTS[(vu * 7 + iteration) % n] });
    }
  });

  it('is deterministic, and consecutive turns of a VU differ', () => {
    const config = parseConfig({});
    assert.deepEqual(chatRequest(config, 5, 2), chatRequest(config, 5, 2));
    assert.notEqual(chatRequest(config, 5, 2).messages[1]?.content, chatRequest(config, 5, 3).messages[1]?.content);
  });

  it('streams by default and builds a body that asks for usage', () => {
    const request = chatRequest(parseConfig({}), 1, 0);
    assert.equal(request.stream, true);
    assert.equal(request.maxTokens, 128);
    const body = JSON.parse(openaiChat.buildBody(request)) as Record<string, unknown>;
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.model, 'mock-llm');
  });

  it('is tagged "chat"', () => {
    assert.equal(CHAT_WORKLOAD, 'chat');
  });
});
