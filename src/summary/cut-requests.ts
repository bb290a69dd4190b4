// The requests k6 cut at the end of the test that no script saw (each VU's
// last request, found when the meter's store is settled), added to k6's own
// counts when the settling happens too late for k6 to count them: in
// handleSummary, for a script without k6-llm's teardown. Pure.

import type { K6SummaryData } from '../k6-summary-data.ts';
import { workloadKey } from '../measure/metric-key.ts';

/**
 * k6's summary data with `cut` (requests per workload) added to llm_requests
 * and llm_errors{error:interrupted}, per workload and in total, as the
 * recorder counts an interrupted request it saw. Rates are per second of the
 * run, as k6's. Returns data itself, changed; unchanged for an empty `cut`.
 */
export function withCutRequests(data: K6SummaryData, cut: ReadonlyMap<string, number>): K6SummaryData {
  const seconds = (data.state?.testRunDurationMs ?? 0) / 1000;
  const add = (key: string, n: number): void => {
    const metric = (data.metrics[key] ??= { type: 'counter', values: { count: 0, rate: 0 } });
    const count = (metric.values.count ?? 0) + n;
    metric.values.count = count;
    if (seconds > 0) metric.values.rate = count / seconds;
  };
  for (const [workload, n] of cut) {
    if (n <= 0) continue;
    for (const key of ['llm_requests', workloadKey('llm_requests', workload)]) add(key, n);
    for (const key of ['llm_errors', workloadKey('llm_errors', workload, { error: 'interrupted' })]) add(key, n);
  }
  return data;
}
