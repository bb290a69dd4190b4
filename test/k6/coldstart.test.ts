// Real k6 runs of dist/coldstart.js against a mock that scales to zero after
// 2 s idle. The acceptance figures are the issue's: cold TTFT ≈ 900 ms, warm
// ≈ 100 ms, penalty ≈ 800 ms, each within 5 %.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runWorkload, startMock } from './harness.ts';

const within = (measured: number | null | undefined, truth: number, share: number): boolean =>
  typeof measured === 'number' && Math.abs(measured - truth) <= truth * share;

describe('coldstart workload against a scale-to-zero mock (2 s idle, 800 ms cold start, TTFT 100 ms)', () => {
  test('cold TTFT ≈ 900 ms, warm ≈ 100 ms, penalty ≈ 800 ms (each within 5 %), per probe and overall', async () => {
    const mock = await startMock([
      '--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '16', '--scale-to-zero-ms', '2000', '--cold-start-ms', '800',
    ]);
    try {
      const res = await runWorkload('coldstart', { LLM_BASE_URL: mock.url, LLM_IDLE: '2500ms', LLM_PROBES: '2', LLM_WARM_REQUESTS: '3' });
      assert.equal(res.code, 0, res.stderr);
      const w = res.summary?.workloads.coldstart;
      const c = w?.coldStart;
      assert.ok(c, 'summary has the cold-start section');
      assert.equal(mock.server.stats().coldStarts, 2, 'each probe found the model scaled to zero');
      assert.ok(within(c.coldTtftMs?.p50, 900, 0.05), `cold TTFT ${c.coldTtftMs?.p50}`);
      assert.ok(within(c.warmTtftMs?.p50, 100, 0.05), `warm TTFT ${c.warmTtftMs?.p50}`);
      assert.ok(within(c.penaltyMs, 800, 0.05), `penalty ${c.penaltyMs}`);
      assert.equal(c.probes.length, 2);
      for (const p of c.probes) {
        assert.ok(within(p.coldTtftMs, 900, 0.05) && within(p.warmTtftMedianMs, 100, 0.05) && within(p.penaltyMs, 800, 0.05), JSON.stringify(p));
        assert.equal(p.retries, 0);
      }
      assert.equal(c.coldTtftMs?.count, 2);
      assert.equal(c.warmTtftMs?.count, 6);
      assert.equal(w.successRate, 1);
      // Samples are tagged phase:cold|warm, so thresholds bound them apart (the bundled file does).
      assert.ok(res.summary?.thresholds.some((t) => t.metric === 'llm_ttft{workload:coldstart,phase:warm}' && t.ok));
      assert.match(res.stdout, /cold start/);
    } finally {
      await mock.server.close();
    }
  });

  test('503 + Retry-After while scaling up: retried after Retry-After, every attempt counted, time to first success reported', async () => {
    const mock = await startMock([
      '--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '8', '--scale-to-zero-ms', '2000', '--cold-start-ms', '800', '--cold-start-503',
    ]);
    try {
      const res = await runWorkload('coldstart', { LLM_BASE_URL: mock.url, LLM_IDLE: '2500ms', LLM_PROBES: '2', LLM_WARM_REQUESTS: '2' });
      assert.equal(res.code, 0, res.stderr);
      const w = res.summary?.workloads.coldstart;
      const c = w?.coldStart;
      assert.ok(w && c);
      assert.equal(mock.server.stats().warmingRejections, 2);
      assert.equal(c.retries, 2);
      assert.deepEqual(w.errors, { http_5xx: 2 });
      assert.equal(w.requests, 2 * (2 + 2));
      for (const p of c.probes) {
        assert.equal(p.retries, 1);
        // Retry-After: 1 s, then a warm 100 ms TTFT.
        assert.ok(p.timeToFirstSuccessMs !== null && p.timeToFirstSuccessMs >= 1090 && p.timeToFirstSuccessMs < 1400, JSON.stringify(p));
      }
    } finally {
      await mock.server.close();
    }
  });
});
