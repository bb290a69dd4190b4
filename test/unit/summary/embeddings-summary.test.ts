// The summary of an embeddings batch job: inputs/s and input tokens/s over
// the job time (llm_batch_job_ms), and TTFT, ITL, TPOT and per-request
// tokens/s shown as not applicable instead of empty, in the text and the
// Markdown; a generation batch keeps its usual lines.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K6Metric, K6SummaryData } from '../../../src/k6-summary-data.ts';
import { buildReport } from '../../../src/summary/build.ts';
import { renderMarkdown } from '../../../src/summary/markdown.ts';
import { renderText } from '../../../src/summary/text.ts';
import { headlineHtml } from '../../../src/report/headline.ts';
import type { WorkloadRunInfo } from '../../../src/run-info.ts';

const counter = (count: number): K6Metric => ({ type: 'counter', values: { count, rate: count / 10 } });
const E2E: K6Metric = {
  type: 'trend',
  values: { avg: 52, min: 50, med: 51, max: 60, 'p(90)': 55, 'p(95)': 57, 'p(99)': 59, count: 8 },
};

function data(): K6SummaryData {
  return {
    state: { testRunDurationMs: 10_000 },
    metrics: {
      'llm_requests{workload:batch}': counter(8),
      'llm_request_success{workload:batch}': { type: 'rate', values: { rate: 1, passes: 8, fails: 0 } },
      'llm_e2e{workload:batch}': E2E,
      'llm_prompt_tokens{workload:batch}': counter(20_480),
      'llm_embedding_inputs{workload:batch}': counter(128),
      // Job time 0.8 s: 128 inputs → 160/s, 20 480 tokens → 25 600/s.
      'llm_batch_job_ms{workload:batch}': { type: 'gauge', values: { value: 800, min: 60, max: 800 } },
    },
  } as unknown as K6SummaryData;
}

const info = (embeddings: boolean): WorkloadRunInfo => ({
  workload: 'batch',
  spec: null,
  batch: { jobSize: 8 },
  ...(embeddings ? { embeddings: { inputsPerRequest: 16 } } : {}),
});

describe('an embeddings job in the summary', () => {
  it('reports inputs/s and input tokens/s over the job time', () => {
    const w = buildReport(data(), [info(true)], { model: 'm' }, 5).workloads.batch;
    assert.ok(w?.embeddings);
    assert.deepEqual(
      { ...w.embeddings, notApplicable: undefined },
      { inputsPerRequest: 16, inputs: 128, inputTokens: 20_480, overMs: 800, inputsPerSecond: 160, inputTokensPerSecond: 25_600, notApplicable: undefined },
    );
    assert.match(w.embeddings.notApplicable, /^TTFT, ITL and TPOT: not applicable \(embeddings\)/);
    assert.equal(w.ttftMs, null);
  });

  it('says TTFT, ITL, TPOT and tokens/s per request do not apply, and gives the rates', () => {
    const text = renderText(buildReport(data(), [info(true)], { model: 'm' }, 5));
    for (const label of ['TTFT (ms)', 'ITL (ms)', 'TPOT (ms)', 'tokens/s per request']) {
      assert.match(text, new RegExp(`${label.replace(/[()/]/g, '\\$&')}\\s+not applicable \\(embeddings\\)`), label);
    }
    assert.match(text, /E2E \(ms\)\s+51/);
    assert.match(text, /embeddings: 128 inputs \(16 per request\) · 160\.0 inputs\/s · 25600\.0 input tokens\/s over the job \(0\.80 s\) · input tokens 20480/);
    assert.doesNotMatch(text, /output tokens\/s over the job/);
    assert.doesNotMatch(text, /not measured/);
    const md = renderMarkdown(buildReport(data(), [info(true)], { model: 'm' }, 5));
    assert.match(md, /\| TTFT \(ms\) \| not applicable \(embeddings\) \|/);
    assert.match(md, /Embeddings: 128 inputs \(16 per request\)/);
  });

  it("gives the HTML report's headline the same rates, and TTFT/ITL as not applicable", () => {
    const w = buildReport(data(), [info(true)], { model: 'm' }, 5).workloads.batch;
    assert.ok(w);
    const html = headlineHtml(w);
    assert.match(html, /data-figure="inputsPerSecond"><div class="name">Inputs\/s<\/div><div class="value">160\.0</);
    assert.match(html, /data-figure="inputTokensPerSecond"><div class="name">Input tokens\/s<\/div><div class="value">25600\.0</);
    assert.match(html, /data-figure="ttft"><div class="name">TTFT, ITL<\/div><div class="value">not applicable</);
    assert.doesNotMatch(html, /Output tokens\/s/);
  });

  it('leaves a generation batch as it was', () => {
    const report = buildReport(data(), [info(false)], { model: 'm' }, 5);
    assert.equal(report.workloads.batch?.embeddings, undefined);
    const text = renderText(report);
    assert.match(text, /TTFT \(ms\)\s+not measured/);
    assert.match(text, /output tokens 0 · aggregate/);
    assert.doesNotMatch(text, /not applicable/);
    assert.match(headlineHtml(report.workloads.batch as NonNullable<typeof report.workloads.batch>), /Output tokens\/s/);
  });
});
