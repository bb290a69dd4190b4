// The pure classification helpers of request-record.ts and the decode
// figures shared by streamed and non-streamed requests.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifySseErrorText,
  decodeInto,
  emptyRecord,
  ERROR_KINDS,
  statusErrorKind,
  transportErrorKind,
  type TransportErrorKind,
} from '../../../src/measure/request-record.ts';

describe('statusErrorKind', () => {
  const cases: Array<[number, string | null]> = [
    [200, null],
    [201, null],
    [204, null],
    [299, null],
    [429, 'http_429'],
    [400, 'http_4xx'],
    [401, 'http_4xx'],
    [404, 'http_4xx'],
    [413, 'http_4xx'],
    [499, 'http_4xx'],
    [500, 'http_5xx'],
    [502, 'http_5xx'],
    [503, 'http_5xx'],
    [599, 'http_5xx'],
    [100, 'http_other'],
    [199, 'http_other'],
    [301, 'http_other'],
    [600, 'http_other'],
  ];
  for (const [status, kind] of cases) {
    it(`${status} → ${kind}`, () => assert.equal(statusErrorKind(status), kind));
  }
});

describe('transportErrorKind', () => {
  const cases: Array<[TransportErrorKind, string]> = [
    ['timeout', 'timeout'],
    ['stall', 'stall'],
    ['connect', 'connect'],
    ['reset', 'truncated'],
    ['canceled', 'interrupted'],
    ['request', 'request'],
  ];
  for (const [error, kind] of cases) {
    it(`${error} → ${kind}`, () => assert.equal(transportErrorKind(error), kind));
  }

  it('every kind it returns is a listed ErrorKind', () => {
    for (const [error] of cases) assert.ok(ERROR_KINDS.includes(transportErrorKind(error)));
  });
});

describe('ERROR_KINDS', () => {
  it('lists every kind of the contract once', () => {
    for (const kind of [
      'http_429',
      'http_4xx',
      'http_5xx',
      'timeout',
      'stall',
      'connect',
      'truncated',
      'malformed',
      'stream_error',
      'empty',
      'interrupted',
    ]) {
      assert.ok((ERROR_KINDS as readonly string[]).includes(kind), kind);
    }
    assert.equal(new Set(ERROR_KINDS).size, ERROR_KINDS.length);
  });
});

/** The decode figures decodeInto sets on a record. */
function decodeFigures(ttftMs: number | null, e2eMs: number | null, outputTokens: number): { tpotMs: number | null; outputTokensPerSecond: number | null } {
  const record = emptyRecord({ status: 200, headersMs: null, endMs: 0, error: null }, 0);
  decodeInto(record, ttftMs, e2eMs, outputTokens);
  return { tpotMs: record.tpotMs, outputTokensPerSecond: record.outputTokensPerSecond };
}

describe('decodeInto', () => {
  it('TPOT = (E2E − TTFT) / (n − 1) and tokens/s = (n − 1) / decode seconds', () => {
    assert.deepEqual(decodeFigures(200, 300, 5), { tpotMs: 25, outputTokensPerSecond: 40 });
    assert.deepEqual(decodeFigures(100, 280, 10), { tpotMs: 20, outputTokensPerSecond: 50 });
    assert.deepEqual(decodeFigures(0, 1000, 2), { tpotMs: 1000, outputTokensPerSecond: 1 });
  });

  it('is null with fewer than two tokens, no token, or no decode time', () => {
    const none = { tpotMs: null, outputTokensPerSecond: null };
    assert.deepEqual(decodeFigures(200, 300, 1), none);
    assert.deepEqual(decodeFigures(200, 300, 0), none);
    assert.deepEqual(decodeFigures(null, null, 5), none);
    assert.deepEqual(decodeFigures(200, null, 5), none);
    assert.deepEqual(decodeFigures(200, 200, 5), none);
  });
});

describe('classifySseErrorText', () => {
  const cases: Array<[string, number, TransportErrorKind]> = [
    ['context canceled', 200, 'canceled'],
    ['Post "http://x/v1/chat/completions": context canceled', 0, 'canceled'],
    ['request timeout', 200, 'timeout'],
    ['context deadline exceeded (Client.Timeout exceeded while awaiting headers)', 0, 'timeout'],
    ['i/o TIMEOUT', 200, 'timeout'],
    ['dial tcp 127.0.0.1:8000: connect: connection refused', 0, 'connect'],
    ['unexpected EOF', 200, 'reset'],
    ['read: connection reset by peer', 200, 'reset'],
  ];
  for (const [text, status, kind] of cases) {
    it(`${JSON.stringify(text)} with status ${status} → ${kind}`, () => assert.equal(classifySseErrorText(text, status), kind));
  }
});
