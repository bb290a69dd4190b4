// What only k6 measured (its timer lag, the schedule lag) is combined from
// the instances' summaries: counts summed, min and max exact, percentiles the
// largest instance's; bounds on metrics the records cannot give take the
// worst instance's value.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { combinedTrend, mergedReport } from '../../../src/merge/merged-data.ts';
import { Samples } from '../../../src/merge/samples.ts';
import { WorkloadFigures } from '../../../src/merge/workload-figures.ts';
import type { LlmReport } from '../../../src/summary/schema.ts';
import { validateThresholdSpec } from '../../../src/thresholds/threshold-file.ts';
import { syntheticSummary } from '../../../tools/merge/synthetic.ts';

const lag = (count: number, p99: number, max: number) => ({ count, avg: p99 / 2, min: 0.1 * count, p50: p99 / 3, p90: p99 / 2, p95: p99 / 1.5, p99, max });

describe('combined figures', () => {
  it('combinedTrend: summed count, weighted mean, min of mins, largest percentiles and max', () => {
    const t = combinedTrend([lag(10, 4, 9), null, lag(30, 2, 12)]);
    assert.deepEqual(t?.values, { count: 40, avg: (2 * 10 + 1 * 30) / 40, min: 1, med: 4 / 3, 'p(90)': 2, 'p(95)': 4 / 1.5, 'p(99)': 4, max: 12 });
    assert.equal(combinedTrend([null, undefined]), null);
  });

  it('a bound on a metric the records do not hold is the worst instance value, failing when any instance failed', () => {
    const instance = (name: string, measured: number, ok: boolean) => {
      const report = syntheticSummary('chat', 'custom.json') as LlmReport;
      report.thresholds = [{ metric: 'http_req_duration{workload:chat}', expression: 'p(95)<100', ok, verdict: ok ? 'ok' : 'fail', samples: null, aggregation: 'p(95)', measured }];
      report.generator.lagMs = lag(5, measured / 10, measured / 5);
      return { name, report };
    };
    const spec = validateThresholdSpec({ thresholds: { http_req_duration: ['p(95)<100'] } }, 'custom.json');
    const figures = new Map([['chat', new WorkloadFigures({})]]);
    const run = (a: number, b: number, okB: boolean) =>
      mergedReport({ instances: [instance('a', a, true), instance('b', b, okB)], figures, readLag: new Samples(), sendLag: new Samples(), specs: new Map([['chat', spec]]) });
    const passed = run(40, 90, true);
    assert.equal(passed.failed, false);
    assert.equal(passed.report.thresholds[0]?.measured, 90);
    const failed = run(40, 120, false);
    assert.equal(failed.failed, true);
    assert.equal(failed.report.thresholds[0]?.measured, 120);
    assert.equal(failed.report.generator.lagMs?.p99, 12);
    assert.equal(failed.report.generator.lagMs?.count, 10);
  });
});
