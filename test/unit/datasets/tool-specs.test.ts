// Tools from LLM_TOOLS and dataset lines: the three shapes users have, bad
// input refused with the place named, protocols without tools refusing a
// dataset that carries them, and requests offering the right tools.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../src/config/config.ts';
import { parseDataset, refuseDatasetTools } from '../../../src/datasets/prompt-dataset.ts';
import { parseTools, parseToolsFile } from '../../../src/datasets/tool-specs.ts';
import { ConfigError } from '../../../src/errors.ts';
import { anthropicMessages } from '../../../src/protocols/anthropic-messages.ts';
import { openaiResponses } from '../../../src/protocols/openai-responses.ts';
import { promptSourceFor, shapeOf } from '../support/prompts.ts';
import { resolveSettings } from '../../../src/workloads/settings.ts';

const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const weather = { name: 'get_weather', description: 'Weather of a city', parameters: schema };

describe('parseTools', () => {
  it('reads the OpenAI chat, Responses and Anthropic shapes into one neutral form', () => {
    assert.deepEqual(parseTools([{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: schema } }], 'X', 'x'), [weather]);
    assert.deepEqual(parseTools([{ type: 'function', name: 'get_weather', description: 'Weather of a city', parameters: schema }], 'X', 'x'), [weather]);
    assert.deepEqual(parseTools([{ name: 'get_weather', description: 'Weather of a city', input_schema: schema }], 'X', 'x'), [weather]);
    assert.deepEqual(parseTools({ tools: [{ name: 'now' }] }, 'X', 'x'), [{ name: 'now', parameters: { type: 'object', properties: {} } }]);
  });

  const bad: Array<[string, unknown, string]> = [
    ['not a list', 'get_weather', 'expected a list of tools'],
    ['an empty list', [], '(at least one)'],
    ['a tool without a name', [{ parameters: schema }], 'tools[0] with a name'],
    ['a name with spaces', [{ name: 'get weather' }], 'tools[0] with a name'],
    ['parameters that are not an object', [{ name: 'f', parameters: 'none' }], 'tools[0].parameters (or input_schema) as a JSON Schema object'],
    ['a description that is not a string', [{ name: 'f', description: 3 }], 'tools[0].description as a string'],
  ];
  for (const [name, value, expected] of bad) {
    it(`refuses ${name}, naming the source`, () => {
      assert.throws(
        () => parseTools(value, 'LLM_TOOLS', 'LLM_TOOLS file /t.json'),
        (e: unknown) => e instanceof ConfigError && e.variable === 'LLM_TOOLS' && e.message.startsWith('invalid LLM_TOOLS file /t.json; expected') && e.message.includes(expected),
      );
    });
  }

  it('refuses a tools file that is not JSON in one line', () => {
    assert.throws(() => parseToolsFile('[{name: f}]', '/t.json'), /^ConfigError: invalid LLM_TOOLS file \/t\.json; expected JSON/);
  });
});

describe('dataset lines with tools', () => {
  const text = `{"prompt": "Weather in Paris?", "tools": [{"name": "get_weather", "input_schema": ${JSON.stringify(schema)}}]}\n{"prompt": "Hi"}\n`;

  it('keep their tools; a line without keeps none', () => {
    const items = parseDataset(text, 'd.jsonl');
    assert.deepEqual(items[0]?.tools, [{ name: 'get_weather', parameters: schema }]);
    assert.equal(items[1]?.tools, undefined);
  });

  it('name the line of bad tools', () => {
    assert.throws(() => parseDataset('{"prompt": "x"}\n{"prompt": "y", "tools": 5}\n', 'd.jsonl'), /invalid dataset d\.jsonl at line 2: "tools"; expected a list of tools/);
  });

  it('are refused with a protocol that takes no tools', () => {
    const items = parseDataset(text, 'd.jsonl');
    assert.equal(refuseDatasetTools(items, 'd.jsonl', 'anthropic-messages'), items);
    assert.throws(() => refuseDatasetTools(items, 'd.jsonl', 'tgi'), /invalid dataset d\.jsonl for LLM_PROTOCOL=tgi; expected no "tools"/);
  });
});

describe('requests offer tools', () => {
  const config = parseConfig({ LLM_TOOLS: '/t.json', LLM_PROTOCOL: 'anthropic-messages' });
  const settings = resolveSettings(config, 'chat', { vus: 1, maxTokens: 8, rate: 1, arrival: 'constant', promptTokens: null, turns: { kind: 'fixed', value: 1 }, thinkTime: { kind: 'fixed', value: 0 } });

  it('from LLM_TOOLS, unless the dataset line has its own', () => {
    const dataset = parseDataset(`{"prompt": "a", "tools": [{"name": "own"}]}\n{"prompt": "b"}\n`, 'd.jsonl');
    const prompts = promptSourceFor(config, settings, dataset, [weather]);
    const shape = shapeOf(config, settings);
    assert.deepEqual(prompts.request(0, shape).tools?.map((t) => t.name), ['own']);
    assert.deepEqual(prompts.request(1, shape).tools, [weather]);
    assert.equal(promptSourceFor(config, settings).request(0, shape).tools, undefined);
  });

  it('in each protocol\'s own shape on the wire', () => {
    const request = { model: 'm', ...promptSourceFor(config, settings, null, [weather]).request(0, shapeOf(config, settings)) };
    assert.deepEqual((JSON.parse(anthropicMessages.buildBody(request)) as { tools: unknown }).tools, [{ name: 'get_weather', description: 'Weather of a city', input_schema: schema }]);
    assert.deepEqual((JSON.parse(openaiResponses.buildBody(request)) as { tools: unknown }).tools, [{ type: 'function', name: 'get_weather', description: 'Weather of a city', parameters: schema }]);
  });
});
