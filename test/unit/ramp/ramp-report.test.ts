// ramp.json from synthetic k6 end-of-test data: per-level figures from the
// steady-state sub-metrics, each level judged by the SLO file, both named
// points, a stopped run, and the charts and HTML page being self-contained.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/config.ts';
import { rampCharts, niceScale, formatTick } from '../../../src/ramp/charts.ts';
import { renderRampHtml } from '../../../src/ramp/html-report.ts';
import { buildRampReport, type RampReport } from '../../../src/ramp/ramp-report.ts';
import { renderRampText } from '../../../src/ramp/ramp-text.ts';
import type { K6Metric, K6SummaryData } from '../../../src/k6-summary-data.ts';
import { validateThresholdSpec } from '../../../src/thresholds/threshold-file.ts';
import { stopRules } from '../../../src/ramp/options.ts';
import { levelKey, probeKey, rampPlan, windowKey } from '../../../src/ramp/plan.ts';

const SLO = validateThresholdSpec(
  { thresholds: { llm_ttft: ['p(95)<300'], llm_request_success: ['rate>0.99'], llm_output_tokens: ['rate>10'], llm_ttft_spread: [] } },
  'thresholds/test.json',
);

interface LevelFigures {
  ttftP95: number;
  tokens: number;
  requests: number;
  success?: number;
  errors429?: number;
}

function trend(p95: number, count: number): K6Metric {
  return { type: 'trend', values: { count, avg: p95 / 2, min: 1, med: p95 / 2, 'p(90)': p95 * 0.9, 'p(95)': p95, 'p(99)': p95 * 1.1, max: p95 * 1.2 } };
}

/** k6 data for levels 1, 2, 4, 8 of 10 s with 2 s warm-up (8 s measured). */
function data(figures: LevelFigures[], runMs = 40_000, thresholdResults: Record<string, Record<string, { ok: boolean }>> = {}): K6SummaryData {
  const metrics: Record<string, K6Metric> = {};
  figures.forEach((f, i) => {
    const label = String([1, 2, 4, 8][i]);
    metrics[levelKey('llm_ttft', label)] = trend(f.ttftP95, f.requests);
    metrics[levelKey('llm_e2e', label)] = trend(f.ttftP95 + 1000, f.requests);
    metrics[levelKey('llm_itl', label)] = trend(20, f.requests * 10);
    metrics[levelKey('llm_output_tokens_per_second', label)] = trend(60, f.requests);
    metrics[levelKey('llm_requests', label)] = { type: 'counter', values: { count: f.requests, rate: 0 } };
    metrics[levelKey('llm_output_tokens', label)] = { type: 'counter', values: { count: f.tokens, rate: 0 } };
    const ok = f.success ?? 1;
    metrics[levelKey('llm_request_success', label)] = { type: 'rate', values: { rate: ok, passes: Math.round(f.requests * ok), fails: f.requests - Math.round(f.requests * ok) } };
    if (f.errors429) metrics[levelKey('llm_errors', label, { error: 'http_429' })] = { type: 'counter', values: { count: f.errors429, rate: 0 } };
    metrics[windowKey('llm_ramp_window_tokens', label)] = { type: 'counter', values: { count: f.tokens, rate: 0 } };
    metrics[windowKey('llm_ramp_busy_ms', label)] = { type: 'counter', values: { count: Number(label) * 8000, rate: 0 } };
    metrics[probeKey(label)] = trend(1, 100);
  });
  for (const [key, thresholds] of Object.entries(thresholdResults)) {
    metrics[key] = { ...(metrics[key] ?? { type: 'rate', values: { rate: 0 } }), thresholds };
  }
  return { metrics, state: { testRunDurationMs: runMs } };
}

const config = parseConfig({ LLM_LEVELS: '1,2,4,8', LLM_LEVEL_DURATION: '10s', LLM_WARMUP: '2s' });
const plan = rampPlan(config.ramp);

function report(d: K6SummaryData): RampReport {
  return buildRampReport(d, {
    plan,
    spec: SLO,
    stopRules: stopRules(config.ramp, plan, SLO),
    saturationGainPct: 5,
    shape: 'chat',
    settings: { levelDurationSeconds: 10, warmupSeconds: 2, model: 'm', baseUrl: 'http://127.0.0.1:1/v1', transport: 'go' },
    stopRuleText: 'stop after …',
    generatorLagWarnMs: 5,
  });
}

const KNEE: LevelFigures[] = [
  { ttftP95: 100, tokens: 800, requests: 20 },
  { ttftP95: 110, tokens: 1600, requests: 40 },
  { ttftP95: 120, tokens: 3200, requests: 80 },
  { ttftP95: 900, tokens: 3250, requests: 81 },
];

