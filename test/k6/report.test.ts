// llm-report.html from real runs: plain k6 beside a meter writing --records,
// then `k6-llm report`; a CLI run that writes it by itself (mixed: one section
// per workload); `k6-llm compare` of two runs at TTFT 100 and 200 ms. The
// figures on the page are the summary's, the cost is the summary's own
// arithmetic, neither the API key nor the meter secret reaches the records or
// the page, and headless Chromium (when installed) renders it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startMeter, type MeterProcess } from '../../tools/provision/meter.ts';
import type { LlmReport } from '../../src/summary/schema.ts';
import { ROOT, runProcess, runWorkload, startMock } from './harness.ts';

const API_KEY = 'sk-k6llm-report-3c9a1e77';
const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');

/** The chromium binary, or null when it is not installed (the test then skips the browser part). */
function chromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

/** The page's DOM as headless Chromium builds it, and a screenshot of it. */
function renderInChromium(path: string): { dom: string; screenshot: string } | null {
  const bin = chromium();
  if (!bin) return null;
  const screenshot = join(mkdtempSync(join(tmpdir(), 'k6-llm-shot-')), 'report.png');
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'];
  const shot = spawnSync(bin, [...flags, `--screenshot=${screenshot}`, '--window-size=1200,2400', `file://${path}`], { encoding: 'utf8', timeout: 60_000 });
  assert.ok(existsSync(screenshot), `no screenshot: ${shot.stderr}`);
  const dom = spawnSync(bin, [...flags, '--dump-dom', `file://${path}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { dom: dom.stdout, screenshot };
}

function figure(html: string, name: string): string {
  const m = new RegExp(`data-figure="${name}"><div class="name">[^<]*</div><div class="value">([^<]*)<`).exec(html);
  assert.ok(m, `no ${name} figure`);
  return m[1];
}

describe('llm-report.html', () => {
  let meter: MeterProcess | null = null;
  after(async () => {
    await meter?.stop();
  });

  test('plain k6 beside meter --records, then k6-llm report: summary figures, cost, no secrets, renders', async () => {
    const mock = await startMock(['--api-key', API_KEY, '--ttft-ms', '50', '--itl-ms', '5', '--output-tokens', '16']);
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-report-'));
    const records = join(dir, 'requests.jsonl');
    try {
      meter = await startMeter({ records, log: () => {} });
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_VUS: '2', LLM_DURATION: '3s', LLM_OUT_DIR: dir }, { LLM_API_KEY: API_KEY, LLM_METER_URL: meter.url });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(await meter.stop(), 0);
      const secret = /\/\/k6llm:([0-9a-f]{32})@/.exec(meter.url)?.[1];
      assert.ok(secret);
      meter = null;
      const out = await runProcess(process.execPath, [CLI, 'report', dir, '--price', '2.5/h']);
      assert.equal(out.code, 0, out.stderr);
      const path = join(dir, 'llm-report.html');
      assert.equal(out.stdout.trim(), `report: ${path}`);
      const html = readFileSync(path, 'utf8');
      const lines = readFileSync(records, 'utf8');
      for (const [name, text] of [['requests.jsonl', lines], ['llm-report.html', html]]) {
        assert.ok(!text.includes(API_KEY), `the API key appears in ${name}`);
        assert.ok(!text.includes(secret), `the meter secret appears in ${name}`);
        assert.doesNotMatch(text, /authorization|bearer/i, name);
      }
      assert.doesNotMatch(html, /<script|<link|@import|url\(|\b(src|href)=/i);
      const summary = JSON.parse(readFileSync(join(dir, 'llm-summary.json'), 'utf8')) as LlmReport;
      const w = summary.workloads.chat;
      assert.equal(figure(html, 'requests'), String(w.requests));
      assert.equal(figure(html, 'ttft'), `${w.ttftMs?.p50.toFixed(0)} / ${w.ttftMs?.p99.toFixed(0)} ms`);
      assert.equal(figure(html, 'aggregateOutputTokensPerSecond'), (w.aggregateOutputTokensPerSecond as number).toFixed(1));
      // Cost per million output tokens = 2.5 / 3600 × run seconds / output tokens × 10⁶.
      const cost = (2.5 / 3600) * ((summary.testRunDurationMs as number) / 1000) / w.outputTokens * 1e6;
      assert.equal(figure(html, 'costPerMillionOutputTokens'), cost >= 100 ? `$${cost.toFixed(0)}` : cost >= 1 ? `$${cost.toFixed(2)}` : `$${cost.toPrecision(3)}`);
      // Every recorded request's TTFT is on the CDF: as many points as the summary's TTFT samples (+2 ends).
      assert.match(html, /TTFT distribution \(CDF\)/);
      assert.match(html, /class="mark-p99"/);
      assert.match(html, /class="mark-slo"/);
      const rendered = renderInChromium(path);
      if (rendered) {
        assert.match(rendered.dom, /id="workload-chat"/);
        assert.ok(rendered.dom.includes(`<div class="value">${w.requests}</div>`));
      }
    } finally {
      await mock.server.close();
    }
  });

  test('k6-llm run writes it itself; a mixed run has a section per workload', async () => {
    const mock = await startMock(['--ttft-ms', '20', '--itl-ms', '2', '--output-tokens', '8']);
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-report-mixed-'));
    try {
      const res = await runProcess(process.execPath, [CLI, 'run', 'mixed', '--url', mock.url, '--model', 'm', '--duration', '4s', '--out-dir', dir, '--thresholds', 'none', '--price', 'in=0.5,out=1.5']);
      assert.ok(res.code === 0 || res.code === 99, res.stderr);
      assert.match(res.stderr, new RegExp(`report: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/llm-report.html`));
      const html = readFileSync(join(dir, 'llm-report.html'), 'utf8');
      const summary = JSON.parse(readFileSync(join(dir, 'llm-summary.json'), 'utf8')) as LlmReport;
      for (const name of Object.keys(summary.workloads)) {
        assert.match(html, new RegExp(`id="workload-${name}"`));
      }
      assert.ok(Object.keys(summary.workloads).length >= 3);
      assert.ok(existsSync(join(dir, 'requests.jsonl')));
      // --price in the JSON too (what a CI job reads): $0.5 per M input and $1.5 per M output tokens, over every workload.
      const prompt = Object.values(summary.workloads).reduce((n, w) => n + w.promptTokens, 0);
      const output = Object.values(summary.workloads).reduce((n, w) => n + w.outputTokens, 0);
      const requests = Object.values(summary.workloads).reduce((n, w) => n + w.requests, 0);
      assert.ok(prompt > 0 && output > 0);
      const total = (0.5 * prompt + 1.5 * output) / 1e6;
      assert.ok(summary.cost && Math.abs(summary.cost.totalDollars - total) < 1e-12, JSON.stringify(summary.cost));
      assert.ok(Math.abs((summary.cost.perMillionOutputTokens as number) - (total / output) * 1e6) < 1e-9);
      assert.ok(Math.abs((summary.cost.perRequest as number) - total / requests) < 1e-12);
      assert.equal(summary.cost.price, '$0.5 per M input, $1.5 per M output tokens');
      assert.match(readFileSync(join(dir, 'llm-summary.md'), 'utf8'), /Cost at \$0\.5 per M input, \$1\.5 per M output tokens: \$/);
      assert.match(res.stderr, /k6-llm: cost at \$0\.5 per M input, \$1\.5 per M output tokens: \$[0-9.]+ per million output tokens/);
    } finally {
      await mock.server.close();
    }
  });

  test('--server-metrics: the mock\'s truth beside the client\'s, the TTFT gap reported; an unreachable endpoint warns once', async () => {
    const mock = await startMock(['--ttft-ms', '80', '--itl-ms', '2', '--output-tokens', '8']);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'k6-llm-server-'));
      const metrics = mock.url.replace(/\/v1$/, '/metrics');
      const res = await runProcess(process.execPath, [CLI, 'run', 'chat', '--url', mock.url, '--model', 'm', '--duration', '3s', '--vus', '2', '--out-dir', dir, '--server-metrics', metrics]);
      assert.equal(res.code, 0, res.stderr);
      assert.doesNotMatch(res.stderr, /warning: server metrics/);
      const html = readFileSync(join(dir, 'llm-report.html'), 'utf8');
      const server = Number(figure(html, 'serverTtftMeanMs').replace(' ms', ''));
      const client = Number(figure(html, 'clientTtftMeanMs').replace(' ms', ''));
      const gap = Number(figure(html, 'ttftGapMs').replace(' ms', ''));
      assert.ok(server >= 80 && server < 100, String(server));
      assert.ok(Math.abs(client - server - gap) < 0.2, `${client} - ${server} != ${gap}`);
      assert.ok(gap > -1 && gap < 20, String(gap));
      const summary = JSON.parse(readFileSync(join(dir, 'llm-summary.json'), 'utf8')) as LlmReport;
      assert.equal(client.toFixed(1), (summary.workloads.chat.ttftMs as { avg: number }).avg.toFixed(1));

      const dir2 = mkdtempSync(join(tmpdir(), 'k6-llm-server-down-'));
      const down = await runProcess(process.execPath, [CLI, 'run', 'chat', '--url', mock.url, '--model', 'm', '--duration', '2s', '--vus', '1', '--out-dir', dir2, '--server-metrics', 'http://127.0.0.1:9/metrics']);
      assert.equal(down.code, 0, down.stderr);
      assert.equal((down.stderr.match(/warning: server metrics/g) ?? []).length, 1, down.stderr);
      assert.ok(existsSync(join(dir2, 'llm-report.html')));
    } finally {
      await mock.server.close();
    }
  });

  test('k6-llm compare: two runs at TTFT 100 and 200 ms on one page, each figure its run\'s', async () => {
    const dirs: string[] = [];
    for (const ttft of ['100', '200']) {
      const mock = await startMock(['--ttft-ms', ttft, '--itl-ms', '5', '--output-tokens', '8']);
      try {
        const dir = mkdtempSync(join(tmpdir(), `k6-llm-ttft-${ttft}-`));
        const res = await runProcess(process.execPath, [CLI, 'run', 'chat', '--url', mock.url, '--model', 'm', '--duration', '3s', '--vus', '2', '--out-dir', dir]);
        assert.ok(res.code === 0 || res.code === 99, res.stderr);
        dirs.push(dir);
      } finally {
        await mock.server.close();
      }
    }
    const out = mkdtempSync(join(tmpdir(), 'k6-llm-compare-'));
    const res = await runProcess(process.execPath, [CLI, 'compare', ...dirs, '--out', out, '--price', '2.5/h']);
    assert.equal(res.code, 0, res.stderr);
    const html = readFileSync(join(out, 'llm-compare.html'), 'utf8');
    const cells = /<td class="l">TTFT p50 \(ms\)<\/td><td[^>]*>([\d.]+)<\/td><td[^>]*>([\d.]+)<\/td>/.exec(html);
    assert.ok(cells, 'no TTFT p50 row');
    dirs.forEach((dir, i) => {
      const s = JSON.parse(readFileSync(join(dir, 'llm-summary.json'), 'utf8')) as LlmReport;
      assert.equal(cells[i + 1], s.workloads.chat.ttftMs?.p50.toFixed(1));
    });
    assert.ok(Number(cells[1]) >= 100 && Number(cells[2]) >= 200 && Number(cells[2]) > Number(cells[1]));
    assert.equal((html.match(/class="cdf"/g) ?? []).length, 2);
  });
});
