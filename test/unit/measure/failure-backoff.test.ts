import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailureBackoff, FAILURE_BACKOFF_MAX_MS, FAILURE_RETRY_AFTER_MAX_MS } from '../../../src/measure/failure-backoff.ts';
import { emptyRecord, failWith, type ErrorKind, type RequestRecord } from '../../../src/measure/request-record.ts';

function failed(status: number, error: ErrorKind, retryAfter?: string): RequestRecord {
  return failWith(emptyRecord({ status, headersMs: null, endMs: 0, error: null, retryAfter }, 0), { error, message: null });
}
const ok = (): RequestRecord => ({ ...emptyRecord({ status: 200, headersMs: 0, endMs: 0, error: null }, 0), success: true });

test('consecutive failures back off exponentially from 250 ms, capped at 5 s; a success resets', () => {
  const b = new FailureBackoff();
  const waits = Array.from({ length: 8 }, () => b.pauseMs(failed(401, 'http_4xx')));
  assert.deepEqual(waits, [250, 500, 1000, 2000, 4000, FAILURE_BACKOFF_MAX_MS, 5000, 5000]);
  assert.equal(b.pauseMs(ok()), 0);
  assert.equal(b.pauseMs(failed(0, 'connect')), 250);
});

test('Retry-After is honoured on 429 and 503 (up to 30 s), not on other statuses', () => {
  const b = new FailureBackoff();
  assert.equal(b.pauseMs(failed(429, 'http_429', '2')), 2000);
  assert.equal(b.pauseMs(failed(503, 'http_5xx', '120')), FAILURE_RETRY_AFTER_MAX_MS);
  assert.equal(new FailureBackoff().pauseMs(failed(500, 'http_5xx', '9')), 250);
  // The HTTP-date form is not read: the backoff applies.
  assert.equal(new FailureBackoff().pauseMs(failed(429, 'http_429', 'Wed, 21 Oct 2026 07:28:00 GMT')), 250);
});

test('never past the end of the scenario; none after a request cut by the end of the test', () => {
  const b = new FailureBackoff();
  assert.equal(b.pauseMs(failed(401, 'http_4xx'), 100), 100);
  assert.equal(b.pauseMs(failed(401, 'http_4xx'), -5), 0);
  assert.equal(new FailureBackoff().pauseMs(failed(0, 'interrupted')), 0);
});
