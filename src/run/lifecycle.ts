// The run's own steps around the load: setup() empties the stream meter's
// store (a meter serving several runs mixes none of their figures) and says
// what runs; teardown() settles every VU's last request in the store and
// emits the end-of-test figures k6 then judges (TTFT p99/p50, the worst
// availability window); the generator probe is the self-check's iteration.
// Without them a run loses nothing the summary reports (llmSummary settles
// too); what it loses is said where it shows: k6 judges no spread or window.

import { currentSegment, segmentLines } from '../k6/segment.ts';
import { emitWorstWindow } from '../k6/availability-check.ts';
import { meterStore, settleStore, startStore, storedTtftWorkloads } from '../k6/meter-store.ts';
import { emitTtftSpread } from '../k6/stability.ts';
import { recordCutRequests } from '../k6/record-metrics.ts';
import { runStart, type RunStart } from '../k6/schedule-replay.ts';
import { describedWorkloads } from './registry.ts';

export type { RunStart } from '../k6/schedule-replay.ts';
/**
 * The generator self-check's iteration: 50 sleeps of 10 ms, each one's
 * lateness recorded in llm_generator_lag (the summary warns when k6 is short
 * of CPU). Export it from the script and run it in llmOptions' `probe`
 * scenario (one VU, exec 'generatorProbe').
 */
export { generatorProbe } from '../k6/generator-probe.ts';

/** What llmSetup prints before the load. */
export interface SetupOptions {
  /** Lines printed as warnings first (deprecated values that still work). */
  notices?: string[];
  /** Lines printed after each workload's banner (e.g. the transport). */
  lines?: string[];
}

/**
 * The run's setup: stops a test split over instances when a workload cannot
 * be split, empties the stream meter's store, prints each described
 * workload's banner, and returns when the scenarios start (pass it to
 * arrivals' next()).
 */
export function llmSetup(options: SetupOptions = {}): RunStart {
  // Before anything else: a workload that cannot be split stops here, before any load.
  for (const line of segmentLines(describedWorkloads())) console.warn(`k6-llm: ${line}`);
  startStore();
  for (const notice of options.notices ?? []) console.warn(`k6-llm: ${notice}`);
  for (const w of describedWorkloads()) if (w.banner) console.log(`k6-llm: ${w.banner}`);
  for (const line of options.lines ?? []) console.log(`k6-llm: ${line}`);
  return runStart();
}

/**
 * The run's teardown: settles each VU's last request in the meter's store
 * (counting the requests k6 cut, which no script saw), then emits llm_ttft_spread for every workload with TTFTs and
 * llm_availability_worst_window for every workload described with a window.
 */
export function llmTeardown(): void {
  recordCutRequests(settleStore());
  if (!meterStore()) return;
  emitTtftSpread(storedTtftWorkloads());
  for (const w of describedWorkloads()) if (w.windowMs !== undefined) emitWorstWindow(w.workload, w.windowMs);
}

/** This instance's share of a test split over instances (k6 execution segments); whole without one. Not in the init context. */
export { currentSegment };
