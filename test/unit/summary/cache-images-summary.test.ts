// The prompt cache and the images in the summary: the hit ratio, cached and
// written tokens and TTFT of hits and misses from llm_prompt_cache_hit and
// its neighbours; the images' count and sizes; each in the JSON, the text,
// the Markdown and the HTML report's workload section, and absent where the
// server said nothing of its cache or no image was sent.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K6Metric, K6SummaryData } from '../../../src/k6-summary-data.ts';
import { buildReport } from '../../../src/summary/build.ts';
import { renderMarkdown } from '../../../src/summary/markdown.ts';
import { renderText } from '../../../src/summary/text.ts';
import { workloadSectionHtml } from '../../../src/report/workload-section.ts';
import type { WorkloadRunInfo } from '../../../src/run-info.ts';

const counter = (count: number): K6Metric => ({ type: 'counter', values: { count, rate: count / 10 } });
const trend = (med: number, max: number, count: number): K6Metric => ({
  type: 'trend',
  values: { avg: med, min: med, med, max, 'p(90)': max, 'p(95)': max, 'p(99)': max, count },
});

function data(withCache: boolean, withImages: boolean): K6SummaryData {
  const metrics: Record<string, K6Metric> = {
    'llm_requests{workload:chat}': counter(4),
    'llm_request_success{workload:chat}': { type: 'rate', values: { rate: 1, passes: 4, fails: 0 } },
    'llm_ttft{workload:chat}': trend(60, 110, 4),
    'llm_prompt_tokens{workload:chat}': counter(160),
  };
  if (withCache) {
    Object.assign(metrics, {
      'llm_prompt_cache_hit{workload:chat}': { type: 'rate', values: { rate: 0.75, passes: 3, fails: 1 } },
      'llm_cached_prompt_tokens{workload:chat}': counter(96),
      'llm_cache_write_tokens{workload:chat}': counter(40),
      'llm_ttft{workload:chat,cache:hit}': trend(52, 55, 3),
      'llm_ttft{workload:chat,cache:miss}': trend(110, 110, 1),
    });
  }
  if (withImages) {
    Object.assign(metrics, {
      'llm_images{workload:chat}': counter(8),
      'llm_image_bytes{workload:chat}': trend(786_500, 3_150_000, 8),
      'llm_image_pixels{workload:chat}': trend(262_144, 1_048_576, 8),
    });
  }
  return { state: { testRunDurationMs: 10_000 }, metrics } as unknown as K6SummaryData;
}

const INFO: WorkloadRunInfo[] = [{ workload: 'chat', spec: null }];

describe('the prompt cache and images in the summary', () => {
  it('gives the hit ratio, the cached and written tokens and TTFT of hits and misses', () => {
    const w = buildReport(data(true, false), INFO, { model: 'm' }, 5).workloads.chat!;
    assert.deepEqual(
      { ...w.promptCache, ttftHitMs: w.promptCache?.ttftHitMs?.p50, ttftMissMs: w.promptCache?.ttftMissMs?.p50 },
      { reported: 4, hits: 3, hitRatio: 0.75, cachedTokens: 96, cachedTokenShare: 0.6, writeTokens: 40, ttftHitMs: 52, ttftMissMs: 110 },
    );
    assert.equal(w.images, null);
  });

  it('gives the images\' count and sizes', () => {
    const w = buildReport(data(false, true), INFO, { model: 'm' }, 5).workloads.chat!;
    assert.equal(w.promptCache, null, 'no request reported its cache');
    assert.equal(w.images?.count, 8);
    assert.deepEqual([w.images?.bytes?.p50, w.images?.bytes?.max, w.images?.pixels?.p50, w.images?.pixels?.max], [786_500, 3_150_000, 262_144, 1_048_576]);
  });

  it('says both in the text, the Markdown and the HTML, and nothing when there is nothing', () => {
    const report = buildReport(data(true, true), INFO, { model: 'm' }, 5);
    const cache = 'prompt cache: 3 of 4 requests hit (75.0 %) · 96 of 160 prompt tokens cached (60.0 %) · 40 written to the cache · TTFT p50 hit 52.0 ms, miss 110.0 ms';
    const images = 'images: 8 sent · 786.5 kB p50, 3.15 MB max per image · 262144 px p50, 1048576 px max';
    const text = renderText(report);
    assert.ok(text.includes(`  ${cache}\n`), text);
    assert.ok(text.includes(`  ${images}\n`), text);
    const md = renderMarkdown(report);
    assert.ok(md.includes(`\n\nPrompt cache: 3 of 4 requests hit (75.0 %)`), md);
    assert.ok(md.includes('\n\nImages: 8 sent · 786.5 kB p50'), md);
    const html = workloadSectionHtml('chat', report.workloads.chat!, [], null);
    assert.ok(html.includes('<p class="meta">prompt cache: 3 of 4 requests hit (75.0 %)'), html);
    assert.ok(html.includes('<p class="meta">images: 8 sent'), html);
    const plain = buildReport(data(false, false), INFO, { model: 'm' }, 5);
    for (const out of [renderText(plain), renderMarkdown(plain), workloadSectionHtml('chat', plain.workloads.chat!, [], null)]) {
      assert.ok(!/prompt cache:|images:/i.test(out), out);
    }
  });
});
