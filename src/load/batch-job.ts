// A batch job as a k6 scenario: `size` items, one per iteration of a
// shared-iterations scenario on `vus` VUs (its concurrency), paced at `rate`
// items/s when given. Each finished item records the job time so far
// (llm_batch_job_ms: its max is the job's time) and bumps a count in the
// stream meter's store, so the generator probe can stop with the job
// instead of lasting the whole window. Make it in the init context.

import exec from 'k6/execution';
import { buildSchedule, type Arrival } from '../arrivals/index.ts';
import { instanceSegment, sharedIterationsStripe, type InstanceSegment } from '../arrivals/segments.ts';
import { formatDuration, parseDurationMs } from '../duration.ts';
import { invalid } from '../errors.ts';
import { nowMs } from '../k6/clock.ts';
import { generatorProbe } from '../k6/generator-probe.ts';
import { oneLine } from '../k6/load-config.ts';
import { meterStore } from '../k6/meter-store.ts';
import { llmBatchJobMs } from '../k6/metrics.ts';
import { takeArrival, type RunStart } from '../k6/schedule-replay.ts';
import { currentSegment } from '../k6/segment.ts';
import type { RequestRecord } from '../measure/request-record.ts';
import { PROBE_SCENARIO, scheduledVus, type ScenarioOptions } from '../workloads/options.ts';
import { durationText } from './closed-users.ts';
import { pauseAfterFailure } from './users.ts';

/** The probe runs in half-second iterations and skips them once the job is done. */
const PROBE_ITERATION_MS = 500;

/** A batch job. */
export interface BatchJobOptions {
  /** The scenario's name, its exec function and its workload tag. */
  workload: string;
  /** Items in the job. */
  size: number;
  /** Items in flight at once (VUs). */
  vus: number;
  /** Pace the items at this many per second (constant spacing); default: back to back. */
  rate?: number;
  /** The longest the job may take: a duration or ms (k6 stops it there). */
  duration: string | number;
  /** How long in-flight requests may finish after it (default 30s). */
  gracefulStop?: string | number;
  /** More tags of the scenario's samples (its workload tag is set). */
  tags?: Record<string, string>;
}

/** The job's scenario, its probe, and what each of its iterations does. */
export interface BatchJob {
  /** A shared-iterations scenario with one iteration per item, on `vus` VUs. */
  readonly scenario: ScenarioOptions;
  /** A generator-probe scenario that stops with the job (its iteration: probeRun). */
  readonly probe: ScenarioOptions;
  /** Pass as the requests' progressKey: the meter counts the items whose answer has ended. */
  readonly progressKey: string;
  /** This iteration's item (global across instances); paced, after waiting for its time. */
  next(start?: RunStart): number | null;
  /** Records an item's end (llm_batch_job_ms since the job's start); unpaced, pauses after a failure. */
  itemDone(result: RequestRecord, start?: RunStart): void;
  /** The generator probe's iteration, skipped once this instance's share of the job is done. */
  probeRun(): void;
  /** This instance's share of the job (all of it without execution segments); the whole job in the init context. */
  instanceSize(): number;
  /** What this instance sends of the job under a segment, for setup's note. */
  instanceItems(at: InstanceSegment): number;
}

/** The batch job `options` describe: its scenario, its generator probe, and what each item waits for and records (call it in the init context). */
export function batchJob(options: BatchJobOptions): BatchJob {
  return oneLine(() => {
    const { workload, size, vus, rate } = options;
    if (!Number.isInteger(size) || size < 1) throw invalid('size', 'a whole number of items >= 1', size);
    if (!Number.isInteger(vus) || vus < 1) throw invalid('vus', 'a whole number of VUs >= 1', vus);
    if (rate !== undefined && !(rate > 0)) throw invalid('rate', 'a number of items per second > 0', rate);
    const loadMs = parseDurationMs(durationText('duration', options.duration)) as number;
    // Pacing: item i not before i / rate. Built in full (not cut to the window): the job is N items.
    const pacing: Arrival[] | null =
      rate === undefined ? null : buildSchedule('constant', { ratePerSec: rate, durationMs: (size / rate) * 1000, seed: 0, burstiness: 1, rampFromPerSec: 0, trace: null }).slice(0, size);
    const poolVus = scheduledVus(size, vus);
    const progressKey = `k6-llm:${workload}-done`;
    const items = (at: InstanceSegment): number => (at.whole ? size : sharedIterationsStripe(size, poolVus, at.sequence, at.segment).length);
    // The instance's share, worked out on the probe's first iteration (not in the init context).
    let share: number | null = null;
    return {
      scenario: {
        executor: 'shared-iterations',
        iterations: size,
        vus: poolVus,
        maxDuration: formatDuration(loadMs),
        ...(options.gracefulStop !== undefined ? { gracefulStop: durationText('gracefulStop', options.gracefulStop) } : {}),
        exec: workload,
        tags: { ...options.tags, workload },
      },
      probe: {
        executor: 'shared-iterations',
        vus: 1,
        iterations: Math.ceil(loadMs / PROBE_ITERATION_MS),
        maxDuration: formatDuration(loadMs),
        gracefulStop: '1s',
        exec: 'generatorProbe',
        tags: { workload: PROBE_SCENARIO },
      },
      progressKey,
      next(start?: RunStart): number | null {
        if (!pacing) return exec.scenario.iterationInTest;
        // A batch never drops: a late item is still part of the job.
        return takeArrival(pacing, start, Infinity)?.index ?? null;
      },
      itemDone(result: RequestRecord, start?: RunStart): void {
        llmBatchJobMs.add(nowMs() - (start?.startMs ?? 0));
        // Unpaced, the next item would go out at once: a failing endpoint is not hammered.
        if (!pacing) pauseAfterFailure(result);
      },
      probeRun(): void {
        const store = meterStore();
        share ??= items(currentSegment());
        if (!store || (store.count(progressKey) ?? 0) < share) generatorProbe();
      },
      instanceSize(): number {
        try {
          const o = exec.test.options as { executionSegment?: string | null; executionSegmentSequence?: string | null };
          return items(instanceSegment(o.executionSegment, o.executionSegmentSequence));
        } catch {
          return size;
        }
      },
      instanceItems: items,
    };
  });
}
