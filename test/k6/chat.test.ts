// Real k6 runs of dist/chat.js against the mock server, whose timing is the
// ground truth. Bounds are loose so a busy machine cannot make them flake;
// `npm run bench` prints the exact error figures.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startMeter } from '../../tools/provision/meter.ts';
import { runWorkload, startMock } from './harness.ts';
import type { MockServer } from '../../tools/mock-server/server.ts';

describe('chat workload against the mock (TTFT 200 ms, ITL 20 ms, 64 tokens)', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    mock = await startMock(['--ttft-ms', '200', '--itl-ms', '20', '--output-tokens', '64']);
  });
  after(async () => mock.server.close());

  test('measures TTFT, ITL, TPOT, E2E and token counts against the known schedule', async () => {
    mock.server.stats(); // warm
    const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '20', LLM_DURATION: '10s' });
    assert.equal(res.code, 0, res.stderr);
    const chat = res.summary?.workloads.chat;
    assert.ok(chat, 'summary has the chat workload');
    assert.ok(chat.requests >= 60, `enough requests: ${chat.requests}`);
    assert.equal(chat.successRate, 1);
    assert.deepEqual(chat.errors, {});
    // Ground truth: first token at 200 ms, then one every 20 ms, 64 tokens.
    assert.ok(chat.ttftMs && chat.ttftMs.p50 >= 199 && chat.ttftMs.p50 <= 225, `TTFT p50 ${chat.ttftMs?.p50}`);
    assert.ok(chat.ttftMs.p99 <= 260, `TTFT p99 ${chat.ttftMs.p99}`);
    assert.ok(chat.itlMs && chat.itlMs.p50 >= 18 && chat.itlMs.p50 <= 23, `ITL p50 ${chat.itlMs?.p50}`);
    assert.ok(chat.tpotMs && Math.abs(chat.tpotMs.p50 - 20) <= 3, `TPOT p50 ${chat.tpotMs?.p50}`);
    const trueE2e = 200 + 63 * 20;
    assert.ok(chat.e2eMs && chat.e2eMs.p50 >= trueE2e - 2 && chat.e2eMs.p50 <= trueE2e + 60, `E2E p50 ${chat.e2eMs?.p50}`);
    assert.ok(
      chat.outputTokensPerSecondPerRequest && Math.abs(chat.outputTokensPerSecondPerRequest.p50 - 50) <= 6,
      `tokens/s per request ${chat.outputTokensPerSecondPerRequest?.p50}`,
    );
    // Exact counts: every completed request carried 64 tokens reported by usage.
    const completed = chat.requests - chat.interrupted;
    assert.equal(chat.outputTokens, completed * 64);
    assert.equal(chat.outputTokensEstimated, 0);
    assert.equal(chat.itlMs.count, completed * 63);
    assert.equal(res.summary?.run.transport, 'meter');
    assert.match(res.stdout, /TTFT \(ms\)/);
    assert.match(res.stdout, /generator self-check/);
  });

  test('a non-streamed run reports E2E and no TTFT', async () => {
    const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '4', LLM_DURATION: '5s', LLM_STREAM: 'false' });
    assert.equal(res.code, 0, res.stderr);
    const chat = res.summary?.workloads.chat;
    assert.ok(chat && chat.requests > 0);
    assert.equal(chat.ttftMs, null);
    assert.equal(chat.itlMs, null);
    assert.ok(chat.e2eMs && Math.abs(chat.e2eMs.p50 - (200 + 63 * 20)) <= 60, `E2E p50 ${chat.e2eMs?.p50}`);
    assert.equal(chat.successRate, 1);
  });

  test("requests k6 cuts at the end of the test are counted as sent and cut, so the report's requests are the endpoint's", async () => {
    // 1.46 s per request and 4 s (3 s of load, 1 s to finish): every user's
    // request that starts after about 2.5 s is still streaming when k6 stops.
    const before = mock.server.stats().requests;
    const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '4', LLM_DURATION: '4s' });
    assert.equal(res.code, 0, res.stderr);
    const chat = res.summary?.workloads.chat;
    assert.ok(chat);
    assert.equal(chat.requests, mock.server.stats().requests - before);
    assert.ok(chat.interrupted >= 1, `cut requests: ${chat.interrupted}`);
    assert.equal(chat.outputTokens, (chat.requests - chat.interrupted) * 64);
    assert.equal(chat.successRate, 1);
    assert.match(res.stdout, new RegExp(`${chat.interrupted} cut by the end of the test`));
  });

  test('max_tokens caps the output, with exact counts', async () => {
    const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '2', LLM_DURATION: '4s', LLM_MAX_TOKENS: '10' });
    assert.equal(res.code, 0, res.stderr);
    const chat = res.summary?.workloads.chat;
    assert.ok(chat && chat.requests > 0);
    assert.equal(chat.outputTokens, (chat.requests - chat.interrupted) * 10);
  });
});

