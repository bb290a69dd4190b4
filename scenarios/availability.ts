// Availability (and soak): a low, steady rate of streamed requests (LLM_RATE
// per second, open model) for LLM_DURATION, reported overall and per
// LLM_WINDOW: availability, the longest failure run and the error kinds over
// time. Judged by thresholds/availability.json (or LLM_THRESHOLDS):
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_RATE=0.5 -e LLM_DURATION=1h dist/availability.js
import exec from 'k6/execution';
import { emitWorstWindow } from '../src/k6/availability-check.ts';
import { nowMs } from '../src/k6/clock.ts';
import { makeSummaryHandler } from '../src/summary/handle-summary.ts';
import { loadConfig } from '../src/k6/load-config.ts';
import { loadThresholds } from '../src/k6/load-thresholds.ts';
import { createRecorder } from '../src/k6/record-metrics.ts';
import { settleStore, startStore } from '../src/k6/meter-store.ts';
import { createTransport } from '../src/k6/transport.ts';
import { formatDuration } from '../src/duration.ts';
import { protocolByName } from '../src/protocols/index.ts';
import { AVAILABILITY_WORKLOAD, availabilityLoad, availabilityOptions } from '../src/workloads/availability.ts';
import { chatRequest } from '../src/workloads/chat.ts';

export { generatorProbe } from '../src/k6/generator-probe.ts';

const config = loadConfig(__ENV);
const slo = loadThresholds(config, AVAILABILITY_WORKLOAD);
const transport = createTransport(config, protocolByName(config.protocol));
const record = createRecorder(AVAILABILITY_WORKLOAD, slo?.perRequest ?? {}, { timeline: true });

export const options = availabilityOptions(config, 'availability', slo);

export function setup(): void {
  startStore();
  console.log(
    `k6-llm: availability at ${availabilityLoad(config).rate} requests/s, ${formatDuration(config.windowMs)} windows; ` +
      `thresholds from ${slo?.source ?? 'none (LLM_THRESHOLDS=none)'}; transport ${transport.name}`,
  );
}

/** One request of the steady stream: send, measure, record with its start time. */
export function availability(): void {
  const startedMs = nowMs();
  record(transport.send(chatRequest(config, exec.vu.idInTest, exec.scenario.iterationInTest), { ...record.meta, startedMs }), { startedMs });
}

export function teardown(): void {
  settleStore();
  emitWorstWindow(AVAILABILITY_WORKLOAD, config.windowMs);
}

export const handleSummary = makeSummaryHandler(
  config,
  [{ workload: AVAILABILITY_WORKLOAD, spec: slo, windowMs: config.windowMs }],
  transport.name,
  { rate: availabilityLoad(config).rate, window: formatDuration(config.windowMs) },
);
