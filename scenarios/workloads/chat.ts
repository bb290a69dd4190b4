// Interactive chat: multi-turn conversations with streamed answers, a closed
// pool of users (each starting a new conversation when the last one ended)
// or, as an open model, conversations arriving on a schedule. A trace
// replays one request per record instead.

import { closedUserLoops, closedUsers, describeWorkload, pauseAfterFailure, Session, userId, type Client, type LlmResult, type WorkloadEnv } from 'k6-llm';
import exec from 'k6/execution';
import { scheduleFromEnv, thresholdsFrom, type WorkloadPart } from './part.ts';

const WORKLOAD = 'chat';

// exec.vu builds a new object on every access (about 10 µs in a VU); its
// getters read the VU's state when called, so one kept per VU stays current.
let vu: typeof exec.vu | null = null;
/** The system message every generated conversation starts with. */
const SYSTEM = 'You are a helpful assistant.';

/** The chat part of a script, from the variables `env` read. */
export function chatPart(env: WorkloadEnv, client: Client): WorkloadPart {
  const { config, settings, slo, shape, prompts, open } = env;
  const extraBody = shape.ignoreEos ? { ignore_eos: true, min_tokens: shape.maxTokens } : undefined;

  /** Conversation `id` (unique in the test) as a Session holds it. */
  const session = (id: number): Session =>
    new Session(client, {
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

  /** One conversation; false when an answer failed (the user leaves). */
  const converse = (id: number): boolean => {
    const s = session(id);
    while (!s.finished) {
      const result = s.send();
      if (!result.success) {
        // In the closed model the next conversation starts after a pause, so a failing endpoint is not hammered.
        if (!open) pauseAfterFailure(result);
        return false;
      }
    }
    return true;
  };

  /** One conversation of a user a VU holds beside others (asynchronous); the failed answer that ended it, else null. */
  const converseAsync = async (id: number): Promise<LlmResult | null> => {
    const s = session(id);
    while (!s.finished) {
      const result = await s.sendAsync();
      if (!result.success) return result;
    }
    return null;
  };

  const tags = { workload: WORKLOAD, model: config.endpoint.model };
  if (!open) {
    describeWorkload({ workload: WORKLOAD, spec: slo, settings: env.settingsLines, banner: `${WORKLOAD} ${thresholdsFrom(slo)}` });
    const perVu = settings.usersPerVu;
    return {
      workload: WORKLOAD,
      slo,
      scenarios: { [WORKLOAD]: closedUsers({ vus: Math.ceil(settings.vus / perVu), duration: env.loadMs, gracefulStop: env.gracefulStopMs, exec: WORKLOAD, tags }) },
      // Each user (global across instances) has conversation after conversation: a VU each, or several per VU at once.
      run:
        perVu === 1
          ? () => void converse(userId() * 1_000_000 + (vu ??= exec.vu).iterationInScenario)
          : () => closedUserLoops({ users: settings.vus, perVu }, (user, n) => converseAsync(user * 1_000_000 + n)),
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
