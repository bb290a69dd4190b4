// Interactive chat: multi-turn conversations with streamed answers, judged by
// thresholds/chat.json (or LLM_THRESHOLDS). A closed pool of LLM_VUS users by
// default; an open model (new conversations at LLM_RATE, LLM_ARRIVAL) when
// either is set. Run with any k6 ≥ 1.1 beside the stream meter:
//   npx k6-llm meter      # prints LLM_METER_URL=...
//   k6 run -e LLM_METER_URL=... -e LLM_BASE_URL=http://host:8000/v1 -e LLM_MODEL=NAME dist/chat.js
import { runStart, type RunStart } from '../src/k6/arrivals.ts';
import { createChatDriver } from '../src/k6/drivers/chat.ts';
import { makeSummaryHandler } from '../src/summary/handle-summary.ts';
import { loadConfig } from '../src/k6/load-config.ts';
import { emitTtftSpread } from '../src/k6/stability.ts';
import { settleStore, startStore } from '../src/k6/meter-store.ts';
import { createTransport } from '../src/k6/transport.ts';
import { protocolByName } from '../src/protocols/index.ts';
import { runOptions } from '../src/workloads/options.ts';

export { generatorProbe } from '../src/k6/generator-probe.ts';

const config = loadConfig(__ENV);
const transport = createTransport(config, protocolByName(config.protocol));
const driver = createChatDriver(config, transport);

export const options = runOptions(config, [driver]);

export function setup(): RunStart {
  startStore();
  console.log(`k6-llm: chat thresholds from ${driver.spec?.source ?? 'none (LLM_THRESHOLDS=none)'}; transport ${transport.name}`);
  return runStart();
}

/** One conversation (closed pool) or one scheduled arrival (open model). */
export function chat(start: RunStart): void {
  driver.run(start);
}

export function teardown(): void {
  settleStore();
  emitTtftSpread([driver.workload]);
}

export const handleSummary = makeSummaryHandler(config, [driver.info], transport.name);
