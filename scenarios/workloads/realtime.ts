// Real-time API calls: short single-turn requests arriving on a schedule
// (LLM_RATE, LLM_ARRIVAL), or a trace's, judged by end-to-end latency.

import type { Client, WorkloadEnv } from 'k6-llm';
import { scheduleFromEnv, type WorkloadPart } from './part.ts';

const WORKLOAD = 'realtime';

/** The realtime part of a script, from the variables `env` read (mixed gives it its own rate). */
export function realtimePart(env: WorkloadEnv, client: Client): WorkloadPart {
  const { config, slo, shape, prompts } = env;
  const schedule = scheduleFromEnv(env, WORKLOAD, { model: config.endpoint.model });
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
