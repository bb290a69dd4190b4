// Live metrics in a real Prometheus: k6's experimental-prometheus-rw output
// (Trends as native histograms) into Debian's Prometheus on loopback. A chat
// run with open arrivals and injected faults, as two instances (the CLI's
// --instances 2 --prometheus-rw: two k6 processes pushing series tagged
// instance_id), and a short ramp (plain k6 with -o) fill it; then every query
// of ci/grafana/k6-llm.json must return data, and Prometheus's figures, summed
// over the instances, must agree with the merged llm-summary.json: counts
// exactly, TTFT p50 within one bucket of the native histogram.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LlmReport } from '../../src/summary/schema.ts';
import { dashboardPath, dashboardQueries, readDashboard, substitute, variableQueries } from './dashboard-queries.ts';
import { k6, ROOT, runWorkload, startMock } from './harness.ts';
import { finiteValues, instantQuery, labelValues, rangeQuery, startPrometheus, type PrometheusServer, type PromSeries } from './prometheus-server.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');
// A push every second (k6's default is 5 s) so a short run leaves several points per series.
const PUSH = { K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s' };
// Grafana's $__rate_interval for a data source whose scrape interval is the push interval: 4 × 1 s.
const RATE_INTERVAL = '4s';

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, K6_BINARY: k6(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

function byLabel(result: PromSeries[], label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of result) out[s.metric[label] ?? ''] = Number(s.value?.[1]);
  return out;
}

describe('live metrics in a real Prometheus', () => {
  let prom: PrometheusServer;
  let chat: LlmReport;
  let instances: LlmReport[] = [];
  let chatStart = 0;
  let chatEnd = 0;
  let end = 0;

  before(async () => {
    prom = await startPrometheus();
    // Faults (500s, and stalls longer than the stall timeout) so the error panels have data.
    const faulty = await startMock(['--ttft-ms', '150', '--itl-ms', '10', '--output-tokens', '24', '--fault-rate', '0.1', '--faults', '500,stall', '--stall-ms', '600', '--seed', '13']);
    const clean = await startMock(['--ttft-ms', '60', '--itl-ms', '10', '--output-tokens', '16']);
    try {
      const outDir = mkdtempSync(join(tmpdir(), 'k6-llm-prom-chat-'));
      chatStart = Date.now() / 1000;
      const run = await cli(
        ['run', 'chat', '--url', faulty.url, '--rate', '12', '--duration', '8s', '--stall-timeout', '300ms', '--thresholds', 'none', '--quiet', '--instances', '2', '--prometheus-rw', prom.url, '--out-dir', outDir],
        PUSH,
      );
      chatEnd = Date.now() / 1000;
      assert.equal(run.code, 0, run.stderr);
      const summary = join(outDir, 'llm-summary.json');
      assert.ok(existsSync(summary), run.stderr);
      chat = JSON.parse(readFileSync(summary, 'utf8')) as LlmReport;
      instances = [0, 1].map((i) => JSON.parse(readFileSync(join(outDir, `instance-${i}`, 'llm-summary.json'), 'utf8')) as LlmReport);
      // The ramp with plain k6, the way docs/live-metrics.md shows it: -o plus K6_PROMETHEUS_RW_* variables.
      const ramp = await runWorkload(
        'ramp',
        { LLM_BASE_URL: clean.url, LLM_LEVELS: '1,3', LLM_LEVEL_DURATION: '3s', LLM_WARMUP: '1s' },
        { K6_PROMETHEUS_RW_SERVER_URL: prom.writeUrl, K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true', ...PUSH },
        undefined,
        ['-o', 'experimental-prometheus-rw'],
      );
      assert.ok(ramp.summary, ramp.stderr);
      end = Date.now() / 1000;
    } finally {
      await faulty.server.close();
      await clean.server.close();
    }
  });

  after(async () => {
    await prom?.close();
  });

  test('every dashboard query returns data, and every variable has values', async () => {
    const dashboard = readDashboard(dashboardPath(ROOT));
    const vars = { workload: '.*', model: '.*', __rate_interval: RATE_INTERVAL, __range: `${Math.ceil(end - chatStart) + 5}s` };
    const empty: string[] = [];
    const queries = dashboardQueries(dashboard);
    for (const q of queries) {
      const expr = substitute(q.expr, vars);
      const result = q.instant ? await instantQuery(prom, expr, end) : await rangeQuery(prom, expr, chatStart - 5, end, 1);
      if (finiteValues(result).length === 0) empty.push(`${q.panel} [${q.refId}]: ${expr}`);
    }
    console.log(`${queries.length - empty.length} of ${queries.length} dashboard queries returned data`);
    assert.deepEqual(empty, []);
    for (const v of variableQueries(dashboard)) {
      const values = await labelValues(prom, v.label, substitute(v.match, vars));
      assert.ok(values.length > 0, `variable ${v.name}: no values`);
      if (v.name === 'workload') assert.deepEqual(values.filter((w) => w === 'chat' || w === 'ramp').sort(), ['chat', 'ramp']);
    }
  });

  test('counts agree exactly: requests with each instance\'s summary, errors by kind and TTFT samples summed over both with the merged summary', async () => {
    const w = chat.workloads.chat;
    assert.ok(w, 'chat in the summary');
    assert.deepEqual((await labelValues(prom, 'instance_id', 'k6_llm_requests_total{workload="chat"}')).sort(), ['0', '1']);
    // Requests as k6 counted them (llm_requests), instance by instance, and their sum in the merged summary
    // (both count the requests k6 abandoned when the test ended: the teardown counts them, the merge reads their records).
    const perInstance = byLabel(await instantQuery(prom, 'sum by (instance_id) (k6_llm_requests_total{workload="chat"})', chatEnd), 'instance_id');
    assert.deepEqual(perInstance, { 0: instances[0]?.workloads.chat?.requests, 1: instances[1]?.workloads.chat?.requests });
    assert.equal(w.requests, (perInstance[0] ?? 0) + (perInstance[1] ?? 0));
    console.log(`requests: Prometheus ${JSON.stringify(perInstance)}, merged summary ${w.requests} (${chat.merge?.cutAtEnd} of them requests k6 abandoned at the end)`);
    const errors = byLabel(await instantQuery(prom, 'sum by (error) (k6_llm_errors_total{workload="chat"})', chatEnd), 'error');
    // k6 counts the requests cut at the end as llm_errors{error:interrupted}; the summary keeps them apart from the failures.
    assert.deepEqual(errors, { ...w.errors, ...(w.interrupted > 0 ? { interrupted: w.interrupted } : {}) });
    assert.ok((w.errors.stall ?? 0) > 0 && (w.errors.http_5xx ?? 0) > 0, JSON.stringify(w.errors));
    const count = finiteValues(await instantQuery(prom, 'histogram_count(sum(k6_llm_ttft_seconds{workload="chat"}))', chatEnd));
    assert.deepEqual(count, [w.ttftMs?.count]);
  });

  test('TTFT p50 from the instances\' native histograms, summed, is within one bucket (factor 2^(1/8)) of the merged summary', async () => {
    const ttft = chat.workloads.chat?.ttftMs;
    assert.ok(ttft?.p50);
    // The resolution, read from the data: k6 asks for bucket factor 1.1, client_golang picks schema 3 (2^(1/8) ≈ 1.0905).
    const raw = await instantQuery(prom, 'sum(k6_llm_ttft_seconds{workload="chat"})', chatEnd);
    const buckets = raw[0]?.histogram?.[1].buckets ?? [];
    assert.ok(buckets.length > 0, JSON.stringify(raw));
    const factors = buckets.map(([, lo, hi]) => Number(hi) / Number(lo));
    const factor = 2 ** (1 / 8);
    for (const f of factors) assert.ok(Math.abs(f - factor) < 1e-9, `bucket factor ${f}`);
    const [p50s] = finiteValues(await instantQuery(prom, 'histogram_quantile(0.5, sum(k6_llm_ttft_seconds{workload="chat"}))', chatEnd));
    assert.ok(p50s !== undefined);
    const prometheusMs = p50s * 1000;
    const ratio = prometheusMs / ttft.p50;
    console.log(`TTFT p50: summary ${ttft.p50.toFixed(2)} ms, Prometheus ${prometheusMs.toFixed(2)} ms (ratio ${ratio.toFixed(4)}, bound ${factor.toFixed(4)}), ${ttft.count} samples`);
    assert.ok(ratio <= factor && ratio >= 1 / factor, `ratio ${ratio}`);
  });
});
