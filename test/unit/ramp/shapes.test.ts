// The ramp's request shapes send their own workload's requests, and an
// unknown shape is refused where it is looked up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KNOBS as VARIABLES, parseConfig, type Config } from '../../../src/config/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { RAMP_SHAPES, rampRequestIndex, rampShapeByName } from '../../../src/ramp/shapes.ts';
import { resolveSettings } from '../../../src/workloads/settings.ts';
import { contentText } from '../../../src/protocols/message-content.ts';
import type { PromptRequest } from '../../../src/workloads/prompts.ts';
import { promptSourceFor, shapeOf } from '../support/prompts.ts';

/** The request a ramp of shape `name` sends as `vuId`'s `iteration`-th (the shape's defaults, the config's knobs). */
const shapeRequest = (config: Config, name: string, vuId: number, iteration: number) => {
  const shape = rampShapeByName(name);
  const settings = resolveSettings(config, shape.workload, shape.defaults);
  return promptSourceFor(config, settings).request(rampRequestIndex(vuId, iteration), shapeOf(config, settings));
};

const text = (r: PromptRequest): string => r.messages.map((m) => contentText(m.content)).join('\n');

test('batch: long prompts and long outputs, unique per request', () => {
  const config = parseConfig({ LLM_RAMP_SHAPE: 'batch' });
  const a = shapeRequest(config, 'batch', 1, 0);
  const b = shapeRequest(config, 'batch', 1, 1);
  const c = shapeRequest(config, 'batch', 2, 0);
  assert.equal(a.maxTokens, 256);
  // 512 to 1024 synthetic tokens: far longer than any chat demo prompt.
  assert.ok(text(a).length > 1500, `prompt of ${text(a).length} characters`);
  assert.notEqual(text(a), text(b));
  assert.notEqual(text(a), text(c));
  assert.equal(RAMP_SHAPES.batch.thresholds, 'batch');
});

test('realtime: short prompts and short outputs', () => {
  const config = parseConfig({ LLM_RAMP_SHAPE: 'realtime' });
  const r = shapeRequest(config, 'realtime', 3, 7);
  assert.equal(r.maxTokens, 16);
  assert.ok(text(r).length < 600, `prompt of ${text(r).length} characters`);
  assert.equal(RAMP_SHAPES.realtime.thresholds, 'realtime');
});

test('LLM_MAX_TOKENS still wins over a shape default', () => {
  const config = parseConfig({ LLM_RAMP_SHAPE: 'batch', LLM_MAX_TOKENS: '40' });
  assert.equal(shapeRequest(config, 'batch', 1, 0).maxTokens, 40);
});

test('an unknown shape is refused, naming the choices', () => {
  assert.throws(
    () => rampShapeByName('video'),
    (err: unknown) => err instanceof ConfigError && err.message.startsWith('invalid LLM_RAMP_SHAPE; expected one of chat, batch, realtime, got "video"'),
  );
});

test('the LLM_RAMP_SHAPE description names every shape', () => {
  for (const name of Object.keys(RAMP_SHAPES)) assert.match(VARIABLES.LLM_RAMP_SHAPE?.description ?? '', new RegExp(`\\b${name}\\b`));
});
