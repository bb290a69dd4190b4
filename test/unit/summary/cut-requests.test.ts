import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { K6SummaryData } from '../../../src/k6-summary-data.ts';
import { withCutRequests } from '../../../src/summary/cut-requests.ts';

const data = (): K6SummaryData => ({
  state: { testRunDurationMs: 10_000 },
  metrics: {
    llm_requests: { type: 'counter', values: { count: 24, rate: 2.4 } },
    'llm_requests{workload:chat}': { type: 'counter', values: { count: 24, rate: 2.4 } },
  },
});

test('cut requests are added to the requests and to the interrupted errors, per workload and in total, with k6 rates', () => {
  const d = withCutRequests(data(), new Map([['chat', 7]]));
  assert.deepEqual(d.metrics.llm_requests?.values, { count: 31, rate: 3.1 });
  assert.deepEqual(d.metrics['llm_requests{workload:chat}']?.values, { count: 31, rate: 3.1 });
  assert.deepEqual(d.metrics['llm_errors{workload:chat,error:interrupted}']?.values, { count: 7, rate: 0.7 });
  assert.deepEqual(d.metrics.llm_errors?.values, { count: 7, rate: 0.7 });
});

test('nothing cut changes nothing', () => {
  assert.deepEqual(withCutRequests(data(), new Map()), data());
  assert.deepEqual(withCutRequests(data(), new Map([['chat', 0]])), data());
});

test('a workload k6 saw no request of gets its own counts', () => {
  const d = withCutRequests(data(), new Map([['batch', 2]]));
  assert.deepEqual(d.metrics['llm_requests{workload:batch}']?.values, { count: 2, rate: 0.2 });
  assert.deepEqual(d.metrics['llm_requests{workload:chat}']?.values, { count: 24, rate: 2.4 });
});
