// End-of-test TTFT stability check. k6 thresholds cannot bound a ratio of two
// percentiles, so teardown computes TTFT p99/p50 from every VU's samples
// (k6/x/llmstream's process-wide store) and emits it as llm_ttft_spread,
// which the thresholds file bounds: a breach then fails the run with 99.
import { llmstream } from './extensions.ts';
import { llmTtftSpread } from './metrics.ts';
import { ttftSampleKey } from './record-metrics.ts';

/** Emits llm_ttft_spread{workload} for each workload with TTFT samples. */
export function emitTtftSpread(workloads: string[]): void {
  if (!llmstream) return; // without the store the summary reports the spread, unjudged by k6
  for (const workload of workloads) {
    const key = ttftSampleKey(workload);
    if (llmstream.count(key) === 0) continue;
    const p50 = llmstream.quantile(key, 0.5);
    const p99 = llmstream.quantile(key, 0.99);
    if (p50 > 0) llmTtftSpread.add(p99 / p50, { workload });
  }
}
