import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorCause, redact, serverMessageOf } from '../../../src/measure/error-cause.ts';
import { recordFromMeter } from '../../../src/measure/meter-record.ts';
import { meterRecord } from '../support/meter-record.ts';
import { emptyRecord, failWith, type ErrorKind } from '../../../src/measure/request-record.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { causeLine } from '../../../src/summary/build.ts';

test('the server message of an error body: OpenAI, string error, FastAPI detail, plain text, HTML, empty', () => {
  assert.equal(serverMessageOf('{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error"}}'), 'Incorrect API key provided.');
  assert.equal(serverMessageOf('{"error":"model not found"}'), 'model not found');
  assert.equal(serverMessageOf('{"detail":"Not Found"}'), 'Not Found');
  assert.equal(serverMessageOf('\n upstream connect error\nmore'), 'upstream connect error');
  assert.equal(serverMessageOf('<html><h1>502 Bad Gateway</h1></html>'), '502 Bad Gateway');
  assert.equal(serverMessageOf('  '), null);
  assert.equal(serverMessageOf('x'.repeat(500))?.length, 120);
});

const failed = (status: number, error: ErrorKind, message: string | null, serverMessage: string | null = null) => ({
  ...failWith(emptyRecord({ status, headersMs: null, endMs: 0, error: null }, 0), { error, message }),
  serverMessage,
});

test('a cause names the status and reason with the server message, or the kind with the transport message', () => {
  assert.equal(errorCause(failed(401, 'http_4xx', 'HTTP 401', 'invalid api key')), '401 Unauthorized: "invalid api key"');
  assert.equal(errorCause(failed(599, 'http_5xx', 'HTTP 599')), '599');
  assert.equal(errorCause(failed(0, 'connect', 'dial tcp 127.0.0.1:9: connect: connection refused')), 'connect: dial tcp 127.0.0.1:9: connect: connection refused');
  assert.equal(errorCause(failed(200, 'empty', null)), 'empty');
  assert.equal(errorCause(failed(0, 'interrupted', 'context canceled')), null);
});

test("the meter's record of an error status carries the first bytes of its body as the server message", () => {
  const res = meterRecord({
    status: 429, retryAfter: '1', headersMs: 3, endMs: 4, isSSE: false, times: [], data: [], fast: [], comments: 0, unterminated: false,
    body: '{"error":{"message":"Rate limit reached"}}', bodyBytes: 44, errorKind: '', errorMessage: '', kernelStamps: true, readLagMaxMs: 0, sendLagMs: 0,
  });
  const streamed = recordFromMeter(openaiChat, res, true);
  assert.equal(errorCause(streamed), '429 Too Many Requests: "Rate limit reached"');
  assert.equal(recordFromMeter(openaiChat, res, false).serverMessage, 'Rate limit reached');
});

test('secrets are redacted; the summary line gives each cause its share', () => {
  assert.equal(redact('bad key sk-123 for sk-123', ['sk-123', null, '']), 'bad key [redacted] for [redacted]');
  assert.equal(causeLine([{ cause: '401 Unauthorized: "x"', count: 13 }, { cause: 'connect', count: 2 }], 15), '401 Unauthorized: "x" (13 of 15 requests); connect (2 of 15 requests)');
  assert.equal(causeLine([], 3), null);
});
