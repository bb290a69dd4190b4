// Which variables apply to which workload: every variable × workload of the
// table (src/variables.ts) is accepted where it applies and refused, in one
// line naming the variable, the workload and where it applies, everywhere
// else; the conditional rules (a knob another knob makes do nothing); the
// facts the rules restate, checked against the workloads' own defaults; and
// the configuration reference's tables (docs/configuration.md, generated from
// KNOBS), which state each variable's scope.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { RAMP_SHAPES } from '../../src/ramp/shapes.ts';
import { KNOBS as VARIABLES } from '../../src/config/config.ts';
import { WORKLOAD_NAMES, type WorkloadName } from '../../src/config/knob.ts';
import { AVAILABILITY_DEFAULTS } from '../../src/workloads/availability.ts';
import { BATCH_DEFAULTS } from '../../src/workloads/batch.ts';
import { CHAT_DEFAULTS, chatIsOpen } from '../../src/workloads/chat.ts';
import { COLDSTART_DEFAULTS } from '../../src/workloads/coldstart.ts';
import { REALTIME_DEFAULTS } from '../../src/workloads/realtime.ts';
import { parseWorkloadConfig, syntheticByDefault } from '../../src/config/scope.ts';

const SECRET_HEX = '0123456789abcdef0123456789abcdef';

/** A valid value of every variable, and what else must be set for it to do something (where that is workload-independent). */
const VALUE: Record<string, { value: string; with?: Record<string, string> }> = {
  LLM_BASE_URL: { value: 'http://127.0.0.1:9/v1' },
  LLM_MODEL: { value: 'm' },
  LLM_API_KEY: { value: 'sk-test-not-echoed' },
  LLM_PROTOCOL: { value: 'openai-chat' },
  LLM_DURATION: { value: '10s' },
  LLM_VUS: { value: '3' },
  LLM_MAX_TOKENS: { value: '40' },
  LLM_STREAM: { value: 'false' },
  LLM_TIMEOUT: { value: '5s' },
  LLM_STALL_TIMEOUT: { value: '2s' },
  LLM_TRANSPORT: { value: 'meter' },
  LLM_METER_URL: { value: `http://k6llm:${SECRET_HEX}@127.0.0.1:4000` },
  LLM_OUT_DIR: { value: 'out' },
  LLM_SUMMARY_JSON: { value: 'out/s.json' },
  LLM_PROMPT: { value: 'Say hi' },
  LLM_THINK_TIME: { value: '1s' },
  LLM_USERS_PER_VU: { value: '4' },
  LLM_LAG_WARN_MS: { value: '3' },
  LLM_INSECURE_TLS: { value: 'true' },
  LLM_IDLE: { value: '1s' },
  LLM_PROBES: { value: '2' },
  LLM_WARM_REQUESTS: { value: '2' },
  LLM_MAX_RETRIES: { value: '1' },
  LLM_RETRY_BACKOFF: { value: '100ms' },
  LLM_RETRY_MAX_WAIT: { value: '1s' },
  LLM_WINDOW: { value: '5s' },
  LLM_RATE: { value: '2' },
  LLM_ARRIVAL: { value: 'constant' },
  LLM_BURSTINESS: { value: '0.5', with: { LLM_ARRIVAL: 'gamma' } },
  LLM_RAMP_FROM: { value: '1', with: { LLM_ARRIVAL: 'linear' } },
  LLM_SEED: { value: '7' },
  LLM_DATASET: { value: '/tmp/prompts.jsonl' },
  LLM_TOOLS: { value: '/tmp/tools.json' },
  LLM_TRACE: { value: '/tmp/trace.jsonl' },
  LLM_PROMPT_TOKENS: { value: '100' },
  LLM_SHARED_PREFIX: { value: '0.5', with: { LLM_PROMPT_TOKENS: '100' } },
  LLM_IMAGES: { value: 'list:0,1,2' },
  LLM_IMAGE_SIZE: { value: 'uniform:256:1024', with: { LLM_IMAGES: '1' } },
  LLM_IGNORE_EOS: { value: 'true' },
  LLM_TURNS: { value: '2' },
  LLM_MAX_LAG: { value: '2s', with: { LLM_RATE: '1' } },
  LLM_SCHEDULE_LAG_WARN_MS: { value: '50', with: { LLM_RATE: '1' } },
  LLM_BATCH_SIZE: { value: '8' },
  LLM_INPUTS_PER_REQUEST: { value: '4', with: { LLM_PROTOCOL: 'openai-embeddings' } },
  LLM_MIX: { value: 'chat=1,realtime=2,batch=1' },
  LLM_THRESHOLDS: { value: 'none' },
  LLM_TIMING_FLAG_MS: { value: '2' },
  LLM_LEVELS: { value: '1,2,4' },
  LLM_RAMP_BY: { value: 'rate' },
  LLM_LEVEL_DURATION: { value: '20s' },
  LLM_WARMUP: { value: '5s' },
  LLM_STOP_ERROR_RATE: { value: 'off' },
  LLM_STOP_TTFT_FACTOR: { value: '3' },
  LLM_SATURATION_GAIN: { value: '10%' },
  LLM_RAMP_SHAPE: { value: 'batch' },
  LLM_RAMP_MAX_VUS: { value: '50', with: { LLM_RAMP_BY: 'rate' } },
};

