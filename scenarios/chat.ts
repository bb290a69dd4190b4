// Interactive chat: LLM_VUS users each streaming one answer after another,
// judged by thresholds/chat.json (or LLM_THRESHOLDS). Run with any k6 that
// has k6/x/llmstream or xk6-sse:
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_MODEL=NAME dist/chat.js
import exec from 'k6/execution';
import { sleep } from 'k6';
import { makeSummaryHandler } from '../src/k6/handle-summary.ts';
import { loadConfig } from '../src/k6/load-config.ts';
import { loadThresholds } from '../src/k6/load-thresholds.ts';
import { createRecorder } from '../src/k6/record-metrics.ts';
import { emitTtftSpread } from '../src/k6/stability.ts';
import { createTransport } from '../src/k6/transport.ts';
import { protocolByName } from '../src/protocols/index.ts';
import { CHAT_WORKLOAD, chatRequest } from '../src/workloads/chat.ts';
import { closedWorkloadOptions } from '../src/workloads/options.ts';

export { generatorProbe } from '../src/k6/generator-probe.ts';

const config = loadConfig(__ENV);
const slo = loadThresholds(config, CHAT_WORKLOAD);
const transport = createTransport(config, protocolByName(config.protocol));
const record = createRecorder(CHAT_WORKLOAD, slo?.perRequest ?? {});

export const options = closedWorkloadOptions(config, CHAT_WORKLOAD, 'chat', slo);

export function setup(): void {
  console.log(`k6-llm: chat thresholds from ${slo?.source ?? 'none (LLM_THRESHOLDS=none)'}; transport ${transport.name}`);
}

/** One chat turn: send, measure, record, think. */
export function chat(): void {
  record(transport.send(chatRequest(config, exec.vu.idInTest, exec.vu.iterationInScenario)));
  if (config.thinkTimeMs > 0) sleep(config.thinkTimeMs / 1000);
}

export function teardown(): void {
  emitTtftSpread([CHAT_WORKLOAD]);
}

export const handleSummary = makeSummaryHandler(config, [{ workload: CHAT_WORKLOAD, spec: slo }], transport.name);
