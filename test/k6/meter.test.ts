// Real k6 runs on the stock binary through the stream meter, where the meter
// fails: killed mid-run (no hang, every later request a `meter` error, the
// reports still written), asked without its secret (refused, nothing sent
// upstream, the secret in no output), and absent altogether (one line saying
// how to start it, before any load).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { startMeter } from '../../tools/provision/meter.ts';
import { runWorkload, startMock, type K6Result } from './harness.ts';

function everything(res: K6Result): string {
  let text = res.stdout + res.stderr;
  for (const name of readdirSync(res.outDir)) text += readFileSync(join(res.outDir, name), 'utf8');
  return text;
}

describe('the stream meter fails', () => {
  test('killed mid-run: later requests are meter errors, the run ends on time and writes its reports', async () => {
    const mock = await startMock(['--ttft-ms', '20', '--itl-ms', '5', '--output-tokens', '8']);
    const meter = await startMeter({ log: () => {} });
    try {
      const started = performance.now();
      const killer = setTimeout(() => meter.child.kill('SIGKILL'), 2500);
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '2', LLM_DURATION: '6s', LLM_THRESHOLDS: 'none' }, { LLM_METER_URL: meter.url });
      clearTimeout(killer);
      const elapsed = performance.now() - started;
      assert.equal(res.code, 0, res.stderr);
      const w = res.summary?.workloads.chat;
      assert.ok(w, 'the summary was written after the meter died');
      assert.ok((w.errors.meter ?? 0) > 0, JSON.stringify(w.errors));
      assert.ok(w.successRate !== null && w.successRate > 0 && w.successRate < 1, `success rate ${w.successRate}`);
      // Every request that reached the mock before the kill was a success; after it none reached it.
      assert.ok(mock.server.stats().requests > 0);
      assert.ok(elapsed < 20_000, `run took ${elapsed} ms`);
      assert.ok(!everything(res).includes(meter.url.slice(13, 45)), 'the meter secret appears in an output');
    } finally {
      await meter.stop();
      await mock.server.close();
    }
  });

  test('a wrong secret is refused before any load: one line, nothing reaches the endpoint', async () => {
    const mock = await startMock(['--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '4']);
    const meter = await startMeter({ log: () => {} });
    try {
      const secret = /^http:\/\/k6llm:([0-9a-f]{32})@/.exec(meter.url)?.[1] ?? '';
      assert.equal(secret.length, 32);
      const wrong = meter.url.replace(secret, secret.split('').reverse().join(''));
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '1', LLM_DURATION: '2s', LLM_THRESHOLDS: 'none' }, { LLM_METER_URL: wrong });
      assert.equal(res.code, 107, res.stderr);
      assert.match(res.stderr, /invalid LLM_METER_URL; expected a stream meter that takes requests, got: the stream meter refused the request: HTTP 401 missing or wrong meter secret/);
      assert.equal(mock.server.stats().requests, 0, 'the meter forwarded a request without the secret');
      assert.ok(!everything(res).includes(secret), 'the meter secret appears in an output');
    } finally {
      await meter.stop();
      await mock.server.close();
    }
  });

  test('no meter and no xk6-sse: one line saying how to start the meter, before any load', async () => {
    const mock = await startMock(['--ttft-ms', '5']);
    try {
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_TRANSPORT: 'auto', LLM_DURATION: '2s' });
      assert.equal(res.code, 107, res.stderr);
      assert.match(res.stderr, /expected LLM_METER_URL \(start the stream meter with: npx k6-llm meter/);
      assert.equal(mock.server.stats().requests, 0);
    } finally {
      await mock.server.close();
    }
  });
});
