// The batch workload: offline document processing. A fixed job of
// LLM_BATCH_SIZE long prompts is pushed through at a fixed concurrency
// (LLM_VUS), optionally paced to at most LLM_RATE requests per second, until
// done. Judged by aggregate output tokens/s and total job time
// (thresholds/batch.json). Each item is a single turn (singleTurnRequest in
// prompts.ts); src/k6/drivers/batch.ts runs the job. With an embeddings
// protocol each item is one request of LLM_INPUTS_PER_REQUEST texts
// (embeddingRequest), judged by inputs/s and input tokens/s over the job
// (thresholds/embeddings.json).

import type { WorkloadDefaults } from './settings.ts';

/** The workload's tag value and scenario name. */
export const BATCH_WORKLOAD = 'batch';

/** Long prompts, long outputs, 8 at a time; LLM_RATE (when set) paces with constant spacing. */
export const BATCH_DEFAULTS: WorkloadDefaults = {
  vus: 8,
  maxTokens: 256,
  rate: 0,
  arrival: 'constant',
  promptTokens: { kind: 'uniform', min: 512, max: 1024 },
  turns: { kind: 'fixed', value: 1 },
  thinkTime: { kind: 'fixed', value: 0 },
};

/** The thresholds file (thresholds/<name>.json) of an embeddings job. */
export const EMBEDDINGS_THRESHOLDS = 'embeddings';

/** An embeddings job: texts of embedding-model length (most take up to 512 tokens); no output, so no max_tokens. */
export const EMBEDDINGS_DEFAULTS: WorkloadDefaults = {
  ...BATCH_DEFAULTS,
  maxTokens: 0,
  promptTokens: { kind: 'uniform', min: 64, max: 256 },
};
