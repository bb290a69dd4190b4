// Batch / offline processing: LLM_BATCH_SIZE long prompts at a concurrency
// of LLM_VUS (optionally at most LLM_RATE per second) until the job is done,
// judged by aggregate output tokens/s and job time (thresholds/batch.json).
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_VUS=32 dist/batch.js
import { runStart, type RunStart } from '../src/k6/arrivals.ts';
import { batchJobDone, createBatchDriver } from '../src/k6/drivers/batch.ts';
import { generatorProbe as probe } from '../src/k6/generator-probe.ts';
import { makeSummaryHandler } from '../src/summary/handle-summary.ts';
import { loadConfig } from '../src/k6/load-config.ts';
import { startStore } from '../src/k6/meter-store.ts';
import { createTransport } from '../src/k6/transport.ts';
import { protocolByName } from '../src/protocols/index.ts';
import { formatDuration } from '../src/duration.ts';
import { PROBE_SCENARIO, runOptions, splitDuration } from '../src/workloads/options.ts';

const config = loadConfig(__ENV);
const transport = createTransport(config, protocolByName(config.protocol));
const driver = createBatchDriver(config, transport);
const { loadMs } = splitDuration(config.durationMs);
// The probe runs in half-second iterations and skips them once the job is
// done, so the run ends with the job instead of lasting the whole window.
const PROBE_ITERATION_MS = 500;

export const options = runOptions(config, [driver], {
  executor: 'shared-iterations',
  vus: 1,
  iterations: Math.ceil(loadMs / PROBE_ITERATION_MS),
  maxDuration: formatDuration(loadMs),
  gracefulStop: '1s',
  exec: 'generatorProbe',
  tags: { workload: PROBE_SCENARIO },
});

/** The generator self-check, while the job runs. */
export function generatorProbe(): void {
  if (!batchJobDone(config.batchSize)) probe();
}

export function setup(): RunStart {
  startStore();
  console.log(`k6-llm: batch thresholds from ${driver.spec?.source ?? 'none (LLM_THRESHOLDS=none)'}; transport ${transport.name}`);
  return runStart();
}

/** One item of the job. */
export function batch(start: RunStart): void {
  driver.run(start);
}

export const handleSummary = makeSummaryHandler(config, [driver.info], transport.name);
