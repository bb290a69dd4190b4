// Runs the batch job: LLM_BATCH_SIZE requests, one per iteration of a
// shared-iterations scenario on LLM_VUS VUs, paced by LLM_RATE when given
// (with an embeddings protocol, each of LLM_INPUTS_PER_REQUEST texts).
// Each completion records the job time so far (llm_batch_job_ms, max = job
// time) and bumps a process-wide count so the probe can stop with the job.
import exec from 'k6/execution';
import { buildSchedule, type Arrival } from '../../arrivals/index.ts';
import { instanceSegment, sharedIterationsStripe, type InstanceSegment } from '../../arrivals/segments.ts';
import type { Config } from '../../config/config.ts';
import { formatDuration } from '../../duration.ts';
import { checkEmbeddingCount } from '../../measure/completion.ts';
import { isEmbeddingProtocol } from '../../protocols/index.ts';
import { BATCH_DEFAULTS, BATCH_WORKLOAD, EMBEDDINGS_DEFAULTS, EMBEDDINGS_THRESHOLDS } from '../../workloads/batch.ts';
import { PROBE_SCENARIO, scheduledScenario, scheduledVus, splitDuration } from '../../workloads/options.ts';
import { embeddingRequest, PromptSource, singleTurnRequest } from '../../workloads/prompts.ts';
import { describePrompts, describeSettings, resolveSettings, promptSources } from '../../workloads/settings.ts';
import { nowMs } from '../clock.ts';
import { generatorProbe } from '../generator-probe.ts';
import { loadDataset, loadTools } from '../input-files.ts';
import { loadThresholds } from '../load-thresholds.ts';
import { meterStore } from '../meter-store.ts';
import { llmBatchJobMs } from '../metrics.ts';
import { pauseAfterFailure } from '../pause-after-failure.ts';
import { createRecorder } from '../record-metrics.ts';
import { takeArrival } from '../schedule-replay.ts';
import { currentSegment } from '../segment.ts';
import { emitTtftSpread } from '../stability.ts';
import type { Transport } from '../transport.ts';
import { thresholdsFrom, type Driver } from './driver.ts';

/** Key of the process-wide count of finished batch requests (the stream meter's store). */
export const BATCH_DONE_KEY = 'k6-llm:batch-done';

// The probe runs in half-second iterations and skips them once the job is
// done, so the run ends with the job instead of lasting the whole window.
const PROBE_ITERATION_MS = 500;

