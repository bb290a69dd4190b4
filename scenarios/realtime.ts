// Real-time API calls (moderation, classification, code completion): short
// prompts and answers at LLM_RATE per second with LLM_ARRIVAL spacing
// (Poisson by default), judged end to end by thresholds/realtime.json.
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_RATE=20 dist/realtime.js
import { runStart, type RunStart } from '../src/k6/arrivals.ts';
import { createRealtimeDriver } from '../src/k6/drivers/realtime.ts';
import { makeSummaryHandler } from '../src/summary/handle-summary.ts';
import { loadConfig } from '../src/k6/load-config.ts';
import { emitTtftSpread } from '../src/k6/stability.ts';
import { startStore } from '../src/k6/meter-store.ts';
import { createTransport } from '../src/k6/transport.ts';
import { protocolByName } from '../src/protocols/index.ts';
import { runOptions } from '../src/workloads/options.ts';

export { generatorProbe } from '../src/k6/generator-probe.ts';

const config = loadConfig(__ENV);
const transport = createTransport(config, protocolByName(config.protocol));
const driver = createRealtimeDriver(config, transport);

export const options = runOptions(config, [driver]);

export function setup(): RunStart {
  startStore();
  console.log(`k6-llm: realtime thresholds from ${driver.spec?.source ?? 'none (LLM_THRESHOLDS=none)'}; transport ${transport.name}`);
  return runStart();
}

/** One scheduled arrival. */
export function realtime(start: RunStart): void {
  driver.run(start);
}

export function teardown(): void {
  emitTtftSpread([driver.workload]);
}

export const handleSummary = makeSummaryHandler(config, [driver.info], transport.name);
