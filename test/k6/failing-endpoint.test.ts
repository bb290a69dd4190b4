// A failing endpoint is not hammered: against a mock that answers 401 (wrong
// API key) and against a closed port, 4 closed-model VUs for 10 s pause after
// each failure (failure-backoff.ts), so the endpoint gets well under 100
// requests, and the summaries say in one line what went wrong.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { runWorkload, startMock } from './harness.ts';

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const LOAD = { LLM_VUS: '4', LLM_DURATION: '10s', LLM_THRESHOLDS: 'none' };

describe('a failing endpoint is not hammered', () => {
  test('401 from a wrong API key: under 100 requests from 4 VUs in 10 s, the cause in every summary', async () => {
    const mock = await startMock(['--ttft-ms', '10', '--itl-ms', '1', '--output-tokens', '4', '--api-key', 'right-key']);
    try {
      const started = performance.now();
      const res = await runWorkload('chat', { ...LOAD, LLM_BASE_URL: mock.url }, { LLM_API_KEY: 'wrong-key-sk-123' });
      const elapsed = performance.now() - started;
      assert.equal(res.code, 0, res.stderr);
      const w = res.summary?.workloads.chat;
      assert.ok(w, 'summary has the chat workload');
      console.log(`401 mock: ${w.requests} requests in ${Math.round(elapsed)} ms`);
      assert.ok(w.requests >= 4 && w.requests < 100, `requests ${w.requests}`);
      assert.equal(w.errors.http_4xx, w.requests);
      assert.ok(elapsed < 25_000, `run took ${elapsed} ms`);
      checkCause(res.stdout, res.outDir, /401.*Incorrect API key provided/, 'wrong-key-sk-123');
    } finally {
      await mock.server.close();
    }
  });

  test('a closed port: under 100 requests from 4 VUs in 10 s, the cause in every summary', async () => {
    const port = await closedPort();
    const started = performance.now();
    const res = await runWorkload('chat', { ...LOAD, LLM_BASE_URL: `http://127.0.0.1:${port}/v1` });
    const elapsed = performance.now() - started;
    assert.equal(res.code, 0, res.stderr);
    const w = res.summary?.workloads.chat;
    assert.ok(w, 'summary has the chat workload');
    console.log(`closed port: ${w.requests} requests in ${Math.round(elapsed)} ms`);
    assert.ok(w.requests >= 4 && w.requests < 100, `requests ${w.requests}`);
    assert.equal(w.errors.connect, w.requests);
    assert.ok(elapsed < 25_000, `run took ${elapsed} ms`);
    checkCause(res.stdout, res.outDir, /connect/, null);
  });
});

describe('thresholds on zero samples', () => {
  test('every request fails: TTFT bounds read NO DATA (console, Markdown, JUnit skipped), the success bound fails the run with 99', async () => {
    const mock = await startMock(['--api-key', 'right-key']);
    try {
      const res = await runWorkload('chat', { LLM_VUS: '2', LLM_DURATION: '3s', LLM_BASE_URL: mock.url }, { LLM_API_KEY: 'wrong-key' });
      assert.equal(res.code, 99, res.stderr);
      assert.match(res.stdout, /NO DATA llm_ttft\{workload:chat\}: p\(95\)<300/);
      assert.doesNotMatch(res.stdout, /ok +llm_ttft/);
      assert.match(readFileSync(join(res.outDir, 'llm-summary.md'), 'utf8'), /\| ⚪ \| `llm_ttft\{workload:chat\}` \| `p\(95\)<300` \| no data/);
      const junit = readFileSync(join(res.outDir, 'llm-junit.xml'), 'utf8');
      assert.match(junit, /skipped="[1-9]\d*"/);
      assert.match(junit, /p\(95\)&lt;300"><skipped message="no data/);
      const ttft = res.summary?.thresholds.find((t) => t.metric === 'llm_ttft{workload:chat}' && t.expression === 'p(95)<300');
      assert.equal(ttft?.verdict, 'no data');
    } finally {
      await mock.server.close();
    }
  });
});

/** The one-line cause in the console, Markdown and JSON summaries, without the secret. */
function checkCause(stdout: string, outDir: string, cause: RegExp, secret: string | null): void {
  const json = JSON.parse(readFileSync(join(outDir, 'llm-summary.json'), 'utf8')) as { workloads: { chat: { errorCause: string | null; requests: number } } };
  const line = json.workloads.chat.errorCause ?? '';
  assert.match(line, cause);
  assert.match(line, new RegExp(`\\(${json.workloads.chat.requests} of ${json.workloads.chat.requests} requests\\)`));
  const console = stdout.split('\n').find((l) => l.trim().startsWith('cause: ')) ?? '';
  assert.match(console, cause);
  const markdown = readFileSync(join(outDir, 'llm-summary.md'), 'utf8');
  assert.match(markdown.split('\n').find((l) => l.startsWith('Cause: ')) ?? '', cause);
  assert.match(markdown, /^Errors: /m);
  if (secret) for (const text of [stdout, markdown, JSON.stringify(json)]) assert.ok(!text.includes(secret), 'the API key is in a report');
}
