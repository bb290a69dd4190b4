// The cold-start section of a workload's report, read from k6's tagged
// sub-metrics (phase:cold|warm, probe:N): per probe, the cold TTFT, the warm
// median, the penalty, retries and the time to first success. Pure.

import { workloadKey, type MetricTags } from '../measure/metric-key.ts';
import { percentiles, type K6SummaryData, type Percentiles } from '../k6-summary-data.ts';

/** One cold probe. */
export interface ProbeReport {
  probe: number;
  /** TTFT of the cold request that succeeded; null when none did. */
  coldTtftMs: number | null;
  /** Median TTFT of the warm requests after it. */
  warmTtftMedianMs: number | null;
  /** coldTtftMs − warmTtftMedianMs. */
  penaltyMs: number | null;
  /** First attempt → first token of the attempt that succeeded, retries included. */
  timeToFirstSuccessMs: number | null;
  /** Attempts turned away (429/503...) before it succeeded or gave up. */
  retries: number;
}

/** Cold versus warm, over all probes. */
export interface ColdStartReport {
  coldTtftMs: Percentiles | null;
  warmTtftMs: Percentiles | null;
  /** Cold TTFT median − warm TTFT median. */
  penaltyMs: number | null;
  /** The per-probe penalties. */
  penaltyPerProbeMs: Percentiles | null;
  timeToFirstSuccessMs: Percentiles | null;
  retries: number;
  /** Success rate of the cold attempts (retries included) and of the warm requests. */
  coldSuccessRate: number | null;
  warmSuccessRate: number | null;
  probes: ProbeReport[];
}

/** Builds the cold-start section for `probes` probes of `workload`. */
export function coldStartReport(data: K6SummaryData, workload: string, probes: number): ColdStartReport {
  const metric = (name: string, tags: MetricTags = {}) => data.metrics[workloadKey(name, workload, tags)];
  const med = (name: string, tags: MetricTags): number | null => {
    const p = percentiles(metric(name, tags));
    return p ? p.p50 : null;
  };
  const cold = percentiles(metric('llm_ttft', { phase: 'cold' }));
  const warm = percentiles(metric('llm_ttft', { phase: 'warm' }));
  const list: ProbeReport[] = [];
  for (let p = 1; p <= probes; p++) {
    const coldTtft = med('llm_ttft', { phase: 'cold', probe: p });
    const warmMedian = med('llm_ttft', { phase: 'warm', probe: p });
    const retries = metric('llm_retries', { probe: p })?.values.count ?? 0;
    const ttfs = med('llm_time_to_first_success', { probe: p });
    // A probe the run never reached (interrupted) has no figures at all.
    if (coldTtft === null && warmMedian === null && retries === 0 && ttfs === null) continue;
    list.push({
      probe: p,
      coldTtftMs: coldTtft,
      warmTtftMedianMs: warmMedian,
      penaltyMs: med('llm_cold_start_penalty', { probe: p }),
      timeToFirstSuccessMs: ttfs,
      retries,
    });
  }
  return {
    coldTtftMs: cold,
    warmTtftMs: warm,
    penaltyMs: cold && warm ? cold.p50 - warm.p50 : null,
    penaltyPerProbeMs: percentiles(metric('llm_cold_start_penalty')),
    timeToFirstSuccessMs: percentiles(metric('llm_time_to_first_success')),
    retries: metric('llm_retries')?.values.count ?? 0,
    coldSuccessRate: metric('llm_request_success', { phase: 'cold' })?.values.rate ?? null,
    warmSuccessRate: metric('llm_request_success', { phase: 'warm' })?.values.rate ?? null,
    probes: list,
  };
}
