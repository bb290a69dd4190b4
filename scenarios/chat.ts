// Interactive chat: LLM_VUS users each streaming one answer after another.
// Run with any k6 that has k6/x/llmstream or xk6-sse:
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_MODEL=NAME dist/chat.js
import exec from 'k6/execution';
import { sleep } from 'k6';
import { makeSummaryHandler } from '../src/k6/handle-summary.ts';
import { loadConfig } from '../src/k6/load-config.ts';
import { recordMetrics } from '../src/k6/record-metrics.ts';
import { createTransport } from '../src/k6/transport.ts';
import { protocolByName } from '../src/protocols/index.ts';
import { CHAT_WORKLOAD, chatRequest } from '../src/workloads/chat.ts';
import { closedWorkloadOptions } from '../src/workloads/options.ts';

export { generatorProbe } from '../src/k6/generator-probe.ts';

const config = loadConfig(__ENV);
const transport = createTransport(config, protocolByName(config.protocol));

export const options = closedWorkloadOptions(config, CHAT_WORKLOAD, 'chat');

/** One chat turn: send, measure, record, think. */
export function chat(): void {
  const request = chatRequest(config, exec.vu.idInTest, exec.vu.iterationInScenario);
  recordMetrics(transport.send(request));
  if (config.thinkTimeMs > 0) sleep(config.thinkTimeMs / 1000);
}

export const handleSummary = makeSummaryHandler(config, [CHAT_WORKLOAD], transport.name);
