// The regression gate's result where a CI reads it: the console table, the
// Markdown summary, the JUnit report (a test case per figure, its interval as
// properties, a failure for a regression) and llm-report.html, each with the
// difference, its interval and the verdict.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Percentiles } from '../../../src/k6-summary-data.ts';
import { renderRunReport } from '../../../src/report/run-report.ts';
import { renderJunit } from '../../../src/summary/junit.ts';
import { renderMarkdown } from '../../../src/summary/markdown.ts';
import type { LlmReport, RegressionRow, RegressionSection, WorkloadReport } from '../../../src/summary/schema.ts';
import { renderGateText } from '../../../tools/baseline/gate-text.ts';

const p = (v: number, count: number): Percentiles => ({ count, avg: v, min: v, p50: v, p90: v, p95: v, p99: v, max: v });

function report(regression?: RegressionSection): LlmReport {
  const w = {
    requests: 100, interrupted: 0, successRate: 1, errors: {}, errorCauses: [], errorCause: null, ttftMs: p(116, 100), itlMs: p(20, 1000), tpotMs: p(20, 100),
    e2eMs: p(416, 100), outputTokensPerSecondPerRequest: p(50, 100), ttftSpread: 1, outputTokens: 0, outputTokensEstimated: 0, promptTokens: 0,
    aggregateOutputTokensPerSecond: 300, requestsPerSecond: 1, sloAttainedRate: 1, goodputPerSecond: 1, thresholdsSource: null, stability: null, availability: null,
    coldStart: null, settings: {}, arrivals: null, batch: null,
  } satisfies WorkloadReport;
  return {
    tool: 'k6-llm', workloads: { chat: w }, generator: { lagMs: null, readLagMs: null, sendLagMs: null, kernelStamps: false, warnAboveMs: 5, warning: null },
    thresholds: [], run: { model: 'm', transport: 'meter' }, testRunDurationMs: 10_000, warnings: [], ...(regression ? { regression } : {}),
  };
}

const row = (over: Partial<RegressionRow>): RegressionRow => ({
  workload: 'chat', figure: 'ttft_p50', unit: 'ms', direction: 'lower-is-better', baseline: 100.5, current: 116.25, difference: 15.75, differenceInterval: [14.2, 16.9],
  change: 0.1567, changeInterval: [0.141, 0.168], tolerance: 0.1, samples: { baseline: 700, current: 350 }, verdict: 'regressed', note: 'worse than the tolerance allows', ...over,
});

const section: RegressionSection = {
  baseline: 'k6-llm-baseline.json', savedAt: '2026-01-01T00:00:00.000Z', baselineRuns: 2, currentRuns: 1, confidence: 0.95, figureConfidence: 1 - 0.05 / 3, judged: 3, resamples: 3000, failed: true,
  rows: [
    row({}),
    row({ figure: 'e2e_p95', baseline: 400, current: 404, difference: 4, differenceInterval: [-3, 11], change: 0.01, changeInterval: [-0.0075, 0.0275], verdict: 'no detectable change', note: '' }),
    row({ figure: 'ttft_p99', differenceInterval: null, changeInterval: null, verdict: 'inconclusive', note: 'too few samples above p99 (3 of 350; needs 10)' }),
    row({ figure: 'success_rate', unit: '', direction: 'higher-is-better', baseline: 1, current: 0.99, difference: -0.01, differenceInterval: [-0.025, 0.001], change: -0.01, changeInterval: [-0.025, 0.001], verdict: 'no detectable change', note: '' }),
  ],
};