describe('buildRampReport', () => {
  it('per-level figures over the measured window (8 s of each 10 s level)', () => {
    const r = report(data(KNEE));
    const row = r.levels[2]!;
    assert.equal(row.level, 4);
    assert.equal(row.measuredSeconds, 8);
    assert.equal(row.complete, true);
    assert.equal(row.outputTokensPerSecond, 400);
    assert.equal(row.requestRate, 10);
    assert.equal(row.achievedConcurrency, 4);
    assert.equal(row.ttftMs?.p95, 120);
    assert.equal(row.perRequestTokensPerSecondP50, 30);
    assert.equal(row.generatorLagP99Ms, 1.1);
    assert.equal(row.droppedIterations, null);
    assert.equal(row.sloOk, true);
    // The counter rate is per measured second: 400 tokens/s > 10.
    assert.deepEqual(row.slo.find((v) => v.metric === 'llm_output_tokens')?.measured, 400);
  });

  it('names the saturation point and the SLO limit, with the load in both units', () => {
    const r = report(data(KNEE));
    assert.equal(r.saturationPoint.level, 4);
    assert.equal(r.saturationPoint.concurrency, 4);
    assert.equal(r.saturationPoint.rate, 10);
    assert.equal(r.sloLimit.level, 4);
    assert.equal(r.sloLimit.firstFailingLevel, 8);
    assert.deepEqual(r.sloLimit.brokenBy, ['llm_ttft p(95)<300 (measured 900)']);
    assert.equal(r.stop.firedAtLevel, null);
    assert.deepEqual(r.ttftSloBounds, { 'p(95)': 300 });
    const text = renderRampText(r);
    assert.match(text, /saturation point: 4 streams \(10\.00 requests\/s, 400 output tokens\/s, TTFT p95 120 ms\)/);
    assert.match(text, /SLO limit: 4 streams .*; 8 streams broke llm_ttft p\(95\)<300 \(measured 900\)/);
  });

  it('a stopped run: the breach, the level cut short and the ones never run', () => {
    const figures: LevelFigures[] = [KNEE[0]!, KNEE[1]!, { ttftP95: 100, tokens: 50, requests: 5000, success: 0.002, errors429: 4990 }, { ttftP95: 90, tokens: 5, requests: 300, success: 0.01 }];
    const d = data(figures, 33_500, { [levelKey('llm_request_success', '4')]: { 'rate>=0.5': { ok: false } } });
    const r = report(d);
    assert.equal(r.stop.firedAtLevel, 4);
    assert.deepEqual(r.stop.breaches.map((b) => [b.level, b.threshold, b.measured]), [[4, 'rate>=0.5', 0.002]]);
    assert.deepEqual(r.stop.skippedLevels, [8]);
    assert.equal(r.levels[3]?.complete, false);
    assert.equal(r.levels[3]?.measuredSeconds, 1.5);
    assert.deepEqual(r.levels[2]?.errors, { http_429: 4990 });
    assert.equal(r.sloLimit.level, 2);
    assert.match(renderRampText(r), /STOPPED by the stop rule after 4 streams: rate>=0\.5 failed \(measured 0\.002\); not run: 8/);
  });

  it('a level with no request in its window is not used and is warned about', () => {
    const figures = [...KNEE];
    figures[1] = { ttftP95: 0, tokens: 0, requests: 0 };
    const r = report(data(figures));
    assert.equal(r.levels[1]?.sloOk !== undefined, true);
    assert.ok(r.warnings.some((w) => /level 2: no request ended in the steady window/.test(w)));
    assert.equal(r.saturationPoint.level, 4);
  });
});

describe('charts and HTML report', () => {
  const r = report(data(KNEE));
  const charts = rampCharts(r);
  const html = renderRampHtml(r);

  it('are self-contained: no scripts, no external links or fonts', () => {
    for (const text of [...Object.values(charts), html]) {
      assert.doesNotMatch(text, /<script|@import|<link|url\(|href=/i);
      const urls = text.match(/https?:\/\/[^\s"'<]+/g) ?? [];
      assert.deepEqual(urls.filter((u) => u !== 'http://www.w3.org/2000/svg' && !u.startsWith('http://127.0.0.1')), []);
    }
  });

  it('mark the saturation point and the SLO limit, and draw the SLO bound', () => {
    assert.match(charts.overview, /saturation 4/);
    assert.match(charts.overview, /SLO limit 4/);
    assert.match(charts.ttft, /SLO: TTFT p\(95\) &lt; 300 ms/);
    assert.match(charts.throughput, /SLO broken/);
    assert.match(html, /Saturation point/);
    assert.match(html, /<svg/);
  });

  it('are well-formed: every tag closes in order', () => {
    for (const svg of [...Object.values(charts), html.slice(html.indexOf('<body>'), html.indexOf('</html>'))]) {
      const stack: string[] = [];
      for (const m of svg.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(\/?)>/g)) {
        const [, close, name, selfClose] = m;
        if (selfClose || ['br', 'meta'].includes(name as string)) continue;
        if (close) assert.equal(stack.pop(), name, `closing ${name}`);
        else stack.push(name as string);
      }
      assert.deepEqual(stack, []);
    }
  });

  it('nice axis scales and tick labels', () => {
    assert.deepEqual(niceScale(1050), { max: 1250, step: 250 });
    assert.deepEqual(niceScale(1700), { max: 2000, step: 500 });
    assert.deepEqual(niceScale(0), { max: 1, step: 0.2 });
    assert.deepEqual(niceScale(9.5), { max: 10, step: 2 });
    assert.equal(formatTick(12_500), '12.5k');
    assert.equal(formatTick(0.25), '0.25');
  });
});
