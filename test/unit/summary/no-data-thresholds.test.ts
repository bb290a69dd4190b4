// A threshold judged on zero samples is "no data", never ok: k6 passes it
// (a Trend with no samples reads 0), the reports must not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K6SummaryData } from '../../../src/k6-summary-data.ts';
import { buildReport } from '../../../src/summary/build.ts';
import { renderJunit } from '../../../src/summary/junit.ts';
import { renderMarkdown } from '../../../src/summary/markdown.ts';
import { renderText } from '../../../src/summary/text.ts';

// Every request failed (401): k6's data as v1.1.0 hands it over, thresholds listed out of order.
const ALL_FAILED: K6SummaryData = {
  state: { testRunDurationMs: 10_000 },
  metrics: {
    'llm_ttft{workload:chat}': {
      type: 'trend',
      values: { avg: 0, min: 0, med: 0, max: 0, 'p(90)': 0, 'p(95)': 0, 'p(99)': 0, count: 0 },
      thresholds: { 'p(99)<500': { ok: true }, 'p(95)<300': { ok: true } },
    },
    'llm_request_success{workload:chat}': { type: 'rate', values: { rate: 0, passes: 0, fails: 23 }, thresholds: { 'rate>0.99': { ok: false } } },
    'llm_ttft_spread{workload:chat}': { type: 'gauge', values: { value: 0, min: 0, max: 0 }, thresholds: { 'value<=3': { ok: true } } },
    'llm_errors{workload:chat}': { type: 'counter', values: { count: 0, rate: 0 }, thresholds: { 'count<1000': { ok: true } } },
    'llm_requests{workload:chat}': { type: 'counter', values: { count: 23, rate: 2.3 } },
  },
};

describe('a threshold on zero samples', () => {
  const report = buildReport(ALL_FAILED, [{ workload: 'chat', spec: null }], { model: 'm', transport: 'meter' }, 5);
  const by = (metric: string, expression: string) => report.thresholds.find((t) => t.metric === metric && t.expression === expression);

  it('is "no data" in the JSON report, with its sample count; a counter at 0 and a failed rate are judged', () => {
    assert.equal(by('llm_ttft{workload:chat}', 'p(95)<300')?.verdict, 'no data');
    assert.equal(by('llm_ttft{workload:chat}', 'p(95)<300')?.samples, 0);
    assert.equal(by('llm_ttft{workload:chat}', 'p(95)<300')?.measured, null);
    assert.equal(by('llm_ttft_spread{workload:chat}', 'value<=3')?.verdict, 'no data');
    assert.equal(by('llm_errors{workload:chat}', 'count<1000')?.verdict, 'ok');
    assert.equal(by('llm_request_success{workload:chat}', 'rate>0.99')?.verdict, 'fail');
    assert.equal(by('llm_request_success{workload:chat}', 'rate>0.99')?.samples, 23);
  });

  it('is listed in a stable order: by metric, then expression', () => {
    assert.deepEqual(
      report.thresholds.map((t) => `${t.metric} ${t.expression}`),
      ['llm_errors{workload:chat} count<1000', 'llm_request_success{workload:chat} rate>0.99', 'llm_ttft_spread{workload:chat} value<=3', 'llm_ttft{workload:chat} p(95)<300', 'llm_ttft{workload:chat} p(99)<500'],
    );
  });

  it('reads NO DATA in the console, never ok', () => {
    const text = renderText(report);
    assert.match(text, /NO DATA llm_ttft\{workload:chat\}: p\(95\)<300 \(no samples/);
    assert.doesNotMatch(text, /ok +llm_ttft\{workload:chat\}/);
    assert.doesNotMatch(text, /ok +llm_ttft_spread/);
    assert.match(text, /FAIL llm_request_success/);
  });

  it('reads no data in Markdown, and the headline counts it apart', () => {
    const md = renderMarkdown(report);
    assert.match(md, /\| ⚪ \| `llm_ttft\{workload:chat\}` \| `p\(95\)<300` \| no data \(no samples\) \|/);
    assert.match(md, /^## k6-llm: ❌ 1 SLO breach · ⚪ 3 without data$/m);
  });

  it('is a skipped test case in JUnit, with the reason, not a pass', () => {
    const xml = renderJunit(report);
    assert.match(xml, /<testsuites name="k6-llm" tests="5" failures="1" skipped="3">/);
    assert.match(xml, /name="llm_ttft\{workload:chat\}: p\(95\)&lt;300"><skipped message="no data: llm_ttft\{workload:chat\} has no samples, so p\(95\)&lt;300 was not judged"\/>/);
  });
});
