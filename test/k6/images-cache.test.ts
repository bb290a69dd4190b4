// Images and the prompt cache, each through real k6 (`k6-llm run chat`,
// with its own stream meter and records) against the mock, whose schedule is
// the ground truth:
//   - TTFT p50 rises with image size as the mock's model says (--ttft-ms +
//     --image-ms-per-kpixel per 1000 pixels), three sizes each within 2 ms,
//     and the summary gives the images' count, bytes and pixels;
//   - an image the server cannot read is the server's 400 in one line
//     (a dataset naming a broken PNG file, read at init);
//   - a 4-turn chat against the caching mock reports the hit ratio the
//     mock's own counts give, exactly; its TTFT of hits and of misses is
//     exactly that of the requests the server said hit or missed, and each
//     within 2 ms of the mock's schedule (--ttft-ms + uncached prompt tokens
//     × --prefill-ms-per-token): the median of TTFT − schedule over those
//     requests (their schedules differ turn by turn).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SyntheticImages } from '../../src/images/synthetic-image.ts';
import { recordFromMeter } from '../../src/measure/meter-record.ts';
import { quantileSorted } from '../../src/measure/quantile.ts';
import { parseRecordsLine } from '../../src/meter/record.ts';
import { openaiChat } from '../../src/protocols/openai-chat.ts';
import type { LlmReport } from '../../src/summary/schema.ts';
import { ROOT, runProcess, startMock } from './harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');
const TTFT_MS = 50;

/** `k6-llm run chat` against `url` with `args`; its summary and its out folder. */
async function runChat(url: string, args: string[]): Promise<{ code: number; stderr: string; report: LlmReport; outDir: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'k6-llm-vision-'));
  const res = await runProcess(process.execPath, [CLI, 'run', 'chat', '--url', url, '--model', 'm', '--quiet', '--out-dir', outDir, '--thresholds', 'none', ...args], {}, 120_000);
  const report = JSON.parse(readFileSync(join(outDir, 'llm-summary.json'), 'utf8')) as LlmReport;
  return { code: res.code, stderr: res.stderr, report, outDir };
}

/** Every request the meter recorded in a run, as k6-llm measured it. */
function records(outDir: string) {
  return readFileSync(join(outDir, 'requests.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const read = parseRecordsLine(line);
      if (typeof read === 'string') throw new Error(read);
      return recordFromMeter(openaiChat, read.record, true);
    })
    .filter((r) => r.error !== 'interrupted');
}

const p50 = (values: number[]): number => quantileSorted([...values].sort((a, b) => a - b), 0.5);

describe('images in requests', () => {
  // 1 ms per 1000 pixels: 64 px 4.1 ms, 128 px 16.4 ms, 256 px 65.5 ms of prefill. Bodies stay small (at most
  // 0.3 MB), so what TTFT adds to the schedule is the mock's and the meter's own, not a long body's read.
  const MS_PER_KPIXEL = 1;

  test('TTFT p50 rises with image size as the mock\'s model says: three sizes, each within 2 ms; the summary gives the sizes sent', async () => {
    const mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', '20', '--output-tokens', '4', '--image-ms-per-kpixel', String(MS_PER_KPIXEL)]);
    try {
      const seen: string[] = [];
      let previous = 0;
      for (const side of [64, 128, 256]) {
        const run = await runChat(mock.url, ['--vus', '1', '--turns', '1', '--think-time', '0', '--duration', '4s', '--max-tokens', '4', '--images', '1', '--image-size', String(side)]);
        assert.equal(run.code, 0, run.stderr);
        const w = run.report.workloads.chat!;
        const expected = TTFT_MS + ((side * side) / 1000) * MS_PER_KPIXEL;
        seen.push(`${side} px: TTFT p50 ${w.ttftMs?.p50.toFixed(2)} ms, schedule ${expected.toFixed(2)} ms (${w.requests} requests)`);
        assert.equal(w.successRate, 1);
        assert.ok(w.requests >= 8, `${side} px: ${w.requests} requests`);
        assert.ok(w.ttftMs && Math.abs(w.ttftMs.p50 - expected) <= 2, seen.join('; '));
        assert.ok(w.ttftMs.p50 > previous, `TTFT rises with size: ${seen.join('; ')}`);
        previous = w.ttftMs.p50;
        // The sizes sent: one image a request, every one side × side pixels, its bytes those of the PNG the prompt source made.
        const bytes = new SyntheticImages(1).image(side, side, 0).bytes;
        assert.equal(w.images?.count, w.requests - w.interrupted);
        assert.deepEqual([w.images?.pixels?.p50, w.images?.pixels?.max], [side * side, side * side]);
        assert.deepEqual([w.images?.bytes?.p50, w.images?.bytes?.max], [bytes, bytes]);
        // The mock counted each as ceil(pixels / 784) prompt tokens, on top of the text.
        assert.equal(mock.server.stats().images.tokens, Math.ceil((side * side) / 784) * mock.server.stats().images.images);
        await fetch(`${mock.url.replace(/\/v1$/, '')}/mock/reset-stats`, { method: 'POST' });
      }
      console.log(`images: ${seen.join('; ')}`);
    } finally {
      await mock.server.close();
    }
  });

  test('an image the server cannot read is its 400, in one line (a dataset naming a broken PNG file)', async () => {
    const mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', '2', '--output-tokens', '4']);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'k6-llm-images-'));
      const good = Buffer.from(new SyntheticImages(1).image(64, 64, 0).url.slice('data:image/png;base64,'.length), 'base64');
      const broken = Buffer.from(good);
      broken[60] = (broken[60] as number) ^ 0xff;
      writeFileSync(join(dir, 'good.png'), good);
      writeFileSync(join(dir, 'broken.png'), broken);
      writeFileSync(join(dir, 'prompts.jsonl'), '{"prompt": "What is in it?", "images": ["good.png", "broken.png"]}\n');
      const run = await runChat(mock.url, ['--vus', '1', '--turns', '1', '--think-time', '0', '--duration', '3s', '--dataset', join(dir, 'prompts.jsonl')]);
      assert.equal(run.code, 0, run.stderr);
      const w = run.report.workloads.chat!;
      assert.ok(w.requests >= 1);
      const judged = w.requests - w.interrupted;
      assert.deepEqual(w.errors, { http_4xx: judged });
      assert.match(
        w.errorCause ?? '',
        new RegExp(`^400 Bad Request: "Failed to load image at messages\\[1\\]\\.content\\[2\\]: broken PNG file: chunk IDAT at byte \\d+ fails its CRC check" \\(${judged} of ${w.requests} requests\\)$`),
      );
      assert.equal(mock.server.stats().requests, 0, 'refused before admission');
    } finally {
      await mock.server.close();
    }
  });
});

