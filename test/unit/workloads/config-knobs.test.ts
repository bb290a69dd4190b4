// The workload knobs of parseConfig: defaults, overrides, and errors that
// name the variable before any load is sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../src/config/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { planConversation, CHAT_DEFAULTS } from '../../../src/workloads/chat.ts';
import { REALTIME_DEFAULTS } from '../../../src/workloads/realtime.ts';
import { resolveSettings } from '../../../src/workloads/settings.ts';

describe('workload configuration', () => {
  it('leaves per-workload knobs to the workload when unset', () => {
    const c = parseConfig({});
    assert.equal(c.load.rate, null);
    assert.equal(c.load.arrival, null);
    assert.equal(c.load.vus, null);
    const s = resolveSettings(c, 'realtime', REALTIME_DEFAULTS);
    assert.equal(s.rate, 4);
    assert.equal(s.arrival, 'poisson');
    assert.equal(s.maxTokens, 16);
    assert.deepEqual(c.mix.rates, { chat: 0.5, realtime: 4, batch: 4 });
    assert.equal(c.load.maxLagMs, 1000);
  });

  it('reads every workload knob', () => {
    const c = parseConfig({
      LLM_RATE: '12.5',
      LLM_ARRIVAL: 'gamma',
      LLM_BURSTINESS: '0.25',
      LLM_SEED: '42',
      LLM_PROMPT_TOKENS: 'normal:200:50:100:300',
      LLM_SHARED_PREFIX: '0.5',
      LLM_IGNORE_EOS: 'true',
      LLM_TURNS: '3',
      LLM_THINK_TIME: 'exp:2s',
      LLM_MAX_LAG: 'none',
      LLM_MIX: 'realtime=10,batch=0',
    });
    assert.equal(c.load.rate, 12.5);
    assert.equal(c.load.arrival, 'gamma');
    assert.equal(c.load.burstiness, 0.25);
    assert.equal(c.load.seed, 42);
    assert.equal(c.prompts.sharedPrefix, 0.5);
    assert.equal(c.request.ignoreEos, true);
    assert.equal(c.load.maxLagMs, Infinity);
    assert.deepEqual(c.chat.thinkTime, { kind: 'exp', mean: 2000, max: 20000 });
    assert.deepEqual(c.mix.rates, { chat: 0.5, realtime: 10, batch: 0 });
  });

  it('LLM_TRACE implies the trace pattern', () => {
    assert.equal(parseConfig({ LLM_TRACE: '/tmp/t.jsonl' }).load.arrival, 'trace');
  });

  for (const [name, value, expected] of [
    ['LLM_RATE', '-3', 'a number > 0'],
    ['LLM_RATE', '0', 'a number > 0'],
    ['LLM_ARRIVAL', 'bursty', 'one of constant, poisson, gamma, linear, trace'],
    ['LLM_BURSTINESS', '0', 'a number > 0'],
    ['LLM_BURSTINESS', '-1', 'a number > 0'],
    ['LLM_SHARED_PREFIX', '1.5', 'a number from 0 to 1'],
    ['LLM_MAX_LAG', 'soon', 'a duration'],
    ['LLM_MIX', 'chat=fast', 'workload=rate pairs'],
    ['LLM_MIX', 'batch=1.5', 'workload=rate pairs'],
    ['LLM_THINK_TIME', 'uniform:3s', 'a duration such as 2s (fixed), uniform:MIN:MAX'],
    ['LLM_SEED', 'abc', 'a whole number'],
    ['LLM_BATCH_SIZE', '0', 'a whole number from 1'],
  ] as const) {
    it(`rejects ${name}=${value}, naming it`, () => {
      assert.throws(
        () => parseConfig({ [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(`invalid ${name}; expected ${expected}`),
      );
    });
  }

  it('trace needs a file, and a trace needs the trace pattern', () => {
    assert.throws(() => parseConfig({ LLM_ARRIVAL: 'trace' }), /invalid LLM_TRACE; expected a JSONL trace file/);
    assert.throws(() => parseConfig({ LLM_ARRIVAL: 'poisson', LLM_TRACE: 't.jsonl' }), /invalid LLM_ARRIVAL; expected trace/);
  });

  it('plans conversations deterministically within the turn and think-time distributions', () => {
    const s = resolveSettings(parseConfig({ LLM_THINK_TIME: 'uniform:1s:3s' }), 'chat', CHAT_DEFAULTS);
    for (let id = 0; id < 200; id++) {
      const plan = planConversation(s, id);
      assert.deepEqual(plan, planConversation(s, id));
      assert.ok(plan.turns >= 2 && plan.turns <= 4);
      assert.equal(plan.thinkMs.length, plan.turns - 1);
      assert.ok(plan.thinkMs.every((t) => t >= 1000 && t <= 3000));
    }
  });
});
