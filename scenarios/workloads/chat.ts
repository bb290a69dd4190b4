// Interactive chat: multi-turn conversations with streamed answers, a closed
// pool of users (each starting a new conversation when the last one ended)
// or, as an open model, conversations arriving on a schedule. A trace
// replays one request per record instead.

import { closedUsers, describeWorkload, pauseAfterFailure, Session, userId, type Client, type WorkloadEnv } from 'k6-llm';
import exec from 'k6/execution';
import { scheduleFromEnv, thresholdsFrom, type WorkloadPart } from './part.ts';

const WORKLOAD = 'chat';
/** The system message every generated conversation starts with. */
const SYSTEM = 'You are a helpful assistant.';

/** The chat part of a script, from the variables `env` read. */
export function chatPart(env: WorkloadEnv, client: Client): WorkloadPart {
  const { config, settings, slo, shape, prompts, open } = env;
  const extraBody = shape.ignoreEos ? { ignore_eos: true, min_tokens: shape.maxTokens } : undefined;

  /** One conversation, `id` unique in the test; false when an answer failed (the user leaves). */
  const converse = (id: number): boolean => {
    const session = new Session(client, {
      id,
      prompts,
      system: SYSTEM,
      seed: settings.seed,
      turns: settings.turns,
      thinkTime: settings.thinkTime,
      maxTokens: shape.maxTokens,
      stream: shape.stream,
      ...(extraBody ? { extraBody } : {}),
    });
    while (!session.finished) {
      const result = session.send();
      if (!result.success) {
        // In the closed model the next conversation starts after a pause, so a failing endpoint is not hammered.
        if (!open) pauseAfterFailure(result);
        return false;
      }
    }
    return true;
  };

  const tags = { workload: WORKLOAD, model: config.endpoint.model };
  if (!open) {
    describeWorkload({ workload: WORKLOAD, spec: slo, settings: env.settingsLines, banner: `${WORKLOAD} ${thresholdsFrom(slo)}` });
    return {
      workload: WORKLOAD,
      slo,
      scenarios: { [WORKLOAD]: closedUsers({ vus: settings.vus, duration: env.loadMs, gracefulStop: env.gracefulStopMs, exec: WORKLOAD, tags }) },
      // Each VU is a user (global across instances) having conversation after conversation.
      run: () => void converse(userId() * 1_000_000 + exec.vu.iterationInScenario),
    };
  }
  const schedule = scheduleFromEnv(env, WORKLOAD, tags);
  return {
    workload: WORKLOAD,
    slo,
    scenarios: { [WORKLOAD]: schedule.scenario },
    run(start) {
      const taken = schedule.next(start);
      if (!taken) return;
      const { arrival, index } = taken;
      if (arrival.promptTokens === undefined) {
        converse(index);
        return;
      }
      // A trace record is one turn; its timestamps already hold the think times.
      client.chat(prompts.request(index, shape, arrival));
    },
  };
}