/** The batch driver (mixed passes its concurrency in config.load.vus). */
export function createBatchDriver(config: Config, transport: Transport): Driver {
  // An embeddings API: each item is one request of LLM_INPUTS_PER_REQUEST texts.
  const embedding = isEmbeddingProtocol(config.endpoint.protocol);
  const perRequest = config.batch.inputsPerRequest;
  const settings = resolveSettings(config, BATCH_WORKLOAD, embedding ? EMBEDDINGS_DEFAULTS : BATCH_DEFAULTS);
  const spec = loadThresholds(config, embedding ? EMBEDDINGS_THRESHOLDS : BATCH_WORKLOAD);
  const prompts = new PromptSource(config, settings, loadDataset(config), loadTools(config));
  const record = createRecorder(BATCH_WORKLOAD, spec?.perRequest ?? {});
  const meta = { ...record.meta, count: BATCH_DONE_KEY };
  const jobSize = config.batch.size;
  // Pacing (LLM_RATE): item i not before i / rate. Built in full (not cut to the window): the job is N items.
  const pacing: Arrival[] | null =
    config.load.rate === null ? null : buildSchedule('constant', { ratePerSec: config.load.rate, durationMs: (jobSize / config.load.rate) * 1000, seed: 0, burstiness: 1, rampFromPerSec: 0, trace: null }).slice(0, jobSize);
  const { loadMs } = splitDuration(config.load.durationMs);
  const scenario = scheduledScenario(BATCH_WORKLOAD, BATCH_WORKLOAD, jobSize, settings.vus, config);
  const scenarioVus = scheduledVus(jobSize, settings.vus);
  return {
    workload: BATCH_WORKLOAD,
    spec,
    scenarios: { [BATCH_WORKLOAD]: scenario },
    // Alone in a run, the probe stops with the job (in mixed, the other workloads keep it busy).
    probe: {
      executor: 'shared-iterations',
      vus: 1,
      iterations: Math.ceil(loadMs / PROBE_ITERATION_MS),
      maxDuration: formatDuration(loadMs),
      gracefulStop: '1s',
      exec: 'generatorProbe',
      tags: { workload: PROBE_SCENARIO },
    },
    probeRun: () => {
      if (!batchJobDone(jobSize, scenarioVus)) generatorProbe();
    },
    banner: `${BATCH_WORKLOAD} ${thresholdsFrom(spec)}`,
    info: {
      workload: BATCH_WORKLOAD,
      spec,
      settings: {
        ...(embedding ? { vus: settings.vus, protocol: config.endpoint.protocol, inputsPerRequest: perRequest, prompts: describePrompts(settings, promptSources(config)) } : describeSettings(settings, promptSources(config))),
        concurrency: settings.vus,
        pacing: config.load.rate === null ? 'none' : `${config.load.rate}/s`,
      },
      // This instance's share under a segment (read by the summary, after the run), so its report does not call the job unfinished.
      batch: {
        get jobSize(): number {
          return instanceJobSize(jobSize, scenarioVus);
        },
      },
      ...(embedding ? { embeddings: { inputsPerRequest: perRequest } } : {}),
    },
    run(start) {
      let index = exec.scenario.iterationInTest;
      if (pacing) {
        // Batch never drops: a late item is still part of the job.
        const taken = takeArrival(pacing, start, Infinity);
        if (!taken) return;
        index = taken.index;
      }
      // The meter counts the request as done when its response has ended.
      const result = embedding
        ? checkEmbeddingCount(transport.send(embeddingRequest(config, prompts, index, perRequest), meta), perRequest)
        : transport.send(singleTurnRequest(config, settings, prompts, index), meta);
      record(result);
      llmBatchJobMs.add(nowMs() - start.startMs);
      // Unpaced, the next item would go out at once: a failing endpoint is not hammered.
      if (!pacing) pauseAfterFailure(result, loadMs);
    },
    finish: () => emitTtftSpread([BATCH_WORKLOAD]),
    underSegment: (at) => ({
      note:
        `batch: this instance sends ${instanceItems(jobSize, scenarioVus, at)} of the job's ${jobSize} items; its llm_batch_job_ms ` +
        `runs from its own start to its own last answer: the job's time is the latest instance's (merge the instances)`,
    }),
  };
}

/** The job's items this instance sends; the whole job where k6 cannot say (the init context) or the segment is unusable. */
function instanceJobSize(jobSize: number, vus: number): number {
  try {
    const options = exec.test.options as { executionSegment?: string | null; executionSegmentSequence?: string | null };
    return instanceItems(jobSize, vus, instanceSegment(options.executionSegment, options.executionSegmentSequence));
  } catch {
    return jobSize;
  }
}

/** How many of the job's items k6 hands this instance: shared-iterations splits them by the instance's VUs. */
function instanceItems(jobSize: number, vus: number, at: InstanceSegment): number {
  return at.whole ? jobSize : sharedIterationsStripe(jobSize, vus, at.sequence, at.segment).length;
}

// The instance's share of the job, worked out on the probe's first iteration (not in the init context).
let share: number | null = null;

/** True once this process has finished its share of the job (all of it without segments): the probe can stop. */
export function batchJobDone(jobSize: number, vus: number): boolean {
  const store = meterStore();
  if (!store) return false;
  share ??= instanceItems(jobSize, vus, currentSegment());
  return (store.count(BATCH_DONE_KEY) ?? 0) >= share;
}
