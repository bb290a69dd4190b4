// Interactive chat: multi-turn conversations with streamed answers, judged by
// thresholds/chat.json (or LLM_THRESHOLDS). A closed pool of LLM_VUS users by
// default; an open model (new conversations at LLM_RATE, LLM_ARRIVAL) when
// either is set. Run with any k6 >= 1.1 beside the stream meter:
//   npx k6-llm meter      # prints LLM_METER_URL=...
//   k6 run -e LLM_METER_URL=... -e LLM_BASE_URL=http://host:8000/v1 -e LLM_MODEL=NAME dist/chat.js
import { Client, fromEnv } from 'k6-llm';
import { chatPart } from './workloads/chat.ts';
import { builtinScript } from './workloads/part.ts';

const env = fromEnv('chat');
const client = new Client({ workload: 'chat', slo: env.slo });
const script = builtinScript(env, client, [chatPart(env, client)]);

export const options = script.options;
export const setup = script.setup;
/** One conversation (closed pool) or one scheduled arrival (open model). */
export const chat = script.exec('chat');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
