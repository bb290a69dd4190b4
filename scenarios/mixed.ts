// The three workloads at once, each as its own k6 scenario with its own tags,
// rate and thresholds: chat conversations and realtime calls arrive on their
// own schedules (LLM_MIX rates, LLM_ARRIVAL spacing) while a batch job runs
// at its own concurrency. Metrics and thresholds stay apart per workload.
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_MIX=chat=1,realtime=10,batch=4 dist/mixed.js
import { runStart, type RunStart } from '../src/k6/arrivals.ts';
import { createBatchDriver } from '../src/k6/drivers/batch.ts';
import { createChatDriver } from '../src/k6/drivers/chat.ts';
import type { Driver } from '../src/k6/drivers/driver.ts';
import { createRealtimeDriver } from '../src/k6/drivers/realtime.ts';
import { makeSummaryHandler } from '../src/summary/handle-summary.ts';
import { loadConfig } from '../src/k6/load-config.ts';
import { emitTtftSpread } from '../src/k6/stability.ts';
import { settleStore, startStore } from '../src/k6/meter-store.ts';
import { createTransport } from '../src/k6/transport.ts';
import { protocolByName } from '../src/protocols/index.ts';
import { runOptions } from '../src/workloads/options.ts';

export { generatorProbe } from '../src/k6/generator-probe.ts';

const config = loadConfig(__ENV);
if (config.rate !== null) throw `k6-llm: invalid LLM_RATE for mixed; expected nothing (each workload's rate is in LLM_MIX), got "${config.rate}"`;
const transport = createTransport(config, protocolByName(config.protocol));
const noop: Driver['run'] = () => {};
const drivers: Driver[] = [];
if (config.mix.chat > 0) drivers.push(createChatDriver({ ...config, rate: config.mix.chat }, transport, true));
if (config.mix.realtime > 0) drivers.push(createRealtimeDriver({ ...config, rate: config.mix.realtime }, transport));
// Batch takes its concurrency from LLM_MIX, not LLM_VUS (which sizes the open-model pools).
if (config.mix.batch > 0) drivers.push(createBatchDriver({ ...config, vus: config.mix.batch, arrival: null, trace: null }, transport));
const byName = (name: string): Driver['run'] => drivers.find((d) => d.workload === name)?.run ?? noop;

export const options = runOptions(config, drivers);

export function setup(): RunStart {
  startStore();
  for (const d of drivers) console.log(`k6-llm: ${d.workload} thresholds from ${d.spec?.source ?? 'none (LLM_THRESHOLDS=none)'}`);
  console.log(`k6-llm: transport ${transport.name}`);
  return runStart();
}

const runChat = byName('chat');
const runRealtime = byName('realtime');
const runBatch = byName('batch');

/** A chat conversation arrival. */
export function chat(start: RunStart): void {
  runChat(start);
}

/** A realtime call arrival. */
export function realtime(start: RunStart): void {
  runRealtime(start);
}

/** One batch job item. */
export function batch(start: RunStart): void {
  runBatch(start);
}

export function teardown(): void {
  settleStore();
  emitTtftSpread(drivers.map((d) => d.workload));
}

export const handleSummary = makeSummaryHandler(config, drivers.map((d) => d.info), transport.name);
