// The chat workload's single-turn requests (a trace's turns, the ramp's chat
// shape), built like every workload's through PromptSource.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, type Config } from '../../../src/config/config.ts';
import type { GenerationRequest } from '../../../src/protocols/protocol.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { CHAT_DEFAULTS, CHAT_WORKLOAD } from '../../../src/workloads/chat.ts';
import { DEMO_PROMPTS } from '../../../src/workloads/demo-prompts.ts';
import { promptSourceFor, shapeOf } from '../support/prompts.ts';
import { resolveSettings } from '../../../src/workloads/settings.ts';

/** Chat's single-turn request number `index`. */
function chatRequest(config: Config, index: number): GenerationRequest {
  const settings = resolveSettings(config, CHAT_WORKLOAD, CHAT_DEFAULTS);
  // The client adds its model to what the prompt source builds.
  return { model: config.endpoint.model, ...promptSourceFor(config, settings).request(index, shapeOf(config, settings)) };
}

describe('chat single-turn requests', () => {
  it('sends the fixed prompt after a system message, with the configured model, max tokens and streaming', () => {
    const config = parseConfig({ LLM_PROMPT: 'Say hi', LLM_MODEL: 'm', LLM_MAX_TOKENS: '32', LLM_STREAM: 'false' });
    assert.deepEqual(chatRequest(config, 3), {
      model: 'm',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Say hi' },
      ],
      maxTokens: 32,
      stream: false,
    });
  });

  it('without a prompt, cycles through the demo prompts by request number', () => {
    const config = parseConfig({});
    const n = DEMO_PROMPTS.length;
    assert.ok(n > 1);
    for (const index of [0, 1, 7, 47]) {
      const user = chatRequest(config, index).messages[1];
      assert.deepEqual(user, { role: 'user', content: DEMO_PROMPTS[(index * 7) % n] });
    }
  });

  it('is deterministic, and consecutive requests differ', () => {
    const config = parseConfig({});
    assert.deepEqual(chatRequest(config, 2), chatRequest(config, 2));
    assert.notEqual(chatRequest(config, 2).messages[1]?.content, chatRequest(config, 3).messages[1]?.content);
  });

  it('streams by default and builds a body that asks for usage', () => {
    const request = chatRequest(parseConfig({}), 0);
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