describe('several chat users per VU (LLM_USERS_PER_VU)', () => {
  test('the figures of a VU per user; every request counted once by k6 and once in the meter\'s store, the last ones settled at teardown', async () => {
    const mock = await startMock(['--ttft-ms', '200', '--itl-ms', '20', '--output-tokens', '64']);
    const meter = await startMeter({ log: () => {} });
    try {
      // 24 users, 8 per VU: 3 VUs, each with 8 conversations in flight.
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '24', LLM_USERS_PER_VU: '8', LLM_DURATION: '8s', LLM_TURNS: '2' }, { LLM_METER_URL: meter.url });
      assert.equal(res.code, 0, res.stderr);
      const chat = res.summary?.workloads.chat;
      assert.ok(chat, 'summary has the chat workload');
      assert.match(res.stdout, /usersPerVu 8/);
      assert.ok(chat.requests >= 60, `enough requests: ${chat.requests}`);
      assert.equal(chat.requests, mock.server.stats().requests, 'every request the mock saw, counted once');
      assert.equal(chat.successRate, 1);
      assert.deepEqual(chat.errors, {});
      assert.ok(chat.ttftMs && chat.ttftMs.p50 >= 199 && chat.ttftMs.p50 <= 225, `TTFT p50 ${chat.ttftMs?.p50}`);
      assert.ok(chat.itlMs && chat.itlMs.p50 >= 18 && chat.itlMs.p50 <= 23, `ITL p50 ${chat.itlMs?.p50}`);
      const completed = chat.requests - chat.interrupted;
      assert.equal(chat.outputTokens, completed * 64);
      assert.equal(chat.itlMs.count, completed * 63);
      // The meter's store: each request's TTFT rode on its stream's next request or was settled at teardown, once.
      const base = new URL(meter.url);
      const secret = decodeURIComponent(base.password);
      const stored = (await (await fetch(`http://${base.host}/store/values?key=${encodeURIComponent('llm_ttft:chat')}`, { headers: { 'X-K6-LLM-Meter-Secret': secret } })).json()) as { values: number[] };
      assert.equal(stored.values.length, chat.ttftMs.count, 'TTFTs in the store, TTFTs k6 counted');
    } finally {
      await meter.stop();
      await mock.server.close();
    }
  });
});

describe('failures are classified, never hang', () => {
  test('a refused connection counts as connect errors and the run still ends and writes its summary', async () => {
    const res = await runWorkload('chat', { LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_VUS: '2', LLM_DURATION: '3s' });
    // The default chat SLOs (success rate, attainment) fail: k6's threshold exit code.
    assert.equal(res.code, 99, res.stderr);
    const chat = res.summary?.workloads.chat;
    assert.ok(chat && chat.requests > 0);
    assert.equal(chat.successRate, 0);
    assert.ok((chat.errors.connect ?? 0) > 0, JSON.stringify(chat.errors));
  });

  test('HTTP 401 from a key-protected endpoint is an http_4xx error; the key is never written out', async () => {
    const secret = 'sk-test-do-not-print-4f1c9a';
    const mock = await startMock(['--api-key', 'the-right-key', '--ttft-ms', '10', '--itl-ms', '1', '--output-tokens', '4']);
    try {
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '1', LLM_DURATION: '2s' }, { LLM_API_KEY: secret });
      assert.equal(res.code, 99, res.stderr);
      for (const file of ['llm-summary.md', 'llm-junit.xml']) {
        assert.ok(!readFileSync(join(res.outDir, file), 'utf8').includes(secret), file);
      }
      const chat = res.summary?.workloads.chat;
      assert.ok(chat && (chat.errors.http_4xx ?? 0) > 0, JSON.stringify(chat?.errors));
      assert.equal(chat.successRate, 0);
      assert.ok(!JSON.stringify(res.summary).includes(secret));
      assert.ok(!res.stdout.includes(secret) && !res.stderr.includes(secret));
    } finally {
      await mock.server.close();
    }
  });

  test('the right key authenticates', async () => {
    const mock = await startMock(['--api-key', 'the-right-key', '--ttft-ms', '10', '--itl-ms', '1', '--output-tokens', '4']);
    try {
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '1', LLM_DURATION: '2s' }, { LLM_API_KEY: 'the-right-key' });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.summary?.workloads.chat?.successRate, 1);
    } finally {
      await mock.server.close();
    }
  });

  test('an invalid variable fails before any load is sent, naming the variable', async () => {
    const mock = await startMock([]);
    try {
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: 'lots' });
      assert.notEqual(res.code, 0);
      // k6 logs the message as one logfmt line, so its quotes arrive escaped.
      assert.match(res.stderr, /k6-llm: invalid LLM_VUS; expected a whole number from 1 to 100000, got \\?"lots\\?"/);
      assert.doesNotMatch(res.stderr, /at parseConfig/);
      assert.equal(mock.server.stats().requests, 0);
    } finally {
      await mock.server.close();
    }
  });
});