function refusal(env: Record<string, string>, workload: WorkloadName): ConfigError | null {
  try {
    parseWorkloadConfig(env, workload);
    return null;
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
}

describe('the variable × workload table', () => {
  it('gives a test value to every variable', () => {
    assert.deepEqual(Object.keys(VALUE).sort(), Object.keys(VARIABLES).sort());
  });

  for (const [name, spec] of Object.entries(VARIABLES)) {
    for (const workload of WORKLOAD_NAMES) {
      const applies = spec.workloads.includes(workload);
      it(`${name} ${applies ? 'applies to' : 'is refused for'} ${workload}`, () => {
        const { value, with: companions = {} } = VALUE[name] as { value: string; with?: Record<string, string> };
        // Companions only where the variable applies (elsewhere it alone is refused), and only those that apply themselves.
        const given = applies ? Object.entries(companions).filter(([c]) => VARIABLES[c]?.workloads.includes(workload)) : [];
        const env = { ...Object.fromEntries(given), [name]: value };
        const err = refusal(env, workload);
        if (applies) {
          assert.equal(err?.message, undefined);
          return;
        }
        assert.ok(err, `${name} was accepted for ${workload}`);
        assert.equal(err.variable, name);
        assert.equal(err.type, 'invalid-value');
        assert.ok(err.message.startsWith(`invalid ${name} for workload ${workload}; it applies to `), err.message);
        assert.ok(!err.message.includes('\n'));
      });
    }
  }

  it('has the exact one-line message', () => {
    assert.equal(refusal({ LLM_LEVELS: '1,2,4' }, 'chat')?.message, 'invalid LLM_LEVELS for workload chat; it applies to ramp only, got "1,2,4"');
    assert.equal(
      refusal({ LLM_RATE: '2' }, 'mixed')?.message,
      'invalid LLM_RATE for workload mixed; it applies to chat, realtime, batch and availability only, got "2"',
    );
    assert.equal(refusal({ LLM_DURATION: '1m' }, 'coldstart')?.message, 'invalid LLM_DURATION for workload coldstart; it applies to chat, realtime, batch, mixed and availability only, got "1m"');
  });

  it('refuses before parsing nothing else: a bad value is still the value error', () => {
    assert.match(refusal({ LLM_LEVELS: '2,1' }, 'ramp')?.message ?? '', /^invalid LLM_LEVELS; expected a comma list/);
  });

  it('a workload k6-llm does not know gets the value checks only', () => {
    assert.equal(parseWorkloadConfig({ LLM_LEVELS: '1,2' }, 'my-script').ramp.levels.length, 2);
  });
});

describe('knobs another knob makes do nothing', () => {
  const cases: Array<[WorkloadName, Record<string, string>, string]> = [
    ['realtime', { LLM_BURSTINESS: '0.5' }, 'invalid LLM_BURSTINESS for workload realtime; it applies with LLM_ARRIVAL=gamma or linear only, got "0.5"'],
    ['chat', { LLM_ARRIVAL: 'poisson', LLM_BURSTINESS: '2' }, 'invalid LLM_BURSTINESS for workload chat; it applies with LLM_ARRIVAL=gamma or linear only'],
    ['realtime', { LLM_ARRIVAL: 'gamma', LLM_RAMP_FROM: '1' }, 'invalid LLM_RAMP_FROM for workload realtime; it applies with LLM_ARRIVAL=linear only'],
    ['ramp', { LLM_RAMP_MAX_VUS: '10' }, 'invalid LLM_RAMP_MAX_VUS for workload ramp; it applies with LLM_RAMP_BY=rate only'],
    ['chat', { LLM_MAX_LAG: '2s' }, 'invalid LLM_MAX_LAG for workload chat; it applies to scheduled arrivals only (chat as an open model: set LLM_RATE or LLM_ARRIVAL)'],
    ['chat', { LLM_SCHEDULE_LAG_WARN_MS: '50' }, 'invalid LLM_SCHEDULE_LAG_WARN_MS for workload chat; it applies to scheduled arrivals only'],
    ['batch', { LLM_SCHEDULE_LAG_WARN_MS: '50' }, 'invalid LLM_SCHEDULE_LAG_WARN_MS for workload batch; it applies to a paced batch only (set LLM_RATE)'],
    ['batch', { LLM_ARRIVAL: 'poisson' }, 'invalid LLM_ARRIVAL for workload batch; it applies to batch as constant only (batch is paced by LLM_RATE), got "poisson"'],
    ['chat', { LLM_SHARED_PREFIX: '0.5' }, 'invalid LLM_SHARED_PREFIX for workload chat; it applies to synthetic prompts only (set LLM_PROMPT_TOKENS: chat sends the demo prompts by default)'],
    ['coldstart', { LLM_SHARED_PREFIX: '0.5' }, 'invalid LLM_SHARED_PREFIX for workload coldstart; it applies to synthetic prompts only (set LLM_PROMPT_TOKENS'],
    ['availability', { LLM_SHARED_PREFIX: '0.5' }, 'invalid LLM_SHARED_PREFIX for workload availability; it applies to synthetic prompts only'],
    ['ramp', { LLM_SHARED_PREFIX: '0.5' }, 'invalid LLM_SHARED_PREFIX for workload ramp; it applies to synthetic prompts only'],
    ['realtime', { LLM_SHARED_PREFIX: '0.5', LLM_PROMPT: 'hi' }, 'invalid LLM_SHARED_PREFIX for workload realtime; it applies to synthetic prompts only (not with LLM_PROMPT or LLM_DATASET)'],
    ['realtime', { LLM_TRACE: '/t.jsonl', LLM_RATE: '3' }, 'invalid LLM_RATE for workload realtime; it applies without LLM_TRACE only (the trace gives every request its time and lengths), got "3"'],
    ['chat', { LLM_TRACE: '/t.jsonl', LLM_TURNS: '3' }, 'invalid LLM_TURNS for workload chat; it applies without LLM_TRACE only'],
    ['chat', { LLM_TRACE: '/t.jsonl', LLM_DATASET: '/d.jsonl' }, 'invalid LLM_DATASET for workload chat; it applies without LLM_TRACE only'],
    ['realtime', { LLM_TRACE: '/t.jsonl', LLM_MAX_TOKENS: '9' }, 'invalid LLM_MAX_TOKENS for workload realtime; it applies without LLM_TRACE only'],
    // Embeddings are one body per request: a batch job only, and no knob of generated output.
    ...(['chat', 'realtime', 'mixed', 'coldstart', 'availability', 'ramp'] as const).map(
      (w): [WorkloadName, Record<string, string>, string] => [
        w,
        { LLM_PROTOCOL: 'openai-embeddings' },
        `invalid LLM_PROTOCOL for workload ${w}; it applies as openai-embeddings to batch only (embeddings are not streamed, so TTFT and ITL do not apply), got "openai-embeddings"`,
      ],
    ),
    ['ramp', { LLM_PROTOCOL: 'openai-embeddings', LLM_RAMP_SHAPE: 'batch', LLM_STREAM: 'false' }, 'invalid LLM_PROTOCOL for workload ramp; it applies as openai-embeddings to batch only'],
    ['batch', { LLM_INPUTS_PER_REQUEST: '4' }, 'invalid LLM_INPUTS_PER_REQUEST for workload batch; it applies with LLM_PROTOCOL=openai-embeddings only, got "4"'],
    ['batch', { LLM_PROTOCOL: 'openai-embeddings', LLM_STREAM: 'true' }, 'invalid LLM_STREAM for workload batch; it applies as false only with LLM_PROTOCOL=openai-embeddings (embeddings are not streamed), got "true"'],
    ['batch', { LLM_PROTOCOL: 'openai-embeddings', LLM_MAX_TOKENS: '16' }, 'invalid LLM_MAX_TOKENS for workload batch; it applies to generation protocols only (LLM_PROTOCOL=openai-embeddings generates no tokens), got "16"'],
    ['batch', { LLM_PROTOCOL: 'openai-embeddings', LLM_IGNORE_EOS: 'true' }, 'invalid LLM_IGNORE_EOS for workload batch; it applies to generation protocols only'],
    // Tools only where the API takes them; ignore_eos only where OpenAI-compatible servers read it.
    ['chat', { LLM_PROTOCOL: 'tgi', LLM_TOOLS: '/t.json' }, 'invalid LLM_TOOLS for workload chat; it applies with protocols that take tools only (openai-chat, anthropic-messages and openai-responses; not tgi), got "/t.json"'],
    ['chat', { LLM_PROTOCOL: 'openai-completions', LLM_TOOLS: '/t.json' }, 'invalid LLM_TOOLS for workload chat; it applies with protocols that take tools only'],
    ['batch', { LLM_PROTOCOL: 'openai-embeddings', LLM_STREAM: 'false', LLM_TOOLS: '/t.json' }, 'invalid LLM_TOOLS for workload batch; it applies with protocols that take tools only'],
    ['chat', { LLM_PROTOCOL: 'anthropic-messages', LLM_IGNORE_EOS: 'true' }, 'invalid LLM_IGNORE_EOS for workload chat; it applies with LLM_PROTOCOL=openai-chat or openai-completions only (vLLM, SGLang), not anthropic-messages'],
    // Images only where the API takes them, and their size only with them.
    ['realtime', { LLM_PROTOCOL: 'openai-completions', LLM_IMAGES: '1' }, 'invalid LLM_IMAGES for workload realtime; it applies with protocols that take images only (openai-chat, anthropic-messages and openai-responses; not openai-completions), got "1"'],
    ['chat', { LLM_PROTOCOL: 'tgi', LLM_IMAGES: '2' }, 'invalid LLM_IMAGES for workload chat; it applies with protocols that take images only'],
    ['batch', { LLM_PROTOCOL: 'openai-embeddings', LLM_STREAM: 'false', LLM_IMAGES: '1' }, 'invalid LLM_IMAGES for workload batch; it applies with protocols that take images only'],
    ['chat', { LLM_IMAGE_SIZE: '256' }, 'invalid LLM_IMAGE_SIZE for workload chat; it applies with LLM_IMAGES only (the synthetic images it sizes), got "256"'],
  ];
  for (const [workload, env, message] of cases) {
    it(`${workload} ${JSON.stringify(env)}`, () => {
      const err = refusal(env, workload);
      assert.ok(err, 'accepted');
      assert.ok(err.message.startsWith(message), err.message);
    });
  }

  const accepted: Array<[WorkloadName, Record<string, string>]> = [
    ['realtime', { LLM_ARRIVAL: 'gamma', LLM_BURSTINESS: '0.5' }],
    ['mixed', { LLM_ARRIVAL: 'linear', LLM_RAMP_FROM: '1', LLM_BURSTINESS: '2' }],
    ['ramp', { LLM_RAMP_BY: 'rate', LLM_RAMP_MAX_VUS: '10' }],
    ['chat', { LLM_RATE: '1', LLM_MAX_LAG: 'none', LLM_SCHEDULE_LAG_WARN_MS: '50' }],
    ['batch', { LLM_RATE: '5', LLM_SCHEDULE_LAG_WARN_MS: '50', LLM_ARRIVAL: 'constant' }],
    ['chat', { LLM_PROMPT_TOKENS: '200', LLM_SHARED_PREFIX: '0.5' }],
    ['coldstart', { LLM_PROMPT_TOKENS: '200', LLM_SHARED_PREFIX: '0.5', LLM_IGNORE_EOS: 'true' }],
    ['realtime', { LLM_SHARED_PREFIX: '0.5' }],
    ['ramp', { LLM_RAMP_SHAPE: 'batch', LLM_SHARED_PREFIX: '0.5' }],
    ['realtime', { LLM_TRACE: '/t.jsonl', LLM_SHARED_PREFIX: '0.2', LLM_ARRIVAL: 'trace' }],
    ['ramp', { LLM_DATASET: '/d.jsonl', LLM_IGNORE_EOS: 'true' }],
    ['batch', { LLM_PROTOCOL: 'openai-embeddings', LLM_INPUTS_PER_REQUEST: '32', LLM_STREAM: 'false', LLM_RATE: '2', LLM_DATASET: '/d.jsonl' }],
    ['chat', { LLM_TOOLS: '/t.json' }],
    ['realtime', { LLM_PROTOCOL: 'anthropic-messages', LLM_TOOLS: '/t.json' }],
    ['batch', { LLM_PROTOCOL: 'openai-responses', LLM_TOOLS: '/t.json' }],
    ['chat', { LLM_PROTOCOL: 'openai-completions', LLM_IGNORE_EOS: 'true' }],
    // An empty value is unset.
    ['chat', { LLM_LEVELS: '', LLM_WINDOW: '' }],
  ];
  for (const [workload, env] of accepted) {
    it(`${workload} accepts ${JSON.stringify(env)}`, () => assert.equal(refusal(env, workload), null));
  }

  it('never echoes a secret', () => {
    for (const workload of WORKLOAD_NAMES) {
      const err = refusal({ LLM_API_KEY: 'sk-test-not-echoed', LLM_LEVELS: '1', LLM_WINDOW: '1s' }, workload);
      assert.ok(!err?.message.includes('sk-test-not-echoed'));
    }
  });
});

describe('an embeddings protocol', () => {
  it('is not streamed unless asked (and LLM_STREAM=true is refused above)', () => {
    assert.equal(parseWorkloadConfig({ LLM_PROTOCOL: 'openai-embeddings' }, 'batch').request.stream, false);
    assert.equal(parseWorkloadConfig({}, 'batch').request.stream, true);
    assert.equal(parseWorkloadConfig({ LLM_PROTOCOL: 'openai-embeddings' }, 'batch').batch.inputsPerRequest, 16);
  });
});

describe('what the rules restate', () => {
  it('synthetic prompts by default exactly where a workload default has prompt lengths', () => {
    const defaults: Partial<Record<WorkloadName, { promptTokens: unknown }>> = {
      chat: CHAT_DEFAULTS,
      realtime: REALTIME_DEFAULTS,
      batch: BATCH_DEFAULTS,
      coldstart: COLDSTART_DEFAULTS,
      availability: AVAILABILITY_DEFAULTS,
    };
    for (const [workload, d] of Object.entries(defaults)) {
      assert.equal(syntheticByDefault(workload as WorkloadName, 'chat'), d.promptTokens !== null, workload);
    }
    // Mixed runs realtime and batch, whose prompts are synthetic.
    assert.equal(syntheticByDefault('mixed', 'chat'), true);
    for (const [name, shape] of Object.entries(RAMP_SHAPES)) {
      assert.equal(syntheticByDefault('ramp', name), shape.defaults.promptTokens !== null, name);
    }
  });

  it("chat is an open model exactly when chatIsOpen says so (the scheduled-arrival rules' condition)", () => {
    const envs: Record<string, string>[] = [{}, { LLM_RATE: '1' }, { LLM_ARRIVAL: 'poisson' }, { LLM_TRACE: '/t.jsonl' }];
    for (const env of envs) {
      const open = chatIsOpen(parseConfig(env));
      assert.equal(refusal({ ...env, LLM_MAX_LAG: '2s' }, 'chat') === null, open, JSON.stringify(env));
    }
  });
});

describe('LLM_ARRIVAL=ramp, the linear pattern\'s old name', () => {
  it('still runs the linear pattern, with one deprecation line', () => {
    const config = parseConfig({ LLM_ARRIVAL: 'ramp', LLM_RAMP_FROM: '1' });
    assert.equal(config.load.arrival, 'linear');
    assert.equal(config.notices.length, 1);
    assert.match(config.notices[0] as string, /^LLM_ARRIVAL=ramp is deprecated: the pattern is now called linear/);
    assert.equal(refusal({ LLM_ARRIVAL: 'ramp', LLM_RAMP_FROM: '1' }, 'realtime'), null);
  });

  it('another unknown name gets the list and a did-you-mean', () => {
    assert.throws(() => parseConfig({ LLM_ARRIVAL: 'lineer' }), /^ConfigError: invalid LLM_ARRIVAL; expected one of constant, poisson, gamma, linear, trace \(did you mean linear\?\), got "lineer"$/);
  });
});

describe("the configuration reference's tables (docs/configuration.md)", () => {
  const reference = readFileSync(join(import.meta.dirname, '../../docs/configuration.md'), 'utf8');
  // | variable | CLI flag | default (pipes escaped) | applies to | meaning |
  const rows = new Map(
    [...reference.matchAll(/^\| `(LLM_[A-Z_]+)` \| [^|]* \| (?:\\\||[^|])*? \| ([a-z, ]+) \| /gm)].map((m) => [m[1] as string, m[2] as string]),
  );
  /** The column's wording: all, all but a few, or the list. */
  const scopeText = (workloads: readonly string[]): string =>
    workloads.length === WORKLOAD_NAMES.length
      ? 'all'
      : workloads.length >= 5
        ? `all but ${WORKLOAD_NAMES.filter((w) => !workloads.includes(w)).join(', ')}`
        : workloads.join(', ');

  it('lists every variable with the workloads it applies to', () => {
    assert.deepEqual([...rows.keys()].sort(), Object.keys(VARIABLES).sort());
    for (const [name, spec] of Object.entries(VARIABLES)) assert.equal(rows.get(name), scopeText(spec.workloads), name);
  });
});
