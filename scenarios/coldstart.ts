// Cold starts: LLM_PROBES probes, each after LLM_IDLE without traffic (longer
// than the endpoint's scale-down window), each followed by LLM_WARM_REQUESTS
// warm requests. A probe turned away while the endpoint scales up (429, 503,
// refused) is retried with backoff, honouring Retry-After; every attempt is
// counted. Samples are tagged phase:cold|warm and probe:N.
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_IDLE=15m -e LLM_PROBES=3 dist/coldstart.js
import exec from 'k6/execution';
import { sleep } from 'k6';
import { nowMs } from '../src/k6/clock.ts';
import { makeSummaryHandler } from '../src/summary/handle-summary.ts';
import { loadConfig } from '../src/k6/load-config.ts';
import { loadThresholds } from '../src/k6/load-thresholds.ts';
import { llmColdStartPenalty, llmRetries, llmTimeToFirstSuccess } from '../src/k6/metrics.ts';
import { createRecorder } from '../src/k6/record-metrics.ts';
import { startStore } from '../src/k6/meter-store.ts';
import { createTransport } from '../src/k6/transport.ts';
import { formatDuration } from '../src/duration.ts';
import { sendWithRetries } from '../src/measure/retry.ts';
import { protocolByName } from '../src/protocols/index.ts';
import { chatRequest } from '../src/workloads/chat.ts';
import { COLDSTART_WORKLOAD, coldStartPenalty, coldstartMaxDurationMs, coldstartOptions } from '../src/workloads/coldstart.ts';

const config = loadConfig(__ENV);
const slo = loadThresholds(config, COLDSTART_WORKLOAD);
const transport = createTransport(config, protocolByName(config.protocol));
const record = createRecorder(COLDSTART_WORKLOAD, slo?.perRequest ?? {});
const clock = { now: nowMs, sleep: (ms: number) => sleep(ms / 1000) };
// No retry wait may start past the run's own bound.
const deadlineMs = coldstartMaxDurationMs(config);

export const options = coldstartOptions(config, 'coldstart', slo);

export function setup(): void {
  startStore();
  console.log(
    `k6-llm: coldstart ${config.probes} probes after ${formatDuration(config.idleMs)} idle, ${config.warmRequests} warm requests each; ` +
      `thresholds from ${slo?.source ?? 'none (LLM_THRESHOLDS=none)'}; transport ${transport.name}`,
  );
}

/** One probe: idle, the cold request (retried while turned away), then the warm requests. */
export function coldstart(): void {
  const probe = exec.scenario.iterationInTest + 1;
  sleep(config.idleMs / 1000);
  const request = chatRequest(config, exec.vu.idInTest, probe);
  const coldTags = { phase: 'cold', probe: String(probe) };
  const cold = sendWithRetries(() => transport.send(request, record.meta), clock, {
    maxRetries: config.maxRetries,
    backoffMs: config.retryBackoffMs,
    maxWaitMs: config.retryMaxWaitMs,
  }, deadlineMs);
  cold.attempts.forEach((attempt, i) => record(attempt, { tags: coldTags, startedMs: cold.startedMs[i] }));
  // Added even when 0, so every probe has a retries figure.
  llmRetries.add(cold.retries, coldTags);
  if (cold.timeToFirstSuccessMs !== null) llmTimeToFirstSuccess.add(cold.timeToFirstSuccessMs, coldTags);
  const last = cold.attempts[cold.attempts.length - 1];
  const coldTtft = last && last.success ? last.ttftMs : null;

  const warmTags = { phase: 'warm', probe: String(probe) };
  const warmTtfts: number[] = [];
  for (let i = 0; i < config.warmRequests; i++) {
    const startedMs = nowMs();
    const warm = transport.send(request, record.meta);
    record(warm, { tags: warmTags, startedMs });
    if (warm.error === 'interrupted') return;
    if (warm.success && warm.ttftMs !== null) warmTtfts.push(warm.ttftMs);
  }
  const penalty = coldStartPenalty(coldTtft, warmTtfts);
  if (penalty !== null) llmColdStartPenalty.add(penalty, { probe: String(probe) });
}

export const handleSummary = makeSummaryHandler(
  config,
  [{ workload: COLDSTART_WORKLOAD, spec: slo, probes: config.probes }],
  transport.name,
  { idle: formatDuration(config.idleMs), probes: config.probes, warmRequests: config.warmRequests },
);
