import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePrompts } from '../../../src/workloads/settings.ts';

test('the settings line says what was sent: trace, dataset, LLM_PROMPT, synthetic lengths, else the demo prompts', () => {
  const none = { trace: null, dataset: null, prompt: null };
  const uniform = { promptTokens: { kind: 'uniform', min: 16, max: 64 } as never };
  assert.equal(describePrompts({ promptTokens: null }, { ...none, trace: 't.jsonl' }), "trace t.jsonl (synthetic text of each record's prompt_tokens)");
  assert.equal(describePrompts(uniform, { ...none, dataset: '/data/p.jsonl' }), 'dataset /data/p.jsonl');
  assert.equal(describePrompts({ promptTokens: null }, { ...none, prompt: 'hello' }), 'LLM_PROMPT (5 characters)');
  assert.equal(describePrompts(uniform, none), 'synthetic uniform:16:64 tokens');
  assert.equal(describePrompts({ promptTokens: null }, none), 'bundled demo prompts');
});
