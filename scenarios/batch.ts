// Batch / offline processing: LLM_BATCH_SIZE long prompts at a concurrency
// of LLM_VUS (optionally at most LLM_RATE per second) until the job is done,
// judged by aggregate output tokens/s and job time (thresholds/batch.json);
// with LLM_PROTOCOL=openai-embeddings, LLM_INPUTS_PER_REQUEST texts per
// request, judged by inputs/s and input tokens/s (thresholds/embeddings.json).
//   k6 run -e LLM_METER_URL=... -e LLM_BASE_URL=http://host:8000/v1 -e LLM_VUS=32 dist/batch.js
import { Client, fromEnv } from 'k6-llm';
import { batchPart } from './workloads/batch.ts';
import { builtinScript } from './workloads/part.ts';

const env = fromEnv('batch');
const client = new Client({ workload: 'batch', slo: env.slo });
const script = builtinScript(env, client, [batchPart(env, client)]);

export const options = script.options;
export const setup = script.setup;
/** One item of the job. */
export const batch = script.exec('batch');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