describe('prompt-cache figures', () => {
  const PREFILL = 0.5;

  test('a 4-turn chat against the caching mock: the hit ratio of the mock\'s own counts, exactly; TTFT of hits and misses each within 2 ms of its schedule', async () => {
    const mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', '20', '--output-tokens', '4', '--prefill-ms-per-token', String(PREFILL), '--prefix-cache-blocks', '100000']);
    try {
      const run = await runChat(mock.url, ['--vus', '1', '--turns', '4', '--think-time', '0', '--duration', '8s', '--prompt-tokens', '64']);
      assert.equal(run.code, 0, run.stderr);
      const w = run.report.workloads.chat!;
      const cache = mock.server.stats().promptCache;
      const c = w.promptCache!;
      assert.ok(c, 'the summary reports the cache');
      assert.equal(w.requests - w.interrupted, cache.lookups, 'every request the mock looked up was measured');
      assert.deepEqual([c.reported, c.hits], [cache.lookups, cache.hits]);
      assert.equal(c.hitRatio, cache.hits / cache.lookups, 'exactly the mock\'s ratio');
      assert.equal(c.cachedTokens, cache.cachedTokens);
      assert.equal(w.promptTokens, cache.promptTokens);
      // Every conversation's first turn misses, its three later turns hit on the history.
      assert.equal(cache.hits * 4, cache.lookups * 3, `${cache.hits} hits of ${cache.lookups}`);
      // The schedule of those very requests: --ttft-ms + the uncached prompt tokens × --prefill-ms-per-token.
      const measured = records(run.outDir);
      const schedule = (r: (typeof measured)[number]): number => TTFT_MS + ((r.promptTokens as number) - (r.cachedPromptTokens as number)) * PREFILL;
      const hits = measured.filter((r) => (r.cachedPromptTokens as number) > 0);
      const misses = measured.filter((r) => r.cachedPromptTokens === 0);
      assert.deepEqual([hits.length, misses.length], [cache.hits, cache.lookups - cache.hits]);
      const late = (rs: typeof measured): number => p50(rs.map((r) => (r.ttftMs as number) - schedule(r)));
      const worst = Math.max(...measured.map((r) => Math.abs((r.ttftMs as number) - schedule(r))));
      const line =
        `hits ${hits.length}: TTFT p50 ${c.ttftHitMs?.p50.toFixed(2)} ms, TTFT − schedule p50 ${late(hits).toFixed(2)} ms; ` +
        `misses ${misses.length}: TTFT p50 ${c.ttftMissMs?.p50.toFixed(2)} ms, TTFT − schedule p50 ${late(misses).toFixed(2)} ms; ` +
        `hit ratio ${c.hitRatio} (mock ${cache.hits}/${cache.lookups}); largest |TTFT − schedule| of a request ${worst.toFixed(2)} ms; ` +
        `mock send lateness p50 ${mock.server.stats().lateness.p50} ms, p99 ${mock.server.stats().lateness.p99} ms`;
      console.log(`prompt cache: ${line}`);
      // The split is exact: the summary's hit and miss TTFTs are those of the requests the server said hit or missed.
      assert.ok(c.ttftHitMs && Math.abs(c.ttftHitMs.p50 - p50(hits.map((r) => r.ttftMs as number))) < 0.01, line);
      assert.ok(c.ttftMissMs && Math.abs(c.ttftMissMs.p50 - p50(misses.map((r) => r.ttftMs as number))) < 0.01, line);
      assert.ok(Math.abs(late(hits)) <= 2 && Math.abs(late(misses)) <= 2, line);
      // A hit skips its cached share of the prefill: well under what its whole prompt would take.
      const saved = p50(hits.map((r) => TTFT_MS + (r.promptTokens as number) * PREFILL - (r.ttftMs as number)));
      assert.ok(saved > 10, `hits saved ${saved} ms of prefill at p50: ${line}`);
    } finally {
      await mock.server.close();
    }
  });
});
