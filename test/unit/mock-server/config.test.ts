// Mock server configuration: defaults, flags, MOCK_* env precedence, and the
// exact error messages users see for bad flags, env vars and JSON partials.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MOCK_CONFIG,
  MockConfigError,
  mergeMockConfig,
  parseFaultMix,
  parseMockArgs,
} from '../../../tools/mock-server/config.ts';

function parseError(argv: string[], env: Record<string, string> = {}): MockConfigError {
  try {
    parseMockArgs(argv, env);
  } catch (err) {
    assert.ok(err instanceof MockConfigError, `expected MockConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(argv)} to be rejected`);
}

function mergeError(partial: unknown): MockConfigError {
  try {
    mergeMockConfig(DEFAULT_MOCK_CONFIG, partial);
  } catch (err) {
    assert.ok(err instanceof MockConfigError, `expected MockConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(partial)} to be rejected`);
}

describe('parseMockArgs', () => {
  it('returns the documented defaults with no flags and no env', () => {
    assert.deepEqual(parseMockArgs([], {}), {
      host: '127.0.0.1',
      port: 0,
      ttftMs: 200,
      itlMs: 20,
      outputTokens: 64,
      tokensPerChunk: 1,
      jitterMs: 0,
      seed: 1,
      keepaliveEvery: 16,
      crlf: false,
      apiKey: null,
      quiet: false,
      faultRate: 0,
      faults: '429,500,502,503,reset,stall,malformed,stream_error,empty',
      retryAfterS: 1,
      faultAfterTokens: 4,
      stallMs: 5000,
      downAfterMs: 0,
      downForMs: 0,
      scaleToZeroMs: 0,
      coldStartMs: 0,
      coldStart503: false,
      keepAliveMax: 0,
      keepAliveIdleMs: 0,
      tlsCert: null,
      tlsKey: null,
      lengthControl: true,
      reasoningTokens: 0,
      reasoningField: 'reasoning_content',
      toolCalls: false,
      // The capacity model is off by default.
      slots: 0,
      prefillMsPerToken: 0,
      // No images priced, 28 × 28 pixels a token, no prefix cache.
      imageMsPerKpixel: 0,
      imagePixelsPerToken: 784,
      prefixCacheBlocks: 0,
      batchSlowdown: 0,
      maxConcurrent: 0,
    });
  });

  it('reads every flag, in both "--flag value" and "--flag=value" forms', () => {
    const config = parseMockArgs(
      [
        '--host', '0.0.0.0',
        '--port=8081',
        '--ttft-ms', '150.5',
        '--itl-ms', '7',
        '--output-tokens', '10',
        '--tokens-per-chunk=3',
        '--jitter-ms', '2',
        '--seed', '42',
        '--keepalive-every', '0',
        '--crlf',
        '--api-key', 'sk-test',
        '--quiet',
        '--fault-rate', '0.05',
        '--faults', '429:2,reset',
        '--retry-after-s', '3',
        '--fault-after-tokens=2',
        '--stall-ms', '1500',
        '--down-after-ms', '100',
        '--down-for-ms', '200',
        '--scale-to-zero-ms', '2000',
        '--cold-start-ms', '800',
        '--cold-start-503',
        '--keep-alive-max', '5',
        '--keep-alive-idle-ms=2000',
        '--tls-cert', 'c.pem',
        '--tls-key', 'k.pem',
        '--slots', '16',
        '--prefill-ms-per-token=0.5',
        '--image-ms-per-kpixel', '0.1',
        '--image-pixels-per-token', '1024',
        '--prefix-cache-blocks=4096',
        '--batch-slowdown', '0.02',
        '--max-concurrent', '64',
        '--reasoning-tokens=16',
        '--reasoning-field',
        'reasoning',
        '--tool-calls',
      ],
      {},
    );
    assert.deepEqual(config, {
      host: '0.0.0.0',
      port: 8081,
      ttftMs: 150.5,
      itlMs: 7,
      outputTokens: 10,
      tokensPerChunk: 3,
      jitterMs: 2,
      seed: 42,
      keepaliveEvery: 0,
      crlf: true,
      apiKey: 'sk-test',
      quiet: true,
      faultRate: 0.05,
      faults: '429:2,reset',
      retryAfterS: 3,
      faultAfterTokens: 2,
      stallMs: 1500,
      downAfterMs: 100,
      downForMs: 200,
      scaleToZeroMs: 2000,
      coldStartMs: 800,
      coldStart503: true,
      keepAliveMax: 5,
      keepAliveIdleMs: 2000,
      tlsCert: 'c.pem',
      tlsKey: 'k.pem',
      lengthControl: true,
      reasoningTokens: 16,
      reasoningField: 'reasoning',
      toolCalls: true,
      slots: 16,
      prefillMsPerToken: 0.5,
      imageMsPerKpixel: 0.1,
      imagePixelsPerToken: 1024,
      prefixCacheBlocks: 4096,
      batchSlowdown: 0.02,
      maxConcurrent: 64,
    });
  });

  it('reads MOCK_* environment variables', () => {
    const config = parseMockArgs([], {
      MOCK_HOST: '::1',
      MOCK_PORT: '9000',
      MOCK_TTFT_MS: '50',
      MOCK_ITL_MS: '5',
      MOCK_OUTPUT_TOKENS: '8',
      MOCK_TOKENS_PER_CHUNK: '2',
      MOCK_JITTER_MS: '1',
      MOCK_SEED: '7',
      MOCK_KEEPALIVE_EVERY: '4',
      MOCK_CRLF: 'true',
      MOCK_API_KEY: 'k',
      MOCK_QUIET: '1',
    });
    assert.equal(config.host, '::1');
    assert.equal(config.port, 9000);
    assert.equal(config.ttftMs, 50);
    assert.equal(config.itlMs, 5);
    assert.equal(config.outputTokens, 8);
    assert.equal(config.tokensPerChunk, 2);
    assert.equal(config.jitterMs, 1);
    assert.equal(config.seed, 7);
    assert.equal(config.keepaliveEvery, 4);
    assert.equal(config.crlf, true);
    assert.equal(config.apiKey, 'k');
    assert.equal(config.quiet, true);
  });

  it('treats an empty environment variable as unset', () => {
    assert.equal(parseMockArgs([], { MOCK_ITL_MS: '' }).itlMs, 20);
  });

  it('lets flags beat environment variables', () => {
    const config = parseMockArgs(['--itl-ms', '3', '--crlf=false'], { MOCK_ITL_MS: '9', MOCK_CRLF: 'true', MOCK_SEED: '5' });
    assert.equal(config.itlMs, 3);
    assert.equal(config.crlf, false);
    assert.equal(config.seed, 5, 'env still applies where no flag is given');
  });

  it('does not mutate DEFAULT_MOCK_CONFIG', () => {
    parseMockArgs(['--itl-ms', '1'], {});
    assert.equal(DEFAULT_MOCK_CONFIG.itlMs, 20);
  });

  const invalidFlags: Array<[string[], string]> = [
    [['--itl-ms', 'abc'], 'invalid --itl-ms; expected a number >= 0, got "abc"'],
    [['--reasoning-field', 'thinking'], 'invalid --reasoning-field; expected one of reasoning_content, reasoning, got "thinking"'],
    [['--ttft-ms', '-1'], 'invalid --ttft-ms; expected a number >= 0, got "-1"'],
    [['--jitter-ms', 'NaN'], 'invalid --jitter-ms; expected a number >= 0, got "NaN"'],
    [['--port', '70000'], 'invalid --port; expected an integer between 0 and 65535, got "70000"'],
    [['--port', '80.5'], 'invalid --port; expected an integer >= 0, got "80.5"'],
    [['--output-tokens', '0'], 'invalid --output-tokens; expected an integer >= 1, got "0"'],
    [['--tokens-per-chunk', '1.5'], 'invalid --tokens-per-chunk; expected an integer >= 1, got "1.5"'],
    [['--seed', '-3'], 'invalid --seed; expected an integer >= 0, got "-3"'],
    [['--keepalive-every', 'x'], 'invalid --keepalive-every; expected an integer >= 0, got "x"'],
    [['--crlf=maybe'], 'invalid --crlf; expected true or false, got "maybe"'],
    [['--host', ''], 'invalid --host; expected a non-empty host name or address, got ""'],
    [['--api-key', ' '], 'invalid --api-key; expected a non-empty string, got " "'],
    [['--itl-ms='], 'invalid --itl-ms; expected a number >= 0, got ""'],
  ];
  for (const [argv, message] of invalidFlags) {
    it(`rejects ${argv.join(' ')}`, () => {
      const err = parseError(argv);
      assert.equal(err.message, message);
      assert.equal(err.variable, argv[0]!.split('=')[0]);
    });
  }

  it('names the environment variable when an env value is invalid', () => {
    const err = parseError([], { MOCK_ITL_MS: 'abc' });
    assert.equal(err.message, 'invalid MOCK_ITL_MS; expected a number >= 0, got "abc"');
    assert.equal(err.variable, 'MOCK_ITL_MS');
  });

  it('rejects a flag whose value is missing', () => {
    assert.match(parseError(['--itl-ms']).message, /missing value for --itl-ms/);
    assert.match(parseError(['--port', '--quiet']).message, /missing value for --port/);
  });

  it('rejects an unknown flag with a "did you mean" hint when close', () => {
    assert.equal(parseError(['--itl', '5']).message, 'unknown flag --itl; did you mean --itl-ms?');
    assert.equal(parseError(['--ttft-sm', '5']).message, 'unknown flag --ttft-sm; did you mean --ttft-ms?');
    assert.equal(parseError(['--ouput-tokens=5']).message, 'unknown flag --ouput-tokens; did you mean --output-tokens?');
  });

  it('rejects an unknown flag without a hint when nothing is close', () => {
    const err = parseError(['--zzzzzzzzzz']);
    assert.match(err.message, /^unknown flag --zzzzzzzzzz/);
    assert.doesNotMatch(err.message, /did you mean/);
  });

  it('rejects positional arguments', () => {
    assert.match(parseError(['8080']).message, /unexpected argument "8080"/);
  });
});

describe('mergeMockConfig', () => {
  it('applies a partial without touching the base', () => {
    const base = { ...DEFAULT_MOCK_CONFIG };
    const merged = mergeMockConfig(base, { ttftMs: 5, crlf: true, apiKey: 'x' });
    assert.equal(merged.ttftMs, 5);
    assert.equal(merged.crlf, true);
    assert.equal(merged.apiKey, 'x');
    assert.equal(merged.itlMs, 20);
    assert.equal(base.ttftMs, 200);
    assert.equal(mergeMockConfig(merged, { apiKey: null }).apiKey, null);
  });

  it('accepts an empty partial', () => {
    assert.deepEqual(mergeMockConfig(DEFAULT_MOCK_CONFIG, {}), { ...DEFAULT_MOCK_CONFIG });
  });

  it('rejects non-objects', () => {
    for (const partial of [null, 5, 'x', [1]]) {
      assert.match(mergeError(partial).message, /^invalid config; expected a JSON object/);
    }
  });

  it('rejects wrong types and out-of-range values, naming the key', () => {
    assert.equal(mergeError({ itlMs: 'abc' }).message, 'invalid itlMs; expected a number >= 0, got "abc"');
    assert.equal(mergeError({ itlMs: '20' }).message, 'invalid itlMs; expected a number >= 0, got "20"');
    assert.equal(mergeError({ ttftMs: -5 }).message, 'invalid ttftMs; expected a number >= 0, got -5');
    assert.equal(mergeError({ outputTokens: 2.5 }).message, 'invalid outputTokens; expected an integer >= 1, got 2.5');
    assert.equal(mergeError({ crlf: 'yes' }).message, 'invalid crlf; expected true or false, got "yes"');
    assert.equal(mergeError({ apiKey: '' }).message, 'invalid apiKey; expected a non-empty string or null, got ""');
    assert.equal(mergeError({ tokensPerChunk: null }).variable, 'tokensPerChunk');
  });

  it('rejects unknown keys with a hint', () => {
    assert.equal(mergeError({ itl_ms: 5 }).message, 'unknown config key "itl_ms"; did you mean "itlMs"?');
    assert.match(mergeError({ bogusbogusbogus: 1 }).message, /expected one of host, port, ttftMs/);
  });
});

describe('fault settings', () => {
  it('normalises the fault mix and rejects unknown kinds, bad weights and rates above 1', () => {
    assert.equal(parseMockArgs(['--faults', 'reset, 429:2 ,reset'], {}).faults, 'reset:2,429:2');
    assert.deepEqual(parseFaultMix('503:2,empty'), ['503', '503', 'empty']);
    assert.match(parseError(['--faults', '418']).message, /^invalid --faults; expected fault kinds from 429, 500/);
    assert.match(parseError(['--faults', '429:0']).message, /whole-number weight from 1 to 100/);
    assert.match(parseError(['--fault-rate', '1.5']).message, /^invalid --fault-rate; expected a number between 0 and 1, got "1.5"/);
    assert.match(mergeError({ faults: 7 }).message, /^invalid faults; expected fault kinds/);
  });

  it('needs a TLS certificate and its key together', () => {
    assert.match(parseError(['--tls-cert', 'c.pem']).message, /^invalid --tls-key; expected both a TLS certificate and its key, or neither/);
    assert.match(mergeError({ tlsKey: 'k.pem' }).message, /^invalid tlsCert; expected both/);
  });
});