test('console: the method, each figure with its difference, interval and verdict, and the outcome', () => {
  const text = renderGateText(section);
  assert.match(text, /^regression gate against k6-llm-baseline\.json: 95 % confidence for the 3 figures judged together \(each interval at 98\.33 %\): block bootstrap over time windows, 3000 resamples/);
  assert.match(text, /chat\s+ttft_p50\s+100\.5 ms\s+116\.3 ms\s+\+15\.75 ms \[\+14\.20, \+16\.90\]\s+\+15\.7 % \[\+14\.1, \+16\.8\]\s+10 %\s+700\/350\s+REGRESSED \(worse than the tolerance allows\)/);
  assert.match(text, /e2e_p95 .* \+1\.0 % \[−0\.8, \+2\.8\] .* no detectable change/);
  assert.match(text, /success_rate\s+100\.00 %\s+99\.00 %\s+−1\.00 pp \[−2\.50, \+0\.10\]/);
  assert.match(text, /ttft_p99 .* inconclusive \(too few samples above p99/);
  assert.match(text, /\nregression: chat ttft_p50 \+15\.7 % \[\+14\.1, \+16\.8\]$/);
});

test('Markdown: the headline says so, and a table row per figure with the intervals', () => {
  const md = renderMarkdown(report(section));
  assert.match(md, /^## k6-llm: ✅ all SLOs met · ❌ regression against the baseline/);
  assert.match(md, /### Regression gate: ❌ regression: chat ttft_p50 \+15\.7 % \[\+14\.1, \+16\.8\]/);
  assert.match(md, /\| ❌ \| chat \| `ttft_p50` \| 100\.5 ms \| 116\.3 ms \| \+15\.75 ms \[\+14\.20, \+16\.90\] \| \+15\.7 % \[\+14\.1, \+16\.8\] \| 10 % \| regressed \(worse than the tolerance allows\) \|/);
  assert.match(md, /\| ⚪ \| chat \| `ttft_p99` \|/);
  assert.doesNotMatch(renderMarkdown(report()), /Regression gate|regression/);
});

test('JUnit: a suite of the gate, a failure for the regression with its interval, properties per figure, skipped when inconclusive', () => {
  const xml = renderJunit(report(section));
  assert.match(xml, /<testsuites name="k6-llm" tests="4" failures="1" skipped="1">/);
  assert.match(xml, /<testsuite name="k6-llm regression" tests="4" failures="1" skipped="1">/);
  assert.match(xml, /<testcase classname="k6-llm\.regression" name="chat ttft_p50">[\s\S]*?<property name="change" value="\+15\.7 % \[\+14\.1, \+16\.8\]"\/>[\s\S]*?<property name="confidence" value="98\.33 %"\/>[\s\S]*?<failure message="chat ttft_p50 regressed \(worse than the tolerance allows\): change \+15\.7 % \[\+14\.1, \+16\.8\], difference \+15\.75 ms \[\+14\.20, \+16\.90\], tolerance 10 %" type="regression"\/>/);
  assert.match(xml, /name="chat ttft_p99">[\s\S]*?<skipped message=/);
  assert.match(xml, /name="chat e2e_p95">[\s\S]*?<system-out>chat e2e_p95 no detectable change: change \+1\.0 % \[−0\.8, \+2\.8\]/);
  assert.doesNotMatch(renderJunit(report()), /regression/);
});

test('HTML: a section with the verdict badge, the method, and each interval drawn against the tolerance band', () => {
  const html = renderRunReport({ name: 'run', summary: report(section), requests: null, ramp: null });
  assert.match(html, /<section class="regression" id="regression"><h2>Regression gate<span class="fail-badge">regression<\/span><\/h2>/);
  assert.match(html, /<tr class="fail" data-figure="chat:ttft_p50" data-verdict="regressed">.*<td>\+15\.75 ms \[\+14\.20, \+16\.90\]<\/td><td>\+15\.7 % \[\+14\.1, \+16\.8\]<\/td><td><svg [^>]*aria-label="change \+15\.7 % \[\+14\.1, \+16\.8\], tolerance 10 %"/);
  assert.match(html, /data-figure="chat:ttft_p99" data-verdict="inconclusive">.*<td><\/td><td>10 %<\/td>/);
  assert.doesNotMatch(renderRunReport({ name: 'run', summary: report(), requests: null, ramp: null }), /class="regression"/);
});
