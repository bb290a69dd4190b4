// What the regression verdict costs: compare() on synthetic workloads of
// 1,000, 10,000 and 100,000 requests a side (thinned to the file's caps as a
// saved baseline is), at the default confidence, and one percentile figure
// of 10,000 samples a side with 2,000 resamples. Figures only; run with
// `node --import tsx tools/baseline/bench.ts`.

import { seededRandom } from '../../src/random.ts';
import { BlockBuilder, blockCount, poolSamples, thinningFor, type WorkloadSample } from './blocks.ts';
import { blockedValues, drawCounts, weightedQuantiles } from './bootstrap.ts';
import { compare } from './compare.ts';

/** A chat-like workload: `requests` over `durationMs`, TTFT 100 + Exp(10) ms, 16 tokens, ITL 20 ± 1 ms. */
function workload(seed: number, requests: number, durationMs: number): WorkloadSample {
  const random = seededRandom(seed);
  const tokens = 16;
  const thinning = thinningFor(requests, requests * (tokens - 1));
  const builder = new BlockBuilder(durationMs, thinning, 0, `bench-${seed}`);
  for (let i = 0; i < requests; i++) {
    const ttft = 100 - Math.log(1 - random()) * 10;
    const itlMs = Array.from({ length: tokens - 1 }, () => 19 + 2 * random());
    const e2e = ttft + itlMs.reduce((a, b) => a + b, 0);
    builder.add({
      startedMs: (i * durationMs) / requests,
      record: {
        status: 200, success: true, error: null, errorMessage: null, ttftMs: ttft, ttfoMs: ttft, e2eMs: e2e, itlMs, tpotMs: (e2e - ttft) / (tokens - 1), outputTokensPerSecond: null,
        outputTokens: tokens, promptTokens: 10, cachedPromptTokens: null, cacheWriteTokens: null, tokensEstimated: false, reasoningTokens: 0, reasoningTokensEstimated: false, answerTokens: tokens, tokenChunks: tokens,
        finishReason: 'stop', sawDone: true, headersMs: 1, readLagMs: null, sendLagMs: null, retryAfter: null, serverMessage: null, ttftBoundMs: null, e2eBoundMs: null, resent: false,
      },
    });
  }
  return poolSamples([builder], thinning);
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, performance.now() - t0];
}

for (const [requests, durationMs] of [[1_000, 60_000], [10_000, 600_000], [100_000, 3_600_000]] as const) {
  const base = workload(1, requests, durationMs);
  const cur = workload(2, requests, durationMs);
  const [result, ms] = time(() => compare({ chat: base }, { chat: cur }, { tolerance: 0.1, tolerances: {}, minSamples: 30, confidence: 0.95 }));
  const kept = base.blocks.reduce((n, b) => n + b.ttftMs.length, 0);
  const itls = base.blocks.reduce((n, b) => n + b.itlMs.length, 0);
  console.log(
    `${requests} requests a side (${kept} kept, ${itls} ITLs, ${blockCount(durationMs)} windows): ${result.judged} figures, ${result.resamples} resamples each: ${ms.toFixed(0)} ms`,
  );
}

// One percentile figure, 10,000 samples a side in 200 windows, 2,000 resamples: the inner loop alone.
const random = seededRandom(3);
const side = () => blockedValues(Array.from({ length: 200 }, () => Array.from({ length: 50 }, () => 100 - Math.log(1 - random()) * 10)));
const [a, b] = [side(), side()];
const counts = [new Uint32Array(200), new Uint32Array(200)] as const;
const out = new Float64Array(1);
for (const q of [0.5, 0.95]) {
  const [, ms] = time(() => {
    for (let r = 0; r < 2000; r++) {
      drawCounts(counts[0], random);
      weightedQuantiles(a, counts[0], [q], out);
      drawCounts(counts[1], random);
      weightedQuantiles(b, counts[1], [q], out);
    }
  });
  console.log(`p${q * 100} of 10,000 samples a side, 2,000 resamples: ${ms.toFixed(0)} ms`);
}
