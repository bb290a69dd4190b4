// Server metrics: the text exposition parser, the figures by vLLM, SGLang,
// TGI and llama.cpp names, the run's figures from first to last scrape, the
// mock's /metrics (vLLM names, true values), and a scraper whose endpoint is
// unreachable or not metrics warning once without failing.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { parsePrometheusText } from '../../../src/server-metrics/prometheus-text.ts';
import { serverFigures, serverSnapshot } from '../../../src/server-metrics/snapshot.ts';
import { startScraper, scrapeOnce } from '../../../tools/server-metrics/scraper.ts';
import { createMockServer } from '../../../tools/mock-server/server.ts';
import { parseMockArgs } from '../../../tools/mock-server/config.ts';
import { FakeClock } from '../mock-server/fake-clock.ts';

const VLLM = `# HELP vllm:num_requests_running Number of requests
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="m"} 3.0
vllm:num_requests_running{engine="1",model_name="m"} 2.0
vllm:num_requests_waiting{model_name="m"} 4
vllm:kv_cache_usage_perc{model_name="m"} 0.25
vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="m"} 10
vllm:time_to_first_token_seconds_sum{model_name="m"} 2.5
vllm:time_to_first_token_seconds_count{model_name="m"} 10
vllm:prefix_cache_queries_total{model_name="m"} 100
vllm:prefix_cache_hits_total{model_name="m"} 40
vllm:num_preemptions_total{model_name="m"} 1
weird{a="x \\"q\\" y"} 1 1700000000000
broken{a="x} 1
`;

describe('Prometheus text', () => {
  it('parses names, labels (escaped quotes), values and skips comments', () => {
    const { samples, badLines } = parsePrometheusText(VLLM);
    assert.equal(badLines, 1);
    assert.deepEqual(samples[0], { name: 'vllm:num_requests_running', labels: { engine: '0', model_name: 'm' }, value: 3 });
    assert.deepEqual(samples.find((s) => s.name === 'weird')?.labels, { a: 'x "q" y' });
    assert.equal(samples.find((s) => s.name === 'vllm:time_to_first_token_seconds_bucket')?.labels.le, '+Inf');
  });
  it('reads the figures by vLLM names, adding series of one name', () => {
    const s = serverSnapshot(parsePrometheusText(VLLM).samples);
    assert.equal(s.running, 5);
    assert.equal(s.waiting, 4);
    assert.equal(s.kvCacheUsage, 0.25);
    assert.equal(s.ttftSumS, 2.5);
    assert.equal(s.prefixCacheHits, 40);
    assert.equal(s.queueSumS, null);
  });
  it('reads SGLang, TGI and llama.cpp names', () => {
    assert.equal(serverSnapshot(parsePrometheusText('sglang:num_running_reqs 7\nsglang:num_queue_reqs 2\nsglang:cache_hit_rate 0.5').samples).running, 7);
    assert.equal(serverSnapshot(parsePrometheusText('tgi_queue_size 3').samples).waiting, 3);
    assert.equal(serverSnapshot(parsePrometheusText('llamacpp:requests_processing 1\nllamacpp:kv_cache_usage_ratio 0.1').samples).kvCacheUsage, 0.1);
  });
  it('gives the run\'s figures as the change from the first scrape to the last', () => {
    const a = serverSnapshot(parsePrometheusText(VLLM).samples);
    const b = { ...a, ttftSumS: 4.5, ttftCount: 20, prefixCacheHits: 70, prefixCacheQueries: 200, preemptions: 3, running: 9 };
    const f = serverFigures([{ unixMs: 0, snapshot: a }, { unixMs: 1000, snapshot: b }]);
    assert.equal(f.ttftMeanMs, 200);
    assert.equal(f.ttftRequests, 10);
    assert.equal(f.prefixCacheHitRate, 0.3);
    assert.equal(f.preemptions, 2);
    assert.equal(f.runningMax, 9);
  });
});

describe('the mock\'s /metrics', () => {
  it('exposes running/waiting and the server TTFT histogram with vLLM names and true values', async () => {
    // On a fake clock every TTFT is exactly the 50 ms the mock was given.
    const clock = new FakeClock();
    const mock = createMockServer(parseMockArgs(['--quiet', '--ttft-ms', '50', '--itl-ms', '1', '--output-tokens', '2'], {}), { clock });
    const { url } = await mock.listen();
    try {
      const base = url.replace(/\/v1$/, '');
      const before = await scrapeOnce(`${base}/metrics`, 2000);
      assert.equal(before.ttftCount, 0);
      assert.equal(before.running, 0);
      for (let i = 0; i < 3; i++) {
        const answer = fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
        await clock.runUntil(answer.then((res) => res.text()));
      }
      const after = await scrapeOnce(`${base}/metrics`, 2000);
      assert.equal(after.ttftCount, 3);
      const meanMs = ((after.ttftSumS as number) / 3) * 1000;
      assert.ok(Math.abs(meanMs - 50) < 1e-9, String(meanMs));
      assert.equal(after.running, 0);
    } finally {
      await mock.close();
    }
  });
});

describe('the scraper', () => {
  it('warns once for an unreachable endpoint and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-scrape-'));
    const logs: string[] = [];
    const s = startScraper({ url: 'http://user:pw@127.0.0.1:9/metrics', outFile: join(dir, 'm.jsonl'), intervalMs: 20, timeoutMs: 200, log: (l) => logs.push(l) });
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(await s.stop(), 0);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /^warning: server metrics from http:\/\/127\.0\.0\.1:9\/metrics could not be read/);
    assert.ok(!logs[0].includes('pw'));
    assert.equal(readFileSync(join(dir, 'm.jsonl'), 'utf8'), '');
  });
  it('warns once for an endpoint that is not metrics', async () => {
    const server = createServer((_req, res) => res.end('<html>hello</html>'));
    // Metrics of something else (a name no inference server uses) is a warning too.
    assert.equal(serverSnapshot(parsePrometheusText('go_goroutines 12').samples).running, null);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const logs: string[] = [];
    try {
      const s = startScraper({ url: `http://127.0.0.1:${port}/metrics`, outFile: join(mkdtempSync(join(tmpdir(), 'k6-llm-scrape-')), 'm.jsonl'), intervalMs: 20, log: (l) => logs.push(l) });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await s.stop(), 0);
      assert.equal(logs.length, 1);
      assert.match(logs[0], /could not be read \(not Prometheus text exposition\)/);
    } finally {
      server.close();
    }
  });
});
