import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Percentiles } from '../../../src/k6-summary-data.ts';
import type { LlmReport, WorkloadReport } from '../../../src/summary/schema.ts';
import { compare, makeBaseline, medianFigures, figuresOf, parseTolerance, renderComparison } from '../../../tools/baseline/compare.ts';

const p = (v: number, count: number): Percentiles => ({ count, avg: v, min: v, p50: v, p90: v, p95: v, p99: v, max: v });

function report(ttft: number, tokensPerSecond: number, requests = 100): LlmReport {
  const w = {
    requests,
    interrupted: 0,
    successRate: 1,
    errors: {},
    errorCauses: [],
    errorCause: null,
    ttftMs: p(ttft, requests),
    itlMs: p(20, requests * 10),
    tpotMs: p(20, requests),
    e2eMs: p(ttft + 300, requests),
    outputTokensPerSecondPerRequest: p(50, requests),
    ttftSpread: 1,
    outputTokens: 0,
    outputTokensEstimated: 0,
    promptTokens: 0,
    aggregateOutputTokensPerSecond: tokensPerSecond,
    requestsPerSecond: 1,
    sloAttainedRate: 1,
    goodputPerSecond: 1,
    thresholdsSource: null,
    stability: null,
    availability: null,
    coldStart: null,
    settings: {},
    arrivals: null,
    batch: null,
  } satisfies WorkloadReport;
  return { tool: 'k6-llm', workloads: { chat: w }, generator: { lagMs: null, readLagMs: null, sendLagMs: null, kernelStamps: false, warnAboveMs: 5, warning: null }, thresholds: [], run: { model: 'm' }, testRunDurationMs: 1000, warnings: [] };
}

const options = { tolerance: 0.1, tolerances: {}, minSamples: 30 };
const verdict = (rows: ReturnType<typeof compare>, figure: string) => rows.find((r) => r.figure === figure)?.verdict;

test('a 30 % TTFT rise is a regression, 3 % is not', () => {
  const base = makeBaseline([report(100, 300)], 'x', 't');
  assert.equal(verdict(compare(base, figuresOf(report(130, 300)), options), 'ttft_p95'), 'regression');
  assert.equal(verdict(compare(base, figuresOf(report(103, 300)), options), 'ttft_p95'), 'ok');
  assert.equal(verdict(compare(base, figuresOf(report(80, 300)), options), 'ttft_p95'), 'improved');
});

test('throughput is higher-is-better', () => {
  const base = makeBaseline([report(100, 300)], 'x', 't');
  assert.equal(verdict(compare(base, figuresOf(report(100, 260)), options), 'aggregate_output_tokens_per_second'), 'regression');
  assert.equal(verdict(compare(base, figuresOf(report(100, 400)), options), 'aggregate_output_tokens_per_second'), 'improved');
});

test('too few samples is inconclusive, never a regression', () => {
  const base = makeBaseline([report(100, 300, 20)], 'x', 't');
  const rows = compare(base, figuresOf(report(200, 100, 20)), options);
  assert.ok(!rows.some((r) => r.verdict === 'regression'), JSON.stringify(rows.map((r) => r.verdict)));
  for (const figure of ['ttft_p50', 'ttft_p95', 'ttft_p99', 'e2e_p95', 'aggregate_output_tokens_per_second']) {
    assert.equal(verdict(rows, figure), 'inconclusive', figure);
  }
  // ITL has 200 samples from the same 20 requests: enough to judge, and unchanged.
  assert.equal(verdict(rows, 'itl_p95'), 'ok');
  assert.match(renderComparison(rows), /INCONCLUSIVE: too few samples \(20 < 30\)/);
});

test('per-figure tolerances override the default', () => {
  const base = makeBaseline([report(100, 300)], 'x', 't');
  const rows = compare(base, figuresOf(report(104, 300)), { ...options, tolerances: { ttft_p95: 0.03 } });
  assert.equal(verdict(rows, 'ttft_p95'), 'regression');
  assert.equal(verdict(rows, 'ttft_p50'), 'ok');
});

test('a figure missing from the current run fails the gate', () => {
  const base = makeBaseline([report(100, 300)], 'x', 't');
  const current = figuresOf(report(100, 300));
  delete current.chat;
  assert.equal(verdict(compare(base, current, options), 'ttft_p95'), 'missing');
});

test('repeated runs: the median of each figure, samples added up', () => {
  const m = medianFigures([figuresOf(report(100, 300)), figuresOf(report(300, 100)), figuresOf(report(110, 280))]);
  assert.equal(m.chat?.ttft_p95?.value, 110);
  assert.equal(m.chat?.aggregate_output_tokens_per_second?.value, 280);
  assert.equal(m.chat?.ttft_p95?.samples, 300);
});

test('tolerances parse as percent or fraction', () => {
  assert.equal(parseTolerance('10%'), 0.1);
  assert.equal(parseTolerance('0.05'), 0.05);
  assert.equal(parseTolerance('ten'), null);
});
