// Availability (and soak): a low, steady rate of streamed requests, each
// outcome kept with its start time, reported overall and per window, with
// the worst window judged at the end (llm_availability_worst_window).

import { describeWorkload, Client, type WorkloadEnv } from 'k6-llm';
import exec from 'k6/execution';
import { durationText, thresholdsFrom, type WorkloadPart } from './part.ts';

const WORKLOAD = 'availability';

/** The availability part of a script, and its client (which keeps the outcome timeline). */
export function availabilityPart(env: WorkloadEnv): { part: WorkloadPart; client: Client } {
  const { config, settings, slo, shape, prompts } = env;
  const client = new Client({ workload: WORKLOAD, slo, timeline: true });
  const windowMs = config.availability.windowMs;
  const window = durationText(windowMs);
  // k6's arrival rate is a whole count per time unit: 0.2/s is 200 per 1000 s.
  const whole = Number.isInteger(settings.rate);
  describeWorkload({
    workload: WORKLOAD,
    spec: slo,
    settings: env.settingsLines,
    windowMs,
    banner: `availability at ${settings.rate} requests/s, ${window} windows; ${thresholdsFrom(slo)}`,
    // k6 stripes the arrival-rate iterations over the instances: the steady stream splits, its windows do not.
    underSegment: () => ({
      note:
        `availability: this instance sends its stripe of the ${settings.rate}/s stream; its llm_availability_worst_window ` +
        `(and that threshold) sees its own requests only: the windows of the whole stream are the merged run's`,
    }),
  });
  const part: WorkloadPart = {
    workload: WORKLOAD,
    slo,
    runFacts: { rate: settings.rate, window },
    scenarios: {
      [WORKLOAD]: {
        executor: 'constant-arrival-rate',
        rate: whole ? settings.rate : Math.max(1, Math.round(settings.rate * 1000)),
        timeUnit: whole ? '1s' : '1000s',
        duration: durationText(env.loadMs),
        // Requests in flight at once; a stalled endpoint can hold each for up to LLM_TIMEOUT.
        preAllocatedVUs: settings.vus,
        maxVUs: settings.vus,
        gracefulStop: durationText(env.gracefulStopMs),
        exec: WORKLOAD,
        tags: { workload: WORKLOAD, model: config.endpoint.model },
      },
    },
    /** One request of the steady stream, kept with its start time for the timeline. */
    run() {
      client.chat(prompts.request(exec.scenario.iterationInTest, shape));
    },
  };
  return { part, client };
}
