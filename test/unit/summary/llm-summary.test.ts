// The LLM report built from k6's handleSummary data: percentile mapping, the
// per-workload figures read from tagged sub-metrics, errors by kind with
// interrupted requests apart, rates over the run, the generator lag warning,
// the rendered text, and the API key kept out of every report.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/config.ts';
import { summaryOutputs } from '../../../src/summary/summary-handler.ts';
import { buildReport } from '../../../src/summary/build.ts';
import { percentiles, type K6Metric, type K6SummaryData } from '../../../src/k6-summary-data.ts';
import { renderText } from '../../../src/summary/text.ts';

interface TrendValues {
  avg: number;
  min: number;
  med: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

function trend(v: TrendValues, thresholds?: Record<string, { ok: boolean }>): K6Metric {
  return {
    type: 'trend',
    values: { avg: v.avg, min: v.min, med: v.med, max: v.max, 'p(90)': v.p90, 'p(95)': v.p95, 'p(99)': v.p99, count: v.count },
    ...(thresholds ? { thresholds } : {}),
  };
}

function counter(count: number, durationS = 60): K6Metric {
  return { type: 'counter', values: { count, rate: count / durationS } };
}

function rate(passes: number, fails: number, thresholds?: Record<string, { ok: boolean }>): K6Metric {
  return { type: 'rate', values: { rate: passes / (passes + fails), passes, fails }, ...(thresholds ? { thresholds } : {}) };
}

const TTFT = { avg: 260, min: 120, med: 200, p90: 380, p95: 420, p99: 500, max: 910, count: 116 };
const ITL = { avg: 21.5, min: 3, med: 20, p90: 30, p95: 35, p99: 48.25, max: 120, count: 11_000 };
const TPOT = { avg: 22, min: 15, med: 21, p90: 27, p95: 29, p99: 33, max: 40, count: 110 };
const E2E = { avg: 2900, min: 800, med: 2800, p90: 3500, p95: 3700, p99: 4100, max: 5200, count: 116 };
const TPS = { avg: 45, min: 25, med: 47, p90: 60, p95: 63, p99: 66, max: 70, count: 110 };
const LAG = { avg: 0.6, min: 0, med: 0.4, p90: 1.1, p95: 1.8, p99: 3.2, max: 9.5, count: 6000 };

/** A k6 summary of a 60 s run of the chat workload, with decoys for another workload and untagged totals. */
function k6Data(lag: TrendValues | null = LAG, durationMs: number | null = 60_000): K6SummaryData {
  const metrics: Record<string, K6Metric> = {
    // Untagged totals and another workload: the chat report must not read these.
    llm_ttft: trend({ ...TTFT, med: 1, p99: 99_999 }),
    llm_requests: counter(999),
    'llm_ttft{workload:batch}': trend({ ...TTFT, med: 7777 }),
    'llm_requests{workload:batch}': counter(5),
    'llm_errors{workload:batch,error:http_5xx}': counter(5),
    // chat
    'llm_ttft{workload:chat}': trend(TTFT, { 'p(95)<1000': { ok: true } }),
    'llm_itl{workload:chat}': trend(ITL),
    'llm_tpot{workload:chat}': trend(TPOT),
    'llm_e2e{workload:chat}': trend(E2E),
    'llm_output_tokens_per_second{workload:chat}': trend(TPS),
    'llm_output_tokens{workload:chat}': counter(12_000),
    'llm_output_tokens{workload:chat,tokens:estimated}': counter(2000),
    'llm_prompt_tokens{workload:chat}': counter(3000),
    'llm_requests{workload:chat}': counter(120),
    'llm_request_success{workload:chat}': rate(110, 6, { 'rate>0.99': { ok: false } }),
    'llm_errors{workload:chat}': counter(10),
    'llm_errors{workload:chat,error:http_429}': counter(3),
    'llm_errors{workload:chat,error:truncated}': counter(2),
    'llm_errors{workload:chat,error:stream_error}': counter(1),
    'llm_errors{workload:chat,error:stall}': counter(0),
    'llm_errors{workload:chat,error:interrupted}': counter(4),
  };
  if (lag) metrics.llm_generator_lag = trend(lag);
  return { metrics, ...(durationMs === null ? {} : { state: { testRunDurationMs: durationMs } }) };
}

const RUN = { model: 'meta-llama/Llama-3.1-8B-Instruct', transport: 'go', vus: 8, duration: '60s' };
const CHAT = [{ workload: 'chat', spec: null }];

describe('percentiles', () => {
  it('maps k6 trend values to p50…p99', () => {
    assert.deepEqual(percentiles(trend(TTFT)), { count: 116, avg: 260, min: 120, p50: 200, p90: 380, p95: 420, p99: 500, max: 910 });
  });

  it('is null for a missing metric, a trend without samples, or a non-trend', () => {
    assert.equal(percentiles(undefined), null);
    assert.equal(percentiles(trend({ ...TTFT, count: 0 })), null);
    assert.equal(percentiles(counter(5)), null);
    assert.equal(percentiles(rate(1, 1)), null);
  });

  it('leaves a statistic k6 did not report as NaN rather than inventing it', () => {
    const p = percentiles({ type: 'trend', values: { count: 3, med: 10 } });
    assert.equal(p?.p50, 10);
    assert.ok(Number.isNaN(p?.p99));
  });
});

describe('buildReport', () => {
  const report = buildReport(k6Data(), CHAT, RUN, 5);
  const chat = report.workloads.chat;

  it('reports the named workloads only', () => {
    assert.deepEqual(Object.keys(report.workloads), ['chat']);
    assert.equal(report.tool, 'k6-llm');
    assert.deepEqual(report.run, RUN);
    assert.equal(report.testRunDurationMs, 60_000);
  });

  it('reads every latency from the workload\'s sub-metric', () => {
    assert.ok(chat);
    assert.deepEqual(chat.ttftMs, percentiles(trend(TTFT)));
    assert.deepEqual(chat.itlMs, percentiles(trend(ITL)));
    assert.deepEqual(chat.tpotMs, percentiles(trend(TPOT)));
    assert.deepEqual(chat.e2eMs, percentiles(trend(E2E)));
    assert.deepEqual(chat.outputTokensPerSecondPerRequest, percentiles(trend(TPS)));
  });

  it('counts requests, success rate and errors by kind, interrupted apart', () => {
    assert.ok(chat);
    assert.equal(chat.requests, 120);
    assert.equal(chat.successRate, 110 / 116);
    assert.deepEqual(chat.errors, { http_429: 3, truncated: 2, stream_error: 1 });
    assert.equal(chat.interrupted, 4);
    assert.equal('interrupted' in chat.errors, false);
  });

  it('totals tokens and divides by the whole run for the aggregate rates', () => {
    assert.ok(chat);
    assert.equal(chat.outputTokens, 12_000);
    assert.equal(chat.outputTokensEstimated, 2000);
    assert.equal(chat.promptTokens, 3000);
    assert.equal(chat.aggregateOutputTokensPerSecond, 200); // 12000 / 60 s
    assert.equal(chat.requestsPerSecond, 2); // 120 / 60 s
  });

  it('reports the TTFT spread as p99 / p50', () => {
    assert.equal(chat?.ttftSpread, 2.5);
  });

  it('has no spread when the TTFT p50 is zero or there is no TTFT', () => {
    const data = k6Data();
    data.metrics['llm_ttft{workload:chat}'] = trend({ ...TTFT, med: 0 });
    assert.equal(buildReport(data, CHAT, RUN, 5).workloads.chat?.ttftSpread, null);
    delete data.metrics['llm_ttft{workload:chat}'];
    assert.equal(buildReport(data, CHAT, RUN, 5).workloads.chat?.ttftSpread, null);
  });

  it('a workload with no data has zero counts and no figures', () => {
    const empty = buildReport(k6Data(), [{ workload: 'rag', spec: null }], RUN, 5).workloads.rag;
    assert.ok(empty);
    assert.equal(empty.requests, 0);
    assert.equal(empty.interrupted, 0);
    assert.equal(empty.successRate, null);
    assert.deepEqual(empty.errors, {});
    assert.equal(empty.ttftMs, null);
    assert.equal(empty.itlMs, null);
    assert.equal(empty.outputTokens, 0);
    assert.equal(empty.aggregateOutputTokensPerSecond, 0);
    assert.equal(empty.ttftSpread, null);
  });

  it('has no aggregate rates without a run duration', () => {
    const w = buildReport(k6Data(LAG, null), CHAT, RUN, 5).workloads.chat;
    assert.equal(w?.aggregateOutputTokensPerSecond, null);
    assert.equal(w?.requestsPerSecond, null);
  });

  it('lists the thresholds k6 judged, and whether each held', () => {
    const byMetric = Object.fromEntries(report.thresholds.map((t) => [`${t.metric} ${t.expression}`, t.ok]));
    assert.deepEqual(byMetric, {
      'llm_ttft{workload:chat} p(95)<1000': true,
      'llm_request_success{workload:chat} rate>0.99': false,
    });
  });

  it('warns about estimated tokens', () => {
    assert.ok(report.warnings.some((w) => w.startsWith('chat: 2000 output tokens were counted from stream chunks')));
  });
});

describe('buildReport generator lag', () => {
  it('no warning when the lag p99 is under the threshold', () => {
    const report = buildReport(k6Data(), CHAT, RUN, 5);
    assert.deepEqual(report.generator.lagMs, percentiles(trend(LAG)));
    assert.equal(report.generator.warnAboveMs, 5);
    assert.equal(report.generator.warning, null);
    assert.ok(!report.warnings.some((w) => w.includes('load generator')));
  });

  it('no warning when the lag p99 equals the threshold', () => {
    assert.equal(buildReport(k6Data({ ...LAG, p99: 5 }), CHAT, RUN, 5).generator.warning, null);
  });

  it('warns, with the p99, when the lag p99 is above the threshold', () => {
    const report = buildReport(k6Data({ ...LAG, p99: 7.46 }), CHAT, RUN, 5);
    assert.ok(report.generator.warning?.startsWith('the load generator was late by up to 7.5 ms'), report.generator.warning ?? '');
    assert.ok(report.warnings.includes(report.generator.warning as string));
  });

  it('uses the threshold it is given', () => {
    assert.notEqual(buildReport(k6Data(), CHAT, RUN, 3).generator.warning, null); // p99 3.2 > 3
    assert.equal(buildReport(k6Data(), CHAT, RUN, 3.2).generator.warning, null);
  });

  it('no samples: no lag and no warning', () => {
    const report = buildReport(k6Data(null), CHAT, RUN, 0);
    assert.equal(report.generator.lagMs, null);
    assert.equal(report.generator.warning, null);
  });
});

describe('renderText', () => {
  const text = renderText(buildReport(k6Data(), CHAT, RUN, 5));

  it('names the model, the transport and the run length', () => {
    assert.ok(text.includes('k6-llm summary · model meta-llama/Llama-3.1-8B-Instruct · transport go · 60.0 s run'), text);
  });

  it('prints each latency row as p50 p90 p95 p99 max mean n', () => {
    assert.match(text, /TTFT \(ms\) +200\.0 +380\.0 +420\.0 +500\.0 +910\.0 +260\.0 +116\n/);
    assert.match(text, /ITL \(ms\) +20\.0 +30\.0 +35\.0 +48\.3 +120\.0 +21\.5 +11000\n/);
    assert.match(text, /TPOT \(ms\) +21\.0 +27\.0 +29\.0 +33\.0 +40\.0 +22\.0 +110\n/);
    assert.match(text, /E2E \(ms\) +2800\.0 +3500\.0 +3700\.0 +4100\.0 +5200\.0 +2900\.0 +116\n/);
    assert.match(text, /tokens\/s per request +47\.0 +60\.0 +63\.0 +66\.0 +70\.0 +45\.0 +110\n/);
  });

  it('prints requests, success, errors and the interrupted requests apart', () => {
    assert.ok(
      text.includes(
        'requests 120 (2.00/s) · success 94.83 % · errors: http_429 3, truncated 2, stream_error 1 · 4 cut by the end of the test (not counted)',
      ),
      text,
    );
  });

  it('prints token totals and the aggregate rate', () => {
    assert.ok(text.includes('output tokens 12000 (2000 estimated) · aggregate 200.0 tokens/s · prompt tokens 3000'), text);
  });

  it('prints the TTFT stability and worst case', () => {
    assert.match(text, /TTFT stability: p99\/p50 2\.50.*, worst 910\.0 ms/);
  });

  it('prints the generator self-check as ok', () => {
    assert.ok(text.includes('generator self-check: timer lag p50 0.40 ms, p99 3.20 ms; event times are read times (ok)'), text);
  });

  it('prints each threshold as ok or FAIL', () => {
    assert.match(text, /\n {2}ok {3}llm_ttft\{workload:chat\}: p\(95\)<1000/);
    assert.match(text, /\n {2}FAIL llm_request_success\{workload:chat\}: rate>0\.99/);
  });

  it('prints every warning', () => {
    assert.match(text, /\nWARNING: chat: 2000 output tokens were counted from stream chunks/);
    const warned = renderText(buildReport(k6Data({ ...LAG, p99: 12 }), CHAT, RUN, 5));
    assert.match(warned, /\nWARNING: the load generator was late by up to 12\.0 ms/);
    assert.ok(!warned.includes('(ok)'));
  });

  it('says "not measured", "n/a" and "none" for a workload without data', () => {
    const empty = renderText(buildReport({ metrics: {} }, [{ workload: 'rag', spec: null }], {}, 5));
    assert.match(empty, /TTFT \(ms\) +not measured/);
    assert.ok(empty.includes('success n/a · errors: none'), empty);
    assert.ok(empty.includes('generator self-check: no timer samples; event times are read times (ok)'), empty);
    assert.ok(empty.includes('model ? · transport ?'), empty);
  });
});

describe('the API key never reaches a report', () => {
  const SECRET = 'sk-live-0123456789abcdef0123';

  it('a report built from a run map without the key does not contain it', () => {
    const config = parseConfig({ LLM_API_KEY: SECRET, LLM_MODEL: 'm' });
    const run = { model: config.endpoint.model, baseUrl: config.endpoint.baseUrl, transport: 'go' };
    const report = buildReport(k6Data(), CHAT, run, config.report.lagWarnMs);
    assert.ok(!JSON.stringify(report).includes(SECRET));
    assert.ok(!renderText(report).includes(SECRET));
  });

  it('the handleSummary outputs (text, JSON and the other files) do not contain it', () => {
    const config = parseConfig({ LLM_API_KEY: SECRET, LLM_MODEL: 'm', LLM_OUT_DIR: 'out' });
    const outputs = summaryOutputs(k6Data(), { workloads: CHAT, run: { model: config.endpoint.model, transport: 'go' }, report: config.report, secrets: [config.endpoint.apiKey] });
    assert.ok(Object.keys(outputs).includes('stdout'));
    assert.ok(Object.keys(outputs).includes('out/llm-summary.json'));
    for (const [name, content] of Object.entries(outputs)) {
      assert.ok(!content.includes(SECRET), `${name} contains the API key`);
      assert.ok(!name.includes(SECRET));
    }
    const json = JSON.parse(outputs['out/llm-summary.json'] as string) as { run: Record<string, unknown> };
    assert.equal(json.run.model, 'm');
    assert.ok(!Object.values(json.run).includes(SECRET));
  });

  it("an error cause that quotes the key or the meter's secret is redacted in every output", () => {
    const meterSecret = '0123456789abcdef0123456789abcdef';
    const config = parseConfig({ LLM_API_KEY: SECRET, LLM_MODEL: 'm', LLM_OUT_DIR: 'out', LLM_METER_URL: `http://k6llm:${meterSecret}@127.0.0.1:9` });
    const causes = [{ cause: `401 Unauthorized: "key ${SECRET} rejected by ${meterSecret}"`, count: 3 }];
    const workloads = CHAT.map((w) => ({ ...w, causes }));
    const outputs = summaryOutputs(k6Data(), { workloads, run: { model: 'm' }, report: config.report, secrets: [config.endpoint.apiKey, config.endpoint.meter?.secret] });
    for (const [name, content] of Object.entries(outputs)) {
      assert.ok(!content.includes(SECRET) && !content.includes(meterSecret), `${name} contains a secret`);
      if (!name.endsWith('.xml')) assert.ok(content.includes('key [redacted] rejected by [redacted]'), `${name} lacks the cause`);
    }
  });
});

describe('requests whose timings the meter cannot vouch for', () => {
  it('are counted, with their bounds, in the report, the text and a warning; none flagged says so too', () => {
    const data = k6Data();
    data.metrics['llm_timing_flagged{workload:chat}'] = rate(3, 113);
    data.metrics['llm_timing_bound{workload:chat}'] = trend({ avg: 20, min: 4, med: 12.5, p90: 40, p95: 41, p99: 46, max: 47.25, count: 3 });
    const report = buildReport(data, CHAT, {}, 5, 25, 1);
    const w = report.workloads.chat;
    assert.equal(w?.timing?.flagged, 3);
    assert.equal(w?.timing?.measured, 116);
    assert.equal(w?.timing?.boundMs?.max, 47.25);
    assert.equal(report.generator.timingFlagMs, 1);
    const warning = report.warnings.find((x) => x.startsWith('chat: 3 of 116 requests have a TTFT or E2E the meter cannot vouch for to within 1 ms'));
    assert.ok(warning, report.warnings.join('\n'));
    assert.match(warning, /may read late by up to 12\.5 ms at p50, 46\.0 ms at p99, 47\.3 ms at most; they are counted in every figure/);
    assert.match(renderText(report), /timing: 3 of 116 requests flagged \(their first or last token waited unread, may read late by up to 47\.3 ms\)/);

    const clean = k6Data();
    clean.metrics['llm_timing_flagged{workload:chat}'] = rate(0, 116);
    const ok = buildReport(clean, CHAT, {}, 5);
    assert.equal(ok.warnings.some((x) => x.includes('cannot vouch')), false);
    assert.match(renderText(ok), /timing: every TTFT and E2E vouched for to within the flag \(LLM_TIMING_FLAG_MS\) of its kernel receive time \(116 requests\)/);
    // Without kernel stamps the figure was not measured: no line at all.
    assert.equal(buildReport(k6Data(), CHAT, {}, 5).workloads.chat?.timing, null);
  });
});
