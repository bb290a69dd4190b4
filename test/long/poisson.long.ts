// Acceptance (long, not in `npm test`; run with `npm run test:long`): a
// Poisson run at rate λ for T = 60 s against the mock at a known per-request
// service time (TTFT 100 ms + 15 × 10 ms = 250 ms) sends λ·T ± 3√(λ·T)
// requests, and the inter-send CV measured by the mock (request arrival
// times, the ground truth) is within 0.1 of 1. Prints the figures.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runWorkload, startMock } from '../k6/harness.ts';
import type { MockServer } from '../../tools/mock-server/server.ts';

const RATE = 20;
const LOAD_S = 60;

describe(`Poisson arrivals at ${RATE}/s for ${LOAD_S} s`, () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    mock = await startMock(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '64']);
  });
  after(async () => mock.server.close());

  test('count within 3σ of λT and inter-send CV within 0.1 of 1', async () => {
    // 80 s run: 60 s of load, a 20 s graceful stop.
    const res = await runWorkload(
      'realtime',
      { LLM_BASE_URL: mock.url, LLM_RATE: String(RATE), LLM_ARRIVAL: 'poisson', LLM_DURATION: '80s', LLM_SEED: process.env.SEED ?? '1' },
      {},
    );
    assert.equal(res.code, 0, res.stderr);
    const stats = mock.server.stats();
    const expected = RATE * LOAD_S;
    const sigma = Math.sqrt(expected);
    const a = res.summary!.workloads.realtime!.arrivals!;
    const line =
      `sent ${stats.requests} (expected ${expected} ± ${(3 * sigma).toFixed(0)}), inter-send CV ${stats.arrivals.cv.toFixed(3)}, ` +
      `mean gap ${stats.arrivals.meanGapMs.toFixed(2)} ms (expected ${(1000 / RATE).toFixed(2)}), schedule lag p50 ${a.lagMs?.p50.toFixed(2)} ms ` +
      `p99 ${a.lagMs?.p99.toFixed(2)} ms max ${a.lagMs?.max.toFixed(2)} ms, dropped ${a.droppedLate + a.droppedUnstarted}`;
    console.log(line);
    assert.ok(Math.abs(stats.requests - expected) <= 3 * sigma, line);
    assert.ok(Math.abs(stats.arrivals.cv - 1) <= 0.1, line);
    assert.equal(a.droppedLate + a.droppedUnstarted, 0, line);
  });
});
