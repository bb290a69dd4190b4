// Runs the cold-start probes: each iteration idles LLM_IDLE, sends the cold
// request (retried with backoff while the endpoint turns it away, every
// attempt recorded), then LLM_WARM_REQUESTS warm copies of it. Samples are
// tagged phase:cold|warm and probe:N; the penalty is the cold TTFT minus the
// warm median.
import { sleep } from 'k6';
import exec from 'k6/execution';
import type { Config } from '../../config/config.ts';
import { formatDuration } from '../../duration.ts';
import { sendWithRetries } from '../../measure/retry.ts';
import { COLDSTART_DEFAULTS, COLDSTART_WORKLOAD, coldStartPenalty, coldstartMaxDurationMs, coldstartScenario, probeRegistrations } from '../../workloads/coldstart.ts';
import { PromptSource, singleTurnRequest } from '../../workloads/prompts.ts';
import { describeSettings, resolveSettings, promptSources } from '../../workloads/settings.ts';
import { nowMs } from '../clock.ts';
import { loadDataset, loadTools } from '../input-files.ts';
import { loadThresholds } from '../load-thresholds.ts';
import { llmColdStartPenalty, llmRetries, llmTimeToFirstSuccess } from '../metrics.ts';
import { createRecorder } from '../record-metrics.ts';
import type { Transport } from '../transport.ts';
import { thresholdsFrom, type Driver } from './driver.ts';

/** The coldstart driver. */
export function createColdstartDriver(config: Config, transport: Transport): Driver {
  const settings = resolveSettings(config, COLDSTART_WORKLOAD, COLDSTART_DEFAULTS);
  const spec = loadThresholds(config, COLDSTART_WORKLOAD);
  const prompts = new PromptSource(config, settings, loadDataset(config), loadTools(config));
  const record = createRecorder(COLDSTART_WORKLOAD, spec?.perRequest ?? {});
  const clock = { now: nowMs, sleep: (ms: number) => sleep(ms / 1000) };
  const policy = { maxRetries: config.coldstart.maxRetries, backoffMs: config.coldstart.retryBackoffMs, maxWaitMs: config.coldstart.retryMaxWaitMs };
  // No retry wait may start past the run's own bound.
  const deadlineMs = coldstartMaxDurationMs(config);

  /** One probe: idle, the cold request (retried while turned away), then the warm requests. */
  const probe = (): void => {
    const n = exec.scenario.iterationInTest + 1;
    sleep(config.coldstart.idleMs / 1000);
    // The same request cold and warm, so the difference is the endpoint's state.
    const request = singleTurnRequest(config, settings, prompts, n);
    const coldTags = { phase: 'cold', probe: String(n) };
    const cold = sendWithRetries(() => transport.send(request, record.meta), clock, policy, deadlineMs);
    cold.attempts.forEach((attempt, i) => record(attempt, { tags: coldTags, startedMs: cold.startedMs[i] }));
    // Added even when 0, so every probe has a retries figure.
    llmRetries.add(cold.retries, coldTags);
    if (cold.timeToFirstSuccessMs !== null) llmTimeToFirstSuccess.add(cold.timeToFirstSuccessMs, coldTags);
    const last = cold.attempts[cold.attempts.length - 1];
    const coldTtft = last && last.success ? last.ttftMs : null;

    const warmTags = { phase: 'warm', probe: String(n) };
    const warmTtfts: number[] = [];
    for (let i = 0; i < config.coldstart.warmRequests; i++) {
      const startedMs = nowMs();
      const warm = transport.send(request, record.meta);
      record(warm, { tags: warmTags, startedMs });
      if (warm.error === 'interrupted') return;
      if (warm.success && warm.ttftMs !== null) warmTtfts.push(warm.ttftMs);
    }
    const penalty = coldStartPenalty(coldTtft, warmTtfts);
    if (penalty !== null) llmColdStartPenalty.add(penalty, { probe: String(n) });
  };

  return {
    workload: COLDSTART_WORKLOAD,
    spec,
    scenarios: { [COLDSTART_WORKLOAD]: coldstartScenario(config) },
    thresholds: probeRegistrations(config.coldstart.probes),
    // No probe VU: the run is one VU idling between probes.
    probe: null,
    banner:
      `coldstart ${config.coldstart.probes} probes after ${formatDuration(config.coldstart.idleMs)} idle, ${config.coldstart.warmRequests} warm requests each; ` +
      thresholdsFrom(spec),
    info: { workload: COLDSTART_WORKLOAD, spec, settings: describeSettings(settings, promptSources(config)), probes: config.coldstart.probes },
    runInfo: { idle: formatDuration(config.coldstart.idleMs), probes: config.coldstart.probes, warmRequests: config.coldstart.warmRequests },
    run: probe,
    // Probes must follow each other on one VU (one would warm the endpoint for another): nothing to split.
    underSegment: (at) => ({
      refuse: `invalid LLM_WORKLOAD=coldstart under an execution segment; expected one instance (coldstart runs one probe VU), got segment ${at.segment} of ${at.sequence}`,
    }),
  };
}
