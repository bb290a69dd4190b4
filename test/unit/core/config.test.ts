// parseConfig: the documented defaults, every variable's accepted and
// rejected values, the exact "invalid X; expected Y, got Z" messages, unknown
// LLM_* variables with a did-you-mean hint, and the API key kept out of
// everything printable.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KNOBS as VARIABLES, parseConfig, redactedConfig, type Config } from '../../../src/config/config.ts';
import { summaryJsonPath } from '../../../src/config/report.ts';
import { ConfigError } from '../../../src/errors.ts';

const SECRET = 'sk-test-9f8e7d6c5b4a39281706';

/** The value at a dotted path of the config, e.g. 'endpoint.baseUrl'. */
function at(config: Config, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], config);
}

/** The ConfigError parseConfig throws for env; fails the test if it does not throw one. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('parseConfig defaults', () => {
  it('gives the documented defaults with an empty environment', () => {
    const config = parseConfig({});
    const expected: Record<string, unknown> = {
      'endpoint.baseUrl': 'http://127.0.0.1:8000/v1',
      'endpoint.model': 'mock-llm',
      'endpoint.apiKey': null,
      'endpoint.protocol': 'openai-chat',
      'load.durationMs': 30_000,
      // Unset: each workload applies its own default (src/workloads/settings.ts).
      'load.vus': null,
      'request.maxTokens': null,
      'request.stream': true,
      'endpoint.timeoutMs': 60_000,
      'endpoint.stallTimeoutMs': 30_000,
      'endpoint.transport': 'auto',
      'report.outDir': '.',
      'report.summaryJson': null,
      'prompts.prompt': null,
      'chat.thinkTime': null,
      'report.lagWarnMs': 5,
    };
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(at(config, key), value, key);
    }
  });

  it('reads an empty value as the default', () => {
    const empty = Object.fromEntries(Object.keys(VARIABLES).map((name) => [name, '']));
    assert.deepEqual(parseConfig(empty), parseConfig({}));
  });

  it('every documented default, written out, gives the same config as no variable', () => {
    const written = Object.fromEntries(Object.entries(VARIABLES).map(([name, spec]) => [name, spec.default]));
    assert.deepEqual(parseConfig(written), parseConfig({}));
  });

  it('documents every variable with an LLM_ name and a description', () => {
    for (const [name, spec] of Object.entries(VARIABLES)) {
      assert.match(name, /^LLM_[A-Z_]+$/);
      assert.ok(spec.description.length > 10, name);
    }
  });

  it('ignores variables that are not LLM_*', () => {
    const config = parseConfig({ PATH: '/usr/bin', K6_VUS: '99', HOME: '/root', llm_vus: '3', MY_LLM_VUS: '4' });
    assert.equal(config.load.vus, null);
  });
});

describe('parseConfig accepted values', () => {
  const cases: Array<[string, string, string, unknown]> = [
    ['LLM_BASE_URL', 'https://api.example.com/v1/', 'endpoint.baseUrl', 'https://api.example.com/v1'],
    ['LLM_BASE_URL', 'http://10.0.0.5:8080/v1//', 'endpoint.baseUrl', 'http://10.0.0.5:8080/v1'],
    ['LLM_BASE_URL', 'http://localhost:11434/v1', 'endpoint.baseUrl', 'http://localhost:11434/v1'],
    ['LLM_MODEL', 'meta-llama/Llama-3.1-8B-Instruct', 'endpoint.model', 'meta-llama/Llama-3.1-8B-Instruct'],
    ['LLM_API_KEY', SECRET, 'endpoint.apiKey', SECRET],
    ['LLM_PROTOCOL', 'openai-chat', 'endpoint.protocol', 'openai-chat'],
    ['LLM_DURATION', '1s', 'load.durationMs', 1000],
    ['LLM_DURATION', '1m30s', 'load.durationMs', 90_000],
    ['LLM_DURATION', '45', 'load.durationMs', 45_000],
    ['LLM_VUS', '1', 'load.vus', 1],
    ['LLM_VUS', '100000', 'load.vus', 100_000],
    ['LLM_MAX_TOKENS', '1', 'request.maxTokens', 1],
    ['LLM_MAX_TOKENS', '4096', 'request.maxTokens', 4096],
    ['LLM_STREAM', 'false', 'request.stream', false],
    ['LLM_STREAM', '0', 'request.stream', false],
    ['LLM_STREAM', 'true', 'request.stream', true],
    ['LLM_STREAM', '1', 'request.stream', true],
    ['LLM_TIMEOUT', '500ms', 'endpoint.timeoutMs', 500],
    ['LLM_TIMEOUT', '2m', 'endpoint.timeoutMs', 120_000],
    ['LLM_STALL_TIMEOUT', '1ms', 'endpoint.stallTimeoutMs', 1],
    ['LLM_STALL_TIMEOUT', '10s', 'endpoint.stallTimeoutMs', 10_000],
    ['LLM_TRANSPORT', 'meter', 'endpoint.transport', 'meter'],
    ['LLM_TRANSPORT', 'sse', 'endpoint.transport', 'sse'],
    ['LLM_OUT_DIR', 'results/run-1', 'report.outDir', 'results/run-1'],
    ['LLM_SUMMARY_JSON', 'out/summary.json', 'report.summaryJson', 'out/summary.json'],
    ['LLM_PROMPT', 'Say hi', 'prompts.prompt', 'Say hi'],
    ['LLM_LAG_WARN_MS', '0', 'report.lagWarnMs', 0],
    ['LLM_LAG_WARN_MS', '2.5', 'report.lagWarnMs', 2.5],
  ];
  for (const [name, value, key, expected] of cases) {
    it(`${name}=${JSON.stringify(value)} → ${key} ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(at(parseConfig({ [name]: value }), key), expected);
    });
  }
});

describe('parseConfig rejected values', () => {
  const cases: Array<[string, string, string]> = [
    ['LLM_BASE_URL', 'localhost:8000/v1', 'an http:// or https:// URL'],
    ['LLM_BASE_URL', 'ftp://example.com/v1', 'an http:// or https:// URL'],
    ['LLM_BASE_URL', 'http://', 'an http:// or https:// URL'],
    ['LLM_BASE_URL', 'http:///v1', 'an http:// or https:// URL'],
    ['LLM_MODEL', '   ', 'a non-empty string'],
    ['LLM_PROTOCOL', 'anthropic', 'one of openai-chat'],
    ['LLM_PROTOCOL', 'OpenAI-Chat', 'one of openai-chat'],
    ['LLM_DURATION', '0.5s', 'at least 1000 ms'],
    ['LLM_DURATION', '999ms', 'at least 1000 ms'],
    ['LLM_DURATION', 'ten seconds', 'a duration such as 500ms, 30s or 2m'],
    ['LLM_DURATION', '-30s', 'a duration'],
    ['LLM_DURATION', '1m30', 'a duration'],
    ['LLM_DURATION', '30 s', 'a duration'],
    ['LLM_VUS', '0', 'a whole number from 1 to 100000'],
    ['LLM_VUS', '-1', 'a whole number from 1 to 100000'],
    ['LLM_VUS', '1.5', 'a whole number from 1 to 100000'],
    ['LLM_VUS', 'ten', 'a whole number from 1 to 100000'],
    ['LLM_VUS', '1e3', 'a whole number from 1 to 100000'],
    ['LLM_VUS', '100001', 'a whole number from 1 to 100000'],
    ['LLM_MAX_TOKENS', '0', 'a whole number from 1 to 10000000'],
    ['LLM_MAX_TOKENS', '10000001', 'a whole number from 1 to 10000000'],
    ['LLM_MAX_TOKENS', '128 tokens', 'a whole number'],
    ['LLM_STREAM', 'yes', 'true or false'],
    ['LLM_STREAM', 'TRUE', 'true or false'],
    ['LLM_STREAM', 'on', 'true or false'],
    ['LLM_TIMEOUT', '0s', 'at least 1 ms'],
    ['LLM_TIMEOUT', 'soon', 'a duration'],
    ['LLM_STALL_TIMEOUT', '0', 'at least 1 ms'],
    ['LLM_STALL_TIMEOUT', '5 minutes', 'a duration'],
    ['LLM_TRANSPORT', 'http', 'one of auto, meter, sse'],
    ['LLM_TRANSPORT', 'Meter', 'one of auto, meter, sse'],
    ['LLM_THINK_TIME', '-1s', 'a duration'],
    ['LLM_THINK_TIME', 'a bit', 'a duration'],
    ['LLM_LAG_WARN_MS', '-1', 'a number >= 0'],
    ['LLM_LAG_WARN_MS', 'five', 'a number >= 0'],
    ['LLM_LAG_WARN_MS', 'Infinity', 'a number >= 0'],
    ['LLM_LAG_WARN_MS', '   ', 'a number >= 0'],
  ];
  for (const [name, value, expected] of cases) {
    it(`${name}=${JSON.stringify(value)} is rejected, naming the variable and the value`, () => {
      const err = configError({ [name]: value });
      assert.equal(err.name, 'ConfigError');
      assert.equal(err.type, 'invalid-value');
      assert.equal(err.variable, name);
      assert.ok(err.message.startsWith(`invalid ${name}; expected `), err.message);
      assert.ok(err.message.includes(expected), `${err.message} should say ${expected}`);
      assert.ok(err.message.endsWith(`, got ${JSON.stringify(value)}`), err.message);
    });
  }

  it('has the exact message format for a simple case', () => {
    assert.equal(configError({ LLM_VUS: '0' }).message, 'invalid LLM_VUS; expected a whole number from 1 to 100000, got "0"');
  });

  it('names the first bad variable when several are bad, in a stable order', () => {
    assert.equal(configError({ LLM_VUS: 'x', LLM_BASE_URL: 'nope' }).variable, 'LLM_BASE_URL');
  });

  it(
    'rejects a base URL with whitespace in it (a pasted trailing space would end up inside every request URL)',
    () => {
      for (const value of ['http://127.0.0.1:8000/v1 ', 'http://host/v 1']) {
        let url: string | null = null;
        try {
          url = parseConfig({ LLM_BASE_URL: value }).endpoint.baseUrl;
        } catch (err) {
          assert.ok(err instanceof ConfigError);
          continue;
        }
        assert.ok(!/\s/.test(url as string), `accepted ${JSON.stringify(url)}`);
      }
    },
  );
});

describe('parseConfig unknown variables', () => {
  const typos: Array<[string, string]> = [
    ['LLM_VU', 'LLM_VUS'],
    ['LLM_MAXTOKENS', 'LLM_MAX_TOKENS'],
    ['LLM_BASEURL', 'LLM_BASE_URL'],
    ['LLM_STREAMING', 'LLM_STREAM'],
    ['LLM_TIMOUT', 'LLM_TIMEOUT'],
    ['LLM_DURATON', 'LLM_DURATION'],
  ];
  for (const [typo, hint] of typos) {
    it(`${typo} is rejected with the hint ${hint}`, () => {
      const err = configError({ [typo]: '1' });
      assert.equal(err.type, 'unknown-value');
      assert.equal(err.variable, typo);
      assert.equal(
        err.message,
        `invalid variable ${typo}; expected one of the LLM_* variables of docs/configuration.md (did you mean ${hint}?), got an unknown name`,
      );
    });
  }

  it('LLM_FOO is rejected, with a hint', () => {
    const err = configError({ LLM_FOO: 'bar' });
    assert.equal(err.variable, 'LLM_FOO');
    assert.match(err.message, /^invalid variable LLM_FOO; expected one of the LLM_\* variables of docs\/configuration\.md \(did you mean LLM_[A-Z_]+\?\), got an unknown name$/);
  });

  it('a name far from every variable gets no hint', () => {
    const err = configError({ LLM_COMPLETELY_DIFFERENT_THING: 'x' });
    assert.equal(
      err.message,
      'invalid variable LLM_COMPLETELY_DIFFERENT_THING; expected one of the LLM_* variables of docs/configuration.md, got an unknown name',
    );
  });

  it('an unknown variable is rejected even when empty or unset', () => {
    assert.equal(configError({ LLM_FOO: '' }).variable, 'LLM_FOO');
    assert.match(configError({ LLM_FOO: undefined }).message, /got an unknown name$/);
  });

  it('an unknown variable is rejected before any value is validated', () => {
    assert.equal(configError({ LLM_VUS: 'x', LLM_FOO: '1' }).variable, 'LLM_FOO');
  });
});

describe('the API key stays secret', () => {
  it('redactedConfig replaces the key and leaves the rest', () => {
    const config = parseConfig({ LLM_API_KEY: SECRET, LLM_MODEL: 'm' });
    const redacted = redactedConfig(config);
    assert.equal(redacted.endpoint.apiKey, '[redacted]');
    assert.ok(!JSON.stringify(redacted).includes(SECRET));
    assert.ok(!JSON.stringify(redacted).includes(SECRET.slice(3, 12)));
    assert.deepEqual({ ...redacted, endpoint: { ...redacted.endpoint, apiKey: SECRET } }, config);
    assert.equal(config.endpoint.apiKey, SECRET, 'the original config keeps the key for the Authorization header');
  });

  it('redactedConfig keeps null when there is no key', () => {
    assert.equal(redactedConfig(parseConfig({})).endpoint.apiKey, null);
  });

  it('no validation error of another variable quotes the key', () => {
    for (const env of [
      { LLM_API_KEY: SECRET, LLM_VUS: 'x' },
      { LLM_API_KEY: SECRET, LLM_BASE_URL: 'nope' },
      { LLM_API_KEY: SECRET, LLM_FOO: '1' },
    ]) {
      assert.ok(!configError(env).message.includes(SECRET));
    }
  });

  it(
    'a misspelt key variable does not print the key in the error',
    () => {
      for (const name of ['LLM_API_KY', 'LLM_APIKEY', 'LLM_API_TOKEN', 'LLM_KEY']) {
        const err = configError({ [name]: SECRET });
        assert.ok(!err.message.includes(SECRET), err.message);
      }
    },
  );
});

describe('summaryJsonPath', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{}, './llm-summary.json'],
    [{ LLM_OUT_DIR: 'results' }, 'results/llm-summary.json'],
    [{ LLM_OUT_DIR: 'results///' }, 'results/llm-summary.json'],
    [{ LLM_OUT_DIR: '/tmp/run/' }, '/tmp/run/llm-summary.json'],
    [{ LLM_OUT_DIR: 'results', LLM_SUMMARY_JSON: 'elsewhere/s.json' }, 'elsewhere/s.json'],
  ];
  for (const [env, path] of cases) {
    it(`${JSON.stringify(env)} → ${path}`, () => assert.equal(summaryJsonPath(parseConfig(env).report), path));
  }
});

describe('LLM_METER_URL', () => {
  const SECRET_HEX = '0123456789abcdef0123456789abcdef';
  it('splits the line the meter prints into address and secret', () => {
    assert.deepEqual(parseConfig({ LLM_METER_URL: `http://k6llm:${SECRET_HEX}@127.0.0.1:40123` }).endpoint.meter, { baseUrl: 'http://127.0.0.1:40123', secret: SECRET_HEX });
    assert.deepEqual(parseConfig({ LLM_METER_URL: `http://k6llm:${SECRET_HEX}@[::1]:8` }).endpoint.meter, { baseUrl: 'http://[::1]:8', secret: SECRET_HEX });
    assert.equal(parseConfig({}).endpoint.meter, null);
  });

  it('refuses anything else, loopback only, without echoing the value', () => {
    for (const value of [
      `http://127.0.0.1:40123`,
      `http://k6llm:${SECRET_HEX}@10.0.0.5:40123`,
      `http://k6llm:${SECRET_HEX}@example.com:40123`,
      `https://k6llm:${SECRET_HEX}@127.0.0.1:40123`,
      `http://k6llm:short@127.0.0.1:40123`,
      `http://k6llm:${SECRET_HEX}@127.0.0.1:70000`,
    ]) {
      const err = configError({ LLM_METER_URL: value });
      assert.equal(err.variable, 'LLM_METER_URL');
      assert.match(err.message, /^invalid LLM_METER_URL; expected the line the meter prints/);
      assert.ok(!err.message.includes(SECRET_HEX), err.message);
    }
  });

  it('keeps the secret out of the printable config', () => {
    const config = parseConfig({ LLM_METER_URL: `http://k6llm:${SECRET_HEX}@127.0.0.1:40123` });
    assert.ok(!JSON.stringify(redactedConfig(config)).includes(SECRET_HEX));
  });
});
