// Real-time API calls: short single-turn requests arriving on a schedule
// (LLM_RATE, LLM_ARRIVAL), or a trace's, judged by end-to-end latency.

import { arrivals, describeWorkload, type Client, type WorkloadEnv } from 'k6-llm';
import { thresholdsFrom, type WorkloadPart } from './part.ts';

const WORKLOAD = 'realtime';

/** The realtime part of a script, from the variables `env` read (mixed gives it its own rate). */
export function realtimePart(env: WorkloadEnv, client: Client): WorkloadPart {
  const { config, settings, slo, shape, prompts } = env;
  const schedule = arrivals({
    workload: WORKLOAD,
    pattern: settings.arrival,
    rate: settings.rate,
    duration: env.loadMs,
    gracefulStop: env.gracefulStopMs,
    vus: settings.vus,
    seed: settings.seed,
    burstiness: config.load.burstiness,
    rampFrom: config.load.rampFrom,
    maxLag: config.load.maxLagMs,
    tags: { model: config.endpoint.model },
    ...(config.load.trace !== null ? { trace: config.load.trace } : {}),
  });
  describeWorkload({
    workload: WORKLOAD,
    spec: slo,
    settings: env.settingsLines,
    arrivals: { pattern: settings.arrival, ratePerSec: settings.arrival === 'trace' ? null : settings.rate, scheduled: schedule.length, maxLagMs: config.load.maxLagMs },
    banner: `${WORKLOAD} ${thresholdsFrom(slo)}`,
  });
  return {
    workload: WORKLOAD,
    slo,
    scenarios: { [WORKLOAD]: schedule.scenario },
    run(start) {
      const taken = schedule.next(start);
      if (taken) client.chat(prompts.request(taken.index, shape, taken.arrival));
    },
  };
}
