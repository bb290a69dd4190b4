// A server that closes kept-alive connections on its own schedule (as
// cpp-httplib's do: after a few requests per connection, or a few idle
// seconds) makes no false `connect` failures: the meter sends a request the
// server never saw once more on a new connection, counts it apart, and the
// server answers every request once.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runWorkload, startMock } from './harness.ts';

describe('connection reuse', () => {
  test('mock closing connections after 5 requests and 2 s idle: 0 connect errors, resends counted, each request served once', async () => {
    const mock = await startMock(['--ttft-ms', '20', '--itl-ms', '5', '--output-tokens', '8', '--keep-alive-max', '5', '--keep-alive-idle-ms', '2000']);
    try {
      const res = await runWorkload('chat', {
        LLM_BASE_URL: mock.url,
        LLM_VUS: '4',
        LLM_DURATION: '12s',
        LLM_TURNS: '3',
        // Some pauses longer than the idle limit, most shorter.
        LLM_THINK_TIME: 'uniform:0s:3s',
        LLM_THRESHOLDS: 'none',
      });
      assert.equal(res.code, 0, res.stderr);
      const w = res.summary?.workloads.chat;
      assert.ok(w, 'summary has the chat workload');
      const stats = mock.server.stats();
      console.log(`keep-alive: ${w.requests} requests, ${w.connectionResends} resent; mock: ${stats.requests} served, ${stats.keepAliveCloses} closed under a request`);
      assert.deepEqual(w.errors, {}, `errors ${JSON.stringify(w.errors)}`);
      assert.equal(w.successRate, 1);
      assert.ok(stats.keepAliveCloses >= 4, `the mock closed only ${stats.keepAliveCloses} connections under a request: the test did not exercise reuse`);
      assert.equal(w.connectionResends, stats.keepAliveCloses, 'every request the mock closed a connection under was resent once');
      assert.equal(stats.requests, w.requests, 'the mock served each request once');
      assert.match(res.stdout, new RegExp(`${w.connectionResends} requests were sent again on a new connection`));
      assert.match(readFileSync(join(res.outDir, 'llm-summary.md'), 'utf8'), /requests were sent again on a new connection/);
    } finally {
      await mock.server.close();
    }
  });
});
