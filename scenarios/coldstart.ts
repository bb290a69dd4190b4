// Cold starts: LLM_PROBES probes, each after LLM_IDLE without traffic (longer
// than the endpoint's scale-down window), each followed by LLM_WARM_REQUESTS
// warm requests. A probe turned away while the endpoint scales up (429, 503,
// refused) is retried with backoff, honouring Retry-After; every attempt is
// counted. Samples are tagged phase:cold|warm and probe:N.
//   k6 run -e LLM_METER_URL=... -e LLM_BASE_URL=http://host:8000/v1 -e LLM_IDLE=15m -e LLM_PROBES=3 dist/coldstart.js
import { Client, fromEnv } from 'k6-llm';
import { coldstartPart } from './workloads/coldstart.ts';
import { builtinScript } from './workloads/part.ts';

const env = fromEnv('coldstart');
const client = new Client({ workload: 'coldstart', slo: env.slo });
const script = builtinScript(env, client, [coldstartPart(env, client)]);

export const options = script.options;
export const setup = script.setup;
/** One probe: idle, the cold request (retried while turned away), then the warm ones. */
export const coldstart = script.exec('coldstart');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
