// The three workloads at once, each as its own k6 scenario with its own tags,
// rate and thresholds: chat conversations and realtime calls arrive on their
// own schedules (LLM_MIX rates, LLM_ARRIVAL spacing) while a batch job runs
// at its own concurrency. Metrics and thresholds stay apart per workload.
//   k6 run -e LLM_METER_URL=... -e LLM_BASE_URL=http://host:8000/v1 -e LLM_MIX=chat=1,realtime=10,batch=4 dist/mixed.js
import { Client, fromEnv, type WorkloadEnv } from 'k6-llm';
import { batchPart } from './workloads/batch.ts';
import { chatPart } from './workloads/chat.ts';
import { builtinScript, type WorkloadPart } from './workloads/part.ts';
import { realtimePart } from './workloads/realtime.ts';

type MakePart = (env: WorkloadEnv, client: Client) => WorkloadPart;

// Each part reads the variables as mixed's; a rate of 0 leaves a workload out (LLM_MIX keeps at least one).
const { rates } = fromEnv('chat', { scope: 'mixed', open: true }).config.mix;
const wanted: [WorkloadEnv, MakePart][] = [];
if (rates.chat > 0) wanted.push([fromEnv('chat', { scope: 'mixed', open: true, load: { rate: rates.chat } }), chatPart]);
if (rates.realtime > 0) wanted.push([fromEnv('realtime', { scope: 'mixed', load: { rate: rates.realtime } }), realtimePart]);
// Batch takes its concurrency from LLM_MIX, not LLM_VUS (which sizes the open-model pools), and is never scheduled.
if (rates.batch > 0) wanted.push([fromEnv('batch', { scope: 'mixed', load: { vus: rates.batch, arrival: null, trace: null } }), batchPart]);
const clients = wanted.map(([env]) => new Client({ workload: env.workload, slo: env.slo }));
const parts = wanted.map(([env, make], i) => make(env, clients[i] as Client));
const [firstEnv] = wanted[0] as [WorkloadEnv, MakePart];
const script = builtinScript(firstEnv, clients[0] as Client, parts);

export const options = script.options;
export const setup = script.setup;
export const chat = script.exec('chat');
export const realtime = script.exec('realtime');
export const batch = script.exec('batch');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
