// Batch / offline processing: LLM_BATCH_SIZE long prompts at a concurrency
// of LLM_VUS (optionally at most LLM_RATE per second) until the job is done,
// judged by aggregate output tokens/s and job time (thresholds/batch.json);
// with LLM_PROTOCOL=openai-embeddings, LLM_INPUTS_PER_REQUEST texts per
// request, judged by inputs/s and input tokens/s (thresholds/embeddings.json).
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_VUS=32 dist/batch.js
import { createBatchDriver } from '../src/k6/drivers/batch.ts';
import { createScript } from '../src/script.ts';

const script = createScript(__ENV, 'batch', (config, transport) => [createBatchDriver(config, transport)]);

export const options = script.options;
export const setup = script.setup;
/** One item of the job. */
export const batch = script.exec('batch');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
