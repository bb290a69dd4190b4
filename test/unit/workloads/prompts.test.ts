// Length distributions, synthetic prompts, datasets and traces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTrace } from '../../../src/arrivals/trace.ts';
import { parseDataset } from '../../../src/datasets/prompt-dataset.ts';
import { parseDistribution, sample, TOKENS } from '../../../src/distribution.ts';
import { ConfigError } from '../../../src/errors.ts';
import { seededRandom } from '../../../src/random.ts';
import { conversationPrompt, syntheticPrompt } from '../../../src/workloads/synthetic-prompt.ts';

const words = (text: string): number => text.split(' ').length;

describe('length distributions', () => {
  it('parses fixed, uniform, normal (with bounds), exp and list', () => {
    assert.deepEqual(parseDistribution('X', '512', TOKENS), { kind: 'fixed', value: 512 });
    assert.deepEqual(parseDistribution('X', 'uniform:100:500', TOKENS), { kind: 'uniform', min: 100, max: 500 });
    assert.deepEqual(parseDistribution('X', 'normal:500:100:50:900', TOKENS), { kind: 'normal', mean: 500, sd: 100, min: 50, max: 900 });
    assert.deepEqual(parseDistribution('X', 'list:1,2,3', TOKENS), { kind: 'list', values: [1, 2, 3] });
    assert.equal(parseDistribution('X', 'exp:10', TOKENS).kind, 'exp');
  });

  for (const bad of ['0', '-5', 'uniform:5', 'uniform:9:3', 'normal:10:2:20:30', 'list:', 'gauss:3:1', '1.5']) {
    it(`rejects ${JSON.stringify(bad)} naming the variable`, () => {
      assert.throws(() => parseDistribution('LLM_PROMPT_TOKENS', bad, TOKENS), (e: unknown) => e instanceof ConfigError && e.message.startsWith('invalid LLM_PROMPT_TOKENS; expected'));
    });
  }

  it('samples stay in bounds with the right mean', () => {
    const random = seededRandom(1);
    const uniform = parseDistribution('X', 'uniform:100:200', TOKENS);
    const normal = parseDistribution('X', 'normal:500:100:300:700', TOKENS);
    let sumU = 0;
    let sumN = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = sample(uniform, random, true);
      const n = sample(normal, random, true);
      assert.ok(Number.isInteger(u) && u >= 100 && u <= 200);
      assert.ok(n >= 300 && n <= 700);
      sumU += u;
      sumN += n;
    }
    assert.ok(Math.abs(sumU / 20_000 - 150) < 1.5);
    assert.ok(Math.abs(sumN / 20_000 - 500) < 5);
  });
});

describe('synthetic prompts', () => {
  it('have the requested token length (one 4-character word per token) and are deterministic', () => {
    const p = syntheticPrompt(300, 5, { seed: 1, sharedPrefix: 0 });
    assert.equal(words(p), 300);
    assert.equal(Math.ceil((p.length + 1) / 4), 300, 'the mock estimates 4 characters per token');
    assert.equal(p, syntheticPrompt(300, 5, { seed: 1, sharedPrefix: 0 }));
  });

  it('are unique per request, and share exactly the asked prefix', () => {
    const a = syntheticPrompt(100, 1, { seed: 1, sharedPrefix: 0 });
    const b = syntheticPrompt(100, 2, { seed: 1, sharedPrefix: 0 });
    assert.notEqual(a, b);
    const c = syntheticPrompt(100, 1, { seed: 1, sharedPrefix: 0.5 }).split(' ');
    const d = syntheticPrompt(100, 2, { seed: 1, sharedPrefix: 0.5 }).split(' ');
    assert.deepEqual(c.slice(0, 50), d.slice(0, 50));
    assert.notDeepEqual(c.slice(50), d.slice(50));
  });

  it('trace conversations: a longer turn starts with the earlier turn', () => {
    const first = conversationPrompt(40, 9, 1);
    const second = conversationPrompt(90, 9, 1);
    assert.ok(second.startsWith(first));
    assert.ok(!conversationPrompt(40, 10, 1).startsWith(first));
  });
});

describe('datasets (JSONL)', () => {
  it('reads prompt and messages lines, skipping blank lines', () => {
    const items = parseDataset('{"prompt": "hi"}\n\n{"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]}\n', 'd.jsonl');
    assert.deepEqual(items, [
      { messages: [{ role: 'user', content: 'hi' }] },
      { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }] },
    ]);
  });

  for (const [text, line, hint] of [
    ['{"prompt": "ok"}\n{"prompt": "broken"', 2, 'one JSON object per line'],
    ['{"prompt": "ok"}\n\n{"text": "x"}', 3, '{"prompt": "text"}'],
    ['{"messages": [{"role": "bot", "content": "x"}]}', 1, 'messages[0]'],
    ['{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}', 1, 'the last message to be the user turn'],
  ] as const) {
    it(`names the file and line ${line} of a malformed dataset`, () => {
      assert.throws(
        () => parseDataset(text, 'data/prompts.jsonl'),
        (e: unknown) => e instanceof ConfigError && e.variable === 'LLM_DATASET' && e.message.includes(`invalid dataset data/prompts.jsonl at line ${line}; expected`) && e.message.includes(hint),
      );
    });
  }
});

describe('traces (JSONL)', () => {
  it('sorts by time, starts at 0 and keeps lengths and conversation ids', () => {
    const t = parseTrace(
      '{"timestamp": 101.5, "prompt_tokens": 20, "output_tokens": 5, "conversation_id": 7}\n{"timestamp": 100, "prompt_tokens": 10, "output_tokens": 3}\n',
      't.jsonl',
    );
    assert.deepEqual(t, [
      { atMs: 0, promptTokens: 10, outputTokens: 3 },
      { atMs: 1500, promptTokens: 20, outputTokens: 5, conversation: '7' },
    ]);
  });

  it('names the file and line of a bad record', () => {
    assert.throws(() => parseTrace('{"timestamp": 1, "prompt_tokens": 10, "output_tokens": 3}\n{"timestamp": "x", "prompt_tokens": 1, "output_tokens": 1}', 'tr.jsonl'), /invalid trace file tr.jsonl at line 2; expected "timestamp"/);
    assert.throws(() => parseTrace('{"timestamp": 1, "prompt_tokens": 0, "output_tokens": 3}', 'tr.jsonl'), /line 1; expected "prompt_tokens"/);
  });
});
