// Real k6 runs against a mock that misbehaves on purpose: every injected
// fault must land under its own llm_errors tag, no VU may hang, and a run
// that loses its target or is interrupted must still end on time and write
// its reports. Bounds on time are loose (a busy 2-core machine); counts are
// exact where the mock's own counters give the ground truth.

import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { runWorkload, startMock } from './harness.ts';

describe('every fault is classified under its tag', () => {
  test('429, 500, 502, 503, reset, stall, malformed, stream_error and empty: exact counts per kind', async () => {
    const mock = await startMock([
      '--ttft-ms', '20', '--itl-ms', '2', '--output-tokens', '8',
      '--fault-rate', '0.5', '--fault-after-tokens', '2', '--stall-ms', '1500', '--seed', '7',
    ]);
    try {
      const started = performance.now();
      const res = await runWorkload('availability', {
        LLM_BASE_URL: mock.url, LLM_RATE: '20', LLM_DURATION: '6s', LLM_VUS: '20',
        LLM_WINDOW: '1s', LLM_STALL_TIMEOUT: '500ms', LLM_TIMEOUT: '5s', LLM_THRESHOLDS: 'none',
      });
      const elapsed = performance.now() - started;
      assert.equal(res.code, 0, res.stderr);
      const w = res.summary?.workloads.availability;
      assert.ok(w, 'summary has the availability workload');
      const s = mock.server.stats();
      // The ground truth: what the mock injected, kind by kind.
      const expected: Record<string, number> = {
        http_429: s.faults['429'],
        http_5xx: s.faults['500'] + s.faults['502'] + s.faults['503'],
        truncated: s.faults.reset,
        stall: s.faults.stall,
        malformed: s.faults.malformed,
        stream_error: s.faults.stream_error,
        empty: s.faults.empty,
      };
      for (const [kind, n] of Object.entries(expected)) assert.ok(n > 0, `the mock injected ${kind}: ${JSON.stringify(s.faults)}`);
      assert.deepEqual(w.errors, expected);
      assert.equal(w.interrupted, 0);
      assert.equal(w.requests, s.requests);
      const injected = Object.values(expected).reduce((a, b) => a + b, 0);
      assert.equal(w.availability?.requests, w.requests);
      assert.equal(w.availability?.successes, w.requests - injected);
      assert.ok(Math.abs((w.successRate ?? 0) - 0.5) < 0.05, `success rate ${w.successRate}`);
      assert.ok(w.availability && w.availability.windows.length >= 4, 'per-window figures');
      // No VU hung on a stalled stream: the run ended within its duration plus slack.
      assert.ok(elapsed < 15_000, `run took ${elapsed} ms`);
    } finally {
      await mock.server.close();
    }
  });
});

describe('a run survives losing its target', () => {
  test('a connection-refused window: connect errors, a failure run, on time', async () => {
    const mock = await startMock(['--ttft-ms', '10', '--itl-ms', '1', '--output-tokens', '4', '--down-after-ms', '1500', '--down-for-ms', '1000']);
    try {
      const started = performance.now();
      const res = await runWorkload('availability', {
        LLM_BASE_URL: mock.url, LLM_RATE: '10', LLM_DURATION: '5s', LLM_WINDOW: '1s', LLM_THRESHOLDS: 'none',
      });
      assert.equal(res.code, 0, res.stderr);
      const w = res.summary?.workloads.availability;
      assert.ok(w?.availability, 'availability section');
      assert.equal(mock.server.stats().downWindows, 1);
      const connect = w.errors.connect ?? 0;
      // 1 s down at 10 requests/s: about 10 refused.
      assert.ok(connect >= 5 && connect <= 15, `connect errors ${connect}`);
      assert.ok(w.availability.longestFailureRun && w.availability.longestFailureRun.requests >= 5, JSON.stringify(w.availability.longestFailureRun));
      assert.ok(w.availability.worstWindow && (w.availability.worstWindow.availability ?? 1) < 0.7);
      assert.ok(performance.now() - started < 12_000);
    } finally {
      await mock.server.close();
    }
  });

  test('the target dies mid-run: the run still ends on time and writes every report', async () => {
    const mock = await startMock(['--ttft-ms', '10', '--itl-ms', '50', '--output-tokens', '40']);
    const killer = setTimeout(() => void mock.server.close(), 1500);
    try {
      const started = performance.now();
      const res = await runWorkload('availability', {
        LLM_BASE_URL: mock.url, LLM_RATE: '10', LLM_DURATION: '5s', LLM_WINDOW: '1s', LLM_THRESHOLDS: 'none',
      });
      const elapsed = performance.now() - started;
      assert.equal(res.code, 0, res.stderr);
      const w = res.summary?.workloads.availability;
      assert.ok(w, 'summary written');
      // Streams cut by the shutdown are truncated; later requests are refused.
      assert.ok((w.errors.truncated ?? 0) >= 1, JSON.stringify(w.errors));
      assert.ok((w.errors.connect ?? 0) >= 10, JSON.stringify(w.errors));
      assert.ok(elapsed < 12_000, `run took ${elapsed} ms`);
      assert.match(res.stdout, /availability/);
    } finally {
      clearTimeout(killer);
      await mock.server.close();
    }
  });

  test('SIGINT ends the run early and it still writes its summary and reports', async () => {
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const mock = await startMock(['--ttft-ms', '10', '--itl-ms', '20', '--output-tokens', '50']);
    try {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const res = await runWorkload(
        'availability',
        { LLM_BASE_URL: mock.url, LLM_RATE: '10', LLM_DURATION: '60s', LLM_WINDOW: '1s', LLM_THRESHOLDS: 'none' },
        {},
        (child) => {
          timer = setTimeout(() => child.kill('SIGINT'), 3000);
        },
      );
      clearTimeout(timer);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 15_000, `an interrupted 60 s run took ${elapsed} ms`);
      const w = res.summary?.workloads.availability;
      assert.ok(w && w.requests >= 10, `summary with what was measured: ${res.stderr}`);
      assert.ok(w.availability && w.availability.requests > 0, 'the timeline was written too');
      // Requests cut by the interruption are not failures of the endpoint.
      assert.equal(w.errors.truncated ?? 0, 0, JSON.stringify(w.errors));
      for (const name of ['llm-summary.md', 'llm-junit.xml']) assert.ok(existsSync(join(res.outDir, name)), name);
    } finally {
      await mock.server.close();
    }
  });
});
