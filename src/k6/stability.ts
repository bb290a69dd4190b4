// End-of-test TTFT stability check. k6 thresholds cannot bound a ratio of two
// percentiles, so teardown computes TTFT p99/p50 from every VU's samples
// (the stream meter's store) and emits it as llm_ttft_spread, which the
// thresholds file bounds: a breach then fails the run with 99.
import { quantileSorted } from '../measure/quantile.ts';
import { meterStore, ttftSampleKey } from './meter-store.ts';
import { llmTtftSpread } from './metrics.ts';

/** Emits llm_ttft_spread{workload} for each workload with TTFT samples. */
export function emitTtftSpread(workloads: string[]): void {
  const store = meterStore();
  if (!store) return; // without the store the summary reports the spread, unjudged by k6
  for (const workload of workloads) {
    const values = store.values(ttftSampleKey(workload));
    if (!values || values.length === 0) continue;
    const sorted = values.slice().sort((a, b) => a - b);
    const p50 = quantileSorted(sorted, 0.5);
    const p99 = quantileSorted(sorted, 0.99);
    if (p50 > 0) llmTtftSpread.add(p99 / p50, { workload });
  }
}
