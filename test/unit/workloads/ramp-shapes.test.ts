// The ramp's request shapes send their own workload's requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/config.ts';
import { RAMP_SHAPES } from '../../../src/workloads/ramp-shapes.ts';

const text = (r: { messages: { content: string }[] }): string => r.messages.map((m) => m.content).join('\n');

test('batch: long prompts and long outputs, unique per request', () => {
  const config = parseConfig({ LLM_RAMP_SHAPE: 'batch' });
  const a = RAMP_SHAPES.batch.request(config, 1, 0);
  const b = RAMP_SHAPES.batch.request(config, 1, 1);
  const c = RAMP_SHAPES.batch.request(config, 2, 0);
  assert.equal(a.maxTokens, 256);
  // 512 to 1024 synthetic tokens: far longer than any chat demo prompt.
  assert.ok(text(a).length > 1500, `prompt of ${text(a).length} characters`);
  assert.notEqual(text(a), text(b));
  assert.notEqual(text(a), text(c));
  assert.equal(RAMP_SHAPES.batch.thresholds, 'batch');
});

test('realtime: short prompts and short outputs', () => {
  const config = parseConfig({ LLM_RAMP_SHAPE: 'realtime' });
  const r = RAMP_SHAPES.realtime.request(config, 3, 7);
  assert.equal(r.maxTokens, 16);
  assert.ok(text(r).length < 600, `prompt of ${text(r).length} characters`);
  assert.equal(RAMP_SHAPES.realtime.thresholds, 'realtime');
});

test('LLM_MAX_TOKENS still wins over a shape default', () => {
  const config = parseConfig({ LLM_RAMP_SHAPE: 'batch', LLM_MAX_TOKENS: '40' });
  assert.equal(RAMP_SHAPES.batch.request(config, 1, 0).maxTokens, 40);
});
