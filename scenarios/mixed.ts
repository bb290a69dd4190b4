// The three workloads at once, each as its own k6 scenario with its own tags,
// rate and thresholds: chat conversations and realtime calls arrive on their
// own schedules (LLM_MIX rates, LLM_ARRIVAL spacing) while a batch job runs
// at its own concurrency. Metrics and thresholds stay apart per workload.
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_MIX=chat=1,realtime=10,batch=4 dist/mixed.js
import { createMixedDrivers } from '../src/k6/drivers/mixed.ts';
import { createScript } from '../src/script.ts';

const script = createScript(__ENV, 'mixed', createMixedDrivers);

export const options = script.options;
export const setup = script.setup;
/** A chat conversation arrival. */
export const chat = script.exec('chat');
/** A realtime call arrival. */
export const realtime = script.exec('realtime');
/** One batch job item. */
export const batch = script.exec('batch');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
