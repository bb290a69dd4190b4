// Real-time API calls (moderation, classification, code completion): short
// prompts and answers at LLM_RATE per second with LLM_ARRIVAL spacing
// (Poisson by default), judged end to end by thresholds/realtime.json.
//   k6 run -e LLM_METER_URL=... -e LLM_BASE_URL=http://host:8000/v1 -e LLM_RATE=20 dist/realtime.js
import { Client, fromEnv } from 'k6-llm';
import { builtinScript } from './workloads/part.ts';
import { realtimePart } from './workloads/realtime.ts';

const env = fromEnv('realtime');
const client = new Client({ workload: 'realtime', slo: env.slo });
const script = builtinScript(env, client, [realtimePart(env, client)]);

export const options = script.options;
export const setup = script.setup;
/** One scheduled arrival. */
export const realtime = script.exec('realtime');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
