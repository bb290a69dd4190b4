// test/failure-summary.mjs repeats each failed test at the end of a run (CI logs
// are read from the tail), leaving out suites that failed only because a test did.
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs reporter, loaded by node --test, without types
import failureSummary from '../../failure-summary.mjs';

async function render(events: unknown[]): Promise<string> {
  async function* source() { yield* events; }
  let out = '';
  for await (const chunk of failureSummary(source())) out += chunk;
  return out;
}

const thrown = new Error('TTFT p50 101.9 ms; expected within 2 ms of 100');
const leafFailure = { type: 'test:fail', data: { name: 'reads TTFT', file: '/r/test/k6/chat.test.ts', details: { error: Object.assign(new Error('test failed'), { failureType: 'testCodeFailure', cause: thrown }) } } };
const suiteFailure = { type: 'test:fail', data: { name: 'chat', file: '/r/test/k6/chat.test.ts', details: { error: Object.assign(new Error('1 subtest failed'), { failureType: 'subtestsFailed' }) } } };
const pass = { type: 'test:pass', data: { name: 'reads ITL', file: '/r/test/k6/chat.test.ts', details: {} } };

test('names each failed test, its file and what it threw, once', async () => {
  const out = await render([pass, leafFailure, suiteFailure]);
  assert.match(out, /# 1 failed test\(s\):/);
  assert.match(out, /# FAILED reads TTFT \(\/r\/test\/k6\/chat\.test\.ts\)/);
  assert.match(out, /TTFT p50 101\.9 ms; expected within 2 ms of 100/);
  assert.doesNotMatch(out, /FAILED chat /);
  assert.doesNotMatch(out, /reads ITL/);
});

test('prints nothing when every test passed', async () => {
  assert.equal(await render([pass]), '');
});
