// Benchmark reference: the same requests as dist/chat.js through the same Go
// transport, with an empty per-event handler. Its CPU per event is the floor
// k6-llm's measurement is compared against in `npm run bench`. Not a workload.
import exec from 'k6/execution';
import { request } from 'k6/x/llmstream';
import { loadConfig } from '../../src/k6/load-config.ts';
import { llmRequests } from '../../src/k6/metrics.ts';
import { openaiChat } from '../../src/protocols/openai-chat.ts';
import { CHAT_WORKLOAD, chatRequest } from '../../src/workloads/chat.ts';
import { closedWorkloadOptions } from '../../src/workloads/options.ts';

export { generatorProbe } from '../../src/k6/generator-probe.ts';

const config = loadConfig(__ENV);
const url = config.baseUrl + openaiChat.path;
const headers = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };

export const options = closedWorkloadOptions(config, CHAT_WORKLOAD, 'reference', null);

/** Sends one request and touches each event without measuring anything. */
export function reference(): void {
  const body = openaiChat.buildBody(chatRequest(config, exec.vu.idInTest, exec.vu.iterationInScenario));
  // Same transport work as the full path (the plain-token test runs in Go).
  const res = request({ method: 'POST', url, headers, body, timeoutMs: config.timeoutMs, fastToken: openaiChat.fastTokenRule });
  let last = 0;
  for (let i = 0; i < res.times.length; i++) last = res.times[i] as number;
  llmRequests.add(last > 0 ? 1 : 0);
}

export function handleSummary(): Record<string, string> {
  return {};
}
