// Availability (and soak): a low, steady rate of streamed requests (LLM_RATE
// per second, open model) for LLM_DURATION, reported overall and per
// LLM_WINDOW: availability, the longest failure run and the error kinds over
// time. Judged by thresholds/availability.json (or LLM_THRESHOLDS):
//   k6 run -e LLM_METER_URL=... -e LLM_BASE_URL=http://host:8000/v1 -e LLM_RATE=0.5 -e LLM_DURATION=1h dist/availability.js
import { fromEnv } from 'k6-llm';
import { availabilityPart } from './workloads/availability.ts';
import { builtinScript } from './workloads/part.ts';

const env = fromEnv('availability');
const { part, client } = availabilityPart(env);
const script = builtinScript(env, client, [part]);

export const options = script.options;
export const setup = script.setup;
/** One request of the steady stream. */
export const availability = script.exec('availability');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
