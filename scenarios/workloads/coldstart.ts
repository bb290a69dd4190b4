// Cold starts: LLM_PROBES probes, one after the other on one VU, each after
// LLM_IDLE without traffic, its cold request retried while the endpoint turns
// it away, then LLM_WARM_REQUESTS warm copies; the penalty is cold TTFT minus
// the warm median.

import { coldStartProbe, coldStartRegistrations, describeWorkload, type Client, type WorkloadEnv } from 'k6-llm';
import exec from 'k6/execution';
import { durationText, thresholdsFrom, type WorkloadPart } from './part.ts';

const WORKLOAD = 'coldstart';

/** The coldstart part of a script. */
export function coldstartPart(env: WorkloadEnv, client: Client): WorkloadPart {
  const { config, slo, shape, prompts } = env;
  const c = config.coldstart;
  const timeoutMs = config.endpoint.timeoutMs;
  // The longest the run can take: every probe idles, then every attempt and warm request may run to its timeout, every retry wait to its cap.
  const maxMs = c.probes * (c.idleMs + (1 + c.maxRetries) * timeoutMs + c.maxRetries * c.retryMaxWaitMs + c.warmRequests * timeoutMs) + 1000;
  const idle = durationText(c.idleMs);
  describeWorkload({
    workload: WORKLOAD,
    spec: slo,
    settings: env.settingsLines,
    probes: c.probes,
    banner: `coldstart ${c.probes} probes after ${idle} idle, ${c.warmRequests} warm requests each; ${thresholdsFrom(slo)}`,
    // Probes must follow each other on one VU (one would warm the endpoint for another): nothing to split.
    underSegment: (at) => ({
      refuse: `invalid workload coldstart under an execution segment; expected one instance (coldstart runs one probe VU), got segment ${at.segment} of ${at.sequence}`,
    }),
  });
  return {
    workload: WORKLOAD,
    slo,
    scenarios: {
      [WORKLOAD]: {
        // One VU: probes must not overlap, or one would warm the endpoint for the next.
        executor: 'per-vu-iterations',
        vus: 1,
        iterations: c.probes,
        maxDuration: durationText(maxMs),
        gracefulStop: durationText(Math.min(timeoutMs, 30_000) + 1000),
        exec: WORKLOAD,
        tags: { workload: WORKLOAD, model: config.endpoint.model },
      },
    },
    workloadThresholds: coldStartRegistrations(WORKLOAD, c.probes),
    // No probe VU: the run is one VU idling between probes.
    probe: null,
    runFacts: { idle, probes: c.probes, warmRequests: c.warmRequests },
    run() {
      const n = exec.scenario.iterationInTest + 1;
      // The same request cold and warm, so the difference is the endpoint's state.
      coldStartProbe(client, prompts.request(n, shape), n, { ...c, deadlineMs: maxMs });
    },
  };
}
