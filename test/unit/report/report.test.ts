// The HTML report from synthetic runs: records turned into the same figures
// as k6's, the TTFT CDF's percentile markers and SLO bound at the right x,
// windows over time, cost, the comparison page, and the page being offline
// (no scripts, no external references).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { cdfChart } from '../../../src/report/distribution-chart.ts';
import { costFigures, parsePrice, PriceError, hourlyCostPerMillion } from '../../../src/report/cost.ts';
import { renderComparison } from '../../../src/report/compare.ts';
import { requestsFromRecords } from '../../../src/report/requests.ts';
import { renderRunReport } from '../../../src/report/run-report.ts';
import { CHART, xScale } from '../../../src/report/svg.ts';
import { timeWindows, windowLength } from '../../../src/report/windows.ts';
import { sloBounds } from '../../../src/report/workload-section.ts';
import { recordLine, summary, workload } from './fixtures.ts';

/** Asserts the page is one offline file: no scripts, links, fonts or external URLs. */
export function assertOffline(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<link/i);
  assert.doesNotMatch(html, /@import|@font-face|url\(/i);
  assert.doesNotMatch(html, /\b(src|href)=/i);
  // The only URL-looking strings allowed are the SVG namespace and the run's own endpoint text.
  const urls = (html.match(/https?:\/\/[^\s"<]+/g) ?? []).filter((u) => u !== 'http://www.w3.org/2000/svg' && !u.startsWith('http://127.0.0.1'));
  assert.deepEqual(urls, []);
}

const LINES = [
  recordLine({ sentS: 0, ttft: 100 }),
  recordLine({ sentS: 0.5, ttft: 120 }),
  recordLine({ sentS: 1.5, ttft: 300 }),
  recordLine({ sentS: 2.5, ttft: 0, status: 503 }),
  recordLine({ sentS: 3, ttft: 150, workload: 'batch', tokens: 8 }),
].join('\n');

describe('requests from the meter records', () => {
  it('turns each line into a record with the adapter, by send time and workload', () => {
    const { points, skippedLines } = requestsFromRecords(`${LINES}\nnot json\n`, openaiChat, 'chat');
    assert.equal(skippedLines, 1);
    assert.equal(points.length, 5);
    assert.deepEqual(points.map((p) => p.workload), ['chat', 'chat', 'chat', 'chat', 'batch']);
    assert.deepEqual(points.map((p) => Math.round(p.sentMs)), [0, 500, 1500, 2500, 3000]);
    assert.equal(points[0].record.ttftMs, 100);
    assert.equal(points[0].record.outputTokens, 4);
    assert.deepEqual(points[0].record.itlMs, [20, 20, 20]);
    assert.equal(points[3].record.error, 'http_5xx');
    assert.equal(points[4].record.outputTokens, 8);
  });
});

describe('windows over time', () => {
  it('picks round window lengths', () => {
    assert.equal(windowLength(10_000), 1000);
    assert.equal(windowLength(120_000), 5000);
    assert.equal(windowLength(3_600_000), 120_000);
  });
  it('gives each window its TTFT percentiles, tokens/s, in-flight and errors', () => {
    const chat = requestsFromRecords(LINES, openaiChat, 'chat').points.filter((p) => p.workload === 'chat');
    const w = timeWindows(chat, 1000);
    assert.equal(w.length, 3);
    assert.equal(w[0].requests, 2);
    assert.equal(w[0].ttftP50Ms, 110);
    assert.equal(w[1].ttftP99Ms, 300);
    assert.deepEqual(w[2].errors, { http_5xx: 1 });
    // 4 + 4 + 4 tokens over the run, all inside the windows.
    const tokens = w.reduce((a, x) => a + x.outputTokensPerSecond, 0);
    assert.ok(Math.abs(tokens - 12) < 1e-9, String(tokens));
    assert.ok(w[0].inFlight > 0);
  });
});

describe('TTFT distribution', () => {
  it('draws p50/p95/p99 and the SLO bound at their x', () => {
    const svg = cdfChart('TTFT', 'ms', [{ name: 'a', color: '#000', values: [100, 120, 300] }], [
      { value: 110, label: 'p50', kind: 'p50' },
      { value: 280, label: 'p95', kind: 'p95' },
      { value: 296, label: 'p99', kind: 'p99' },
      ...sloBounds(summary({ chat: workload() }).thresholds, 'llm_ttft'),
    ]);
    const x = xScale(Math.max(300 * 0.999 + 100 * 0, 500) * 1.05);
    const at = (cls: string) => {
      const m = new RegExp(`<g class="${cls}"[^>]*><line x1="([\\d.]+)"`).exec(svg);
      assert.ok(m, `no ${cls} marker`);
      return Number(m[1]);
    };
    assert.equal(at('mark-p99'), Number(x.px(296).toFixed(1)));
    assert.equal(at('mark-p50'), Number(x.px(110).toFixed(1)));
    const slo = [...svg.matchAll(/<g class="mark-slo" data-value="([\d.]+)"><line x1="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.deepEqual(slo, [
      [300, Number(x.px(300).toFixed(1))],
      [500, Number(x.px(500).toFixed(1))],
    ]);
    assert.ok(at('mark-p99') > CHART.left && at('mark-p99') < CHART.width - CHART.right);
    assert.match(svg, /SLO p95 300/);
  });
});

describe('cost', () => {
  it('parses hourly and token prices and rejects others', () => {
    assert.deepEqual(parsePrice('2.5/h'), { kind: 'hourly', perHour: 2.5 });
    assert.deepEqual(parsePrice('in=0.5,out=1.5'), { kind: 'tokens', inPerMillion: 0.5, outPerMillion: 1.5 });
    assert.deepEqual(parsePrice('out=2'), { kind: 'tokens', inPerMillion: 0, outPerMillion: 2 });
    for (const bad of ['2.5', 'abc', 'in=x', 'in=1,in=2', '2.5/d']) assert.throws(() => parsePrice(bad), PriceError, bad);
  });
  it('gives cost per million output tokens at the run length and tokens', () => {
    const c = costFigures(parsePrice('2.5/h'), { outputTokens: 40_000, promptTokens: 0, requests: 100 }, 60);
    assert.ok(c);
    assert.ok(Math.abs((c.perMillionOutputTokens as number) - (2.5 / 3600) * 60 / 40_000 * 1e6) < 1e-9);
    assert.ok(Math.abs((c.perRequest as number) - (2.5 / 3600) * 60 / 100) < 1e-12);
    const t = costFigures(parsePrice('in=0.5,out=1.5'), { outputTokens: 1e6, promptTokens: 2e6, requests: 10 }, 60);
    assert.equal(t?.perMillionOutputTokens, 2.5);
    assert.ok(Math.abs((hourlyCostPerMillion(parsePrice('3.6/h'), 1000) as number) - 1) < 1e-12);
  });
});

describe('the run page', () => {
  const points = requestsFromRecords(LINES, openaiChat, 'chat').points;
  const mixed = summary({ chat: workload(), batch: workload({ requests: 1 }) });
  it('has one section per workload with its headline figures, SLO verdicts and charts', () => {
    const html = renderRunReport({ name: 'run-1', summary: mixed, requests: points, ramp: null }, parsePrice('2.5/h'));
    assertOffline(html);
    assert.match(html, /id="workload-chat"/);
    assert.match(html, /id="workload-batch"/);
    assert.match(html, /data-figure="ttft"><div class="name">TTFT p50 \/ p99<\/div><div class="value">100 \/ 200 ms/);
    assert.match(html, /<td class="verdict">BROKEN<\/td>/);
    assert.match(html, /TTFT distribution \(CDF\)/);
    assert.match(html, /Inter-token latency/);
    assert.match(html, /class="ttft-p99"/);
    assert.match(html, /Errors per window, by kind/);
    assert.match(html, /class="err-http_5xx"/);
    // Cost: 2.5 $/h × 10 s / 80 output tokens × 10⁶.
    const expected = ((2.5 / 3600) * 10) / 80 * 1e6;
    assert.match(html, new RegExp(`data-figure="costPerMillionOutputTokens"><div class="name">[^<]+</div><div class="value">\\$${expected.toFixed(2)}<`));
  });
  it('says so when there are no records', () => {
    const html = renderRunReport({ name: 'run-1', summary: mixed, requests: null, ramp: null });
    assertOffline(html);
    assert.match(html, /No per-request records/);
  });
  it('draws coldstart probes and the availability timeline from the summary', () => {
    const w = workload({
      coldStart: { coldTtftMs: null, warmTtftMs: null, penaltyMs: 900, penaltyPerProbeMs: null, timeToFirstSuccessMs: null, retries: 2, coldSuccessRate: 1, warmSuccessRate: 1, probes: [{ probe: 1, coldTtftMs: 1000, warmTtftMedianMs: 100, penaltyMs: 900, timeToFirstSuccessMs: 1200, retries: 2 }] } as never,
      availability: { windowMs: 1000, requests: 4, successes: 3, availability: 0.75, windows: [{ startMs: 0, endMs: 1000, requests: 2, successes: 2, availability: 1, errors: {} }, { startMs: 1000, endMs: 2000, requests: 2, successes: 1, availability: 0.5, errors: { http_5xx: 1 } }], worstWindow: { startMs: 1000, endMs: 2000, requests: 2, successes: 1, availability: 0.5, errors: { http_5xx: 1 } }, longestFailureRun: { requests: 1, fromMs: 1500, toMs: 1500 } },
    });
    const html = renderRunReport({ name: 'r', summary: summary({ coldstart: w }), requests: [], ramp: null });
    assertOffline(html);
    assert.match(html, /<rect class="cold" data-value="1000"/);
    assert.match(html, /<rect class="warm" data-value="100"/);
    assert.match(html, /<rect class="window" data-value="0.5"/);
    assert.match(html, /overall <b>75.000 %<\/b>/);
  });
});

describe('the comparison page', () => {
  it('puts each run\'s figures side by side and says which run meets which SLO', () => {
    const a = summary({ chat: workload() });
    const b = summary({ chat: workload({ ttftMs: { count: 10, avg: 200, min: 100, p50: 200, p90: 380, p95: 390, p99: 400, max: 440 } }) });
    b.thresholds[0] = { ...b.thresholds[0], ok: false, measured: 390 };
    const points = requestsFromRecords(LINES, openaiChat, 'chat').points;
    const html = renderComparison([{ name: 'ttft-100', summary: a, requests: points, ramp: null }, { name: 'ttft-200', summary: b, requests: points, ramp: null }], parsePrice('2.5/h'));
    assertOffline(html);
    assert.match(html, /<td class="l">TTFT p50 \(ms\)<\/td><td class="best">100.0<\/td><td>200.0<\/td>/);
    assert.match(html, /<td class="yes">holds \(180.00\)<\/td><td class="no">broken \(390.00\)<\/td>/);
    assert.equal((html.match(/class="cdf"/g) ?? []).length, 2);
    assert.equal((html.match(/data-figure="costPerMillionOutputTokens"/g) ?? []).length, 2);
  });
});

describe('bounds far beyond the data', () => {
  it('names a worst-case bound off the axis but always draws percentile bounds', () => {
    const marks = sloBounds([
      { metric: 'llm_ttft{workload:chat}', expression: 'p(95)<300', ok: true, aggregation: 'p(95)', measured: 50 },
      { metric: 'llm_ttft{workload:chat}', expression: 'max<=2000', ok: true, aggregation: 'max', measured: 60 },
    ], 'llm_ttft');
    const svg = cdfChart('TTFT', 'ms', [{ name: 'a', color: '#000', values: [40, 50, 60] }], marks);
    assert.match(svg, /<g class="mark-slo" data-value="300">/);
    assert.doesNotMatch(svg, /data-value="2000"/);
    assert.match(svg, /SLO max 2000: beyond the axis/);
  });
});
