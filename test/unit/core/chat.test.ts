// The chat workload's single-turn requests (a trace's turns, the ramp's chat
// shape), built like every workload's through PromptSource.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, type Config } from '../../../src/config/config.ts';
import type { GenerationRequest } from '../../../src/protocols/protocol.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { CHAT_DEFAULTS, CHAT_WORKLOAD, TURNS_PER_CONVERSATION } from '../../../src/workloads/chat.ts';
import { demoPromptOf } from '../../../src/workloads/prompts.ts';
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

  it('without a prompt, sends the demo prompt of its request number', () => {
    const config = parseConfig({});
    assert.ok(DEMO_PROMPTS.length > 1);
    for (const index of [0, 1, 7, 47]) {
      const user = chatRequest(config, index).messages[1];
      assert.deepEqual(user, { role: 'user', content: DEMO_PROMPTS[demoPromptOf(index)] });
    }
  });

  it('spreads the demo prompts: back-to-back requests differ, and conversations do not all start alike', () => {
    const n = DEMO_PROMPTS.length;
    // Sequential requests (realtime, batch): every neighbour differs, every prompt is used.
    const used = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      assert.notEqual(demoPromptOf(i), demoPromptOf(i + 1), `requests ${i} and ${i + 1}`);
      used.add(demoPromptOf(i));
    }
    assert.equal(used.size, n);
    // Chat: request = conversation × 64 + turn, users a million conversations apart.
    const first = (user: number, n: number) => demoPromptOf((user * 1_000_000 + n) * TURNS_PER_CONVERSATION);
    for (let user = 0; user < 50; user++) {
      for (let c = 0; c < 200; c++) assert.notEqual(first(user, c), first(user, c + 1), `user ${user}: single-turn conversations ${c} and ${c + 1}`);
    }
    const starts = new Map<number, number>();
    for (let user = 0; user < 64; user++) starts.set(first(user, 0), (starts.get(first(user, 0)) ?? 0) + 1);
    // Before: all 64 users opened with the same prompt.
    assert.ok(starts.size >= n / 2, `64 users' first prompts use ${starts.size} of ${n} demo prompts`);
    assert.ok(Math.max(...starts.values()) <= 64 / 4, `at most a quarter of the users share a first prompt: ${[...starts.values()]}`);
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
