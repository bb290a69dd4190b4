// k6's built-in web dashboard, exported as one HTML file at the end of a run
// (K6_WEB_DASHBOARD=true, K6_WEB_DASHBOARD_EXPORT): the llm_* metrics are in
// it, and its whole-run TTFT figures are the summary's.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { runWorkload, startMock } from './harness.ts';

interface DashboardEvent {
  event: string;
  data: unknown;
}

/** The report's data: a gzipped, base64 script element holding one JSON event per line. */
function reportEvents(html: string): DashboardEvent[] {
  const m = /<script id="data" type="application\/json; charset=utf-8; gzip; base64">([^<]+)<\/script>/.exec(html);
  assert.ok(m, 'no data script in the exported report');
  const text = gunzipSync(Buffer.from((m[1] as string).trim(), 'base64')).toString('utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as DashboardEvent);
}

describe('web dashboard export', () => {
  test('the exported HTML holds llm_ttft and the other llm_* metrics, with the summary\'s whole-run TTFT figures', async () => {
    const mock = await startMock(['--ttft-ms', '80', '--itl-ms', '10', '--output-tokens', '16', '--jitter-ms', '5']);
    const report = join(mkdtempSync(join(tmpdir(), 'k6-llm-web-dashboard-')), 'k6-dashboard.html');
    try {
      const run = await runWorkload(
        'chat',
        { LLM_BASE_URL: mock.url, LLM_DURATION: '5s', LLM_VUS: '2', LLM_THRESHOLDS: 'none' },
        // Port -1: no HTTP server (k6 would wait for open browser windows); period 1 s: k6 skips the report of a run shorter than a few periods.
        { K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_PORT: '-1', K6_WEB_DASHBOARD_PERIOD: '1s', K6_WEB_DASHBOARD_EXPORT: report },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.ok(existsSync(report), `no ${report}; k6 said: ${run.stderr}`);
      const events = reportEvents(readFileSync(report, 'utf8'));
      // Metric declarations arrive in several events; every snapshot lists the metrics known so far by name, in order.
      const declared: Record<string, { type: string }> = {};
      for (const e of events) if (e.event === 'metric') Object.assign(declared, e.data as Record<string, { type: string }>);
      for (const name of ['llm_ttft', 'llm_itl', 'llm_e2e', 'llm_requests', 'llm_request_success', 'llm_output_tokens', 'llm_slo_attained']) {
        assert.ok(declared[name], `${name} not in the report (it has ${Object.keys(declared).join(', ')})`);
      }
      const order = Object.keys(declared).sort();
      const param = events.find((e) => e.event === 'param')?.data as { aggregates: { trend: string[] } };
      const cumulative = events.find((e) => e.event === 'cumulative')?.data as number[][] | undefined;
      assert.ok(cumulative && cumulative.length === order.length, `cumulative ${cumulative?.length} columns for ${order.length} metrics`);
      const ttft = cumulative[order.indexOf('llm_ttft')] as number[];
      const stat = (name: string) => ttft[param.aggregates.trend.indexOf(name)] as number;
      const summary = run.summary?.workloads.chat?.ttftMs;
      assert.ok(summary, run.stderr);
      console.log(`web dashboard llm_ttft med ${stat('med')} / p(99) ${stat('p(99)')} / max ${stat('max')} ms; summary p50 ${summary.p50} / p99 ${summary.p99} / max ${summary.max} ms`);
      // The report rounds to 0.01 ms.
      assert.ok(Math.abs(stat('med') - summary.p50) <= 0.01, `med ${stat('med')} vs p50 ${summary.p50}`);
      assert.ok(Math.abs(stat('p(99)') - summary.p99) <= 0.01, `p(99) ${stat('p(99)')} vs p99 ${summary.p99}`);
      assert.ok(Math.abs(stat('max') - summary.max) <= 0.01, `max ${stat('max')} vs ${summary.max}`);
    } finally {
      await mock.server.close();
    }
  });
});
