// Acceptance run, too long for `npm test` (run it with `npm run test:long`):
// 60 s of load at 10 requests/s against a mock failing 5 % of requests with
// every fault kind. Availability must be within 1 percentage point of the
// injected rate, every kind must appear under its tag with the mock's exact
// count, and the run must end within its duration plus the graceful stop.

import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { runWorkload, startMock } from '../k6/harness.ts';

test('60 s at 5 % faults: availability within 1 point, every kind under its tag, on time', async () => {
  const mock = await startMock([
    '--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '32',
    '--fault-rate', '0.05', '--stall-ms', '3000', '--fault-after-tokens', '4', '--seed', '11',
  ]);
  try {
    const started = performance.now();
    // 80 s: 60 s of load, then up to 20 s for in-flight requests to finish.
    const res = await runWorkload('availability', {
      LLM_BASE_URL: mock.url, LLM_RATE: '10', LLM_DURATION: '80s', LLM_VUS: '20', LLM_WINDOW: '10s',
      LLM_STALL_TIMEOUT: '1s', LLM_TIMEOUT: '10s', LLM_THRESHOLDS: 'none',
    });
    const elapsedMs = performance.now() - started;
    assert.equal(res.code, 0, res.stderr);
    const w = res.summary?.workloads.availability;
    assert.ok(w?.availability);
    const s = mock.server.stats();
    const injected = Object.values(s.faults).reduce((a, b) => a + b, 0);
    const injectedRate = injected / s.requests;
    const measuredFailure = 1 - (w.availability.availability ?? 0);
    const expected: Record<string, number> = {
      http_429: s.faults['429'],
      http_5xx: s.faults['500'] + s.faults['502'] + s.faults['503'],
      truncated: s.faults.reset,
      stall: s.faults.stall,
      malformed: s.faults.malformed,
      stream_error: s.faults.stream_error,
      empty: s.faults.empty,
    };
    console.log(
      `requests ${w.requests} (mock ${s.requests}) · injected ${injected} (${(injectedRate * 100).toFixed(2)} %) · ` +
        `measured availability ${((w.availability.availability ?? 0) * 100).toFixed(2)} % · errors ${JSON.stringify(w.errors)} · ` +
        `run ${(elapsedMs / 1000).toFixed(1)} s (k6 ${((res.summary?.testRunDurationMs ?? 0) / 1000).toFixed(1)} s)`,
    );
    assert.ok(Math.abs(measuredFailure - 0.05) <= 0.01, `failure rate ${measuredFailure} vs 5 % injected`);
    assert.ok(Math.abs(measuredFailure - injectedRate) <= 0.01);
    for (const [kind, n] of Object.entries(expected)) assert.ok(n > 0, `${kind} injected`);
    assert.deepEqual(w.errors, expected);
    assert.ok(elapsedMs <= 85_000, `run took ${elapsedMs} ms (limit: 80 s + start-up)`);
  } finally {
    await mock.server.close();
  }
});
