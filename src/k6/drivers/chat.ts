// Runs chat conversations: a closed pool of users (constant-vus), or
// conversations arriving on a schedule (open model). A trace replays one
// request per record instead, its conversation ids sharing prompt prefixes.
import { sleep } from 'k6';
import exec from 'k6/execution';
import type { Config } from '../../config/config.ts';
import { describe } from '../../distribution.ts';
import type { RequestRecord } from '../../measure/request-record.ts';
import type { GenerationRequest } from '../../protocols/protocol.ts';
import { CHAT_DEFAULTS, CHAT_OPEN_DEFAULTS, CHAT_WORKLOAD, chatIsOpen, Conversation, planConversation } from '../../workloads/chat.ts';
import { closedScenario, scheduledScenario, splitDuration } from '../../workloads/options.ts';
import { PromptSource, singleTurnRequest } from '../../workloads/prompts.ts';
import { describeSettings, resolveSettings, promptSources } from '../../workloads/settings.ts';
import { loadDataset, loadTrace, loadTools } from '../input-files.ts';
import { loadThresholds } from '../load-thresholds.ts';
import { createRecorder } from '../record-metrics.ts';
import { pauseAfterFailure } from '../pause-after-failure.ts';
import { loadSchedule, takeArrival } from '../schedule-replay.ts';
import { closedPoolUser } from '../segment.ts';
import { emitTtftSpread } from '../stability.ts';
import type { Transport } from '../transport.ts';
import { thresholdsFrom, type Driver } from './driver.ts';

/** The chat driver; `open` forces the open model (mixed). */
export function createChatDriver(config: Config, transport: Transport, open = chatIsOpen(config)): Driver {
  const defaults = open ? { ...CHAT_DEFAULTS, ...CHAT_OPEN_DEFAULTS } : CHAT_DEFAULTS;
  const settings = resolveSettings(config, CHAT_WORKLOAD, defaults);
  const spec = loadThresholds(config, CHAT_WORKLOAD);
  const prompts = new PromptSource(config, settings, loadDataset(config), loadTools(config));
  const record = createRecorder(CHAT_WORKLOAD, spec?.perRequest ?? {});
  const send = (request: GenerationRequest): RequestRecord => {
    const result = transport.send(request, record.meta);
    record(result);
    return result;
  };

  /** One conversation, `id` unique in the test. */
  const converse = (id: number): void => {
    const plan = planConversation(settings, id);
    const conversation = new Conversation(prompts, settings, id);
    for (let turn = 0; turn < plan.turns; turn++) {
      const think = turn > 0 ? (plan.thinkMs[turn - 1] as number) : 0;
      if (think > 0) sleep(think / 1000);
      const result = send(conversation.nextRequest(config));
      // A user whose answer failed leaves; the next conversation starts afresh,
      // in the closed model after a pause, so a failing endpoint is not hammered.
      if (!result.success) {
        if (!open) pauseAfterFailure(result, splitDuration(config.load.durationMs).loadMs);
        return;
      }
      conversation.addAnswer(result.outputTokens);
    }
  };

  const settingsReport = { ...describeSettings(settings, promptSources(config)), turns: describe(settings.turns), thinkTimeMs: describe(settings.thinkTime), loadModel: open ? 'open' : 'closed' };
  const common = {
    workload: CHAT_WORKLOAD,
    spec,
    banner: `${CHAT_WORKLOAD} ${thresholdsFrom(spec)}`,
    finish: () => emitTtftSpread([CHAT_WORKLOAD]),
  };
  if (!open) {
    return {
      ...common,
      scenarios: { [CHAT_WORKLOAD]: closedScenario(config, CHAT_WORKLOAD, CHAT_WORKLOAD, settings.vus) },
      info: { workload: CHAT_WORKLOAD, spec, settings: settingsReport },
      // Each VU is a user (global across instances: closedPoolUser) having conversation after conversation.
      run: () => converse(closedPoolUser() * 1_000_000 + exec.vu.iterationInScenario),
    };
  }
  const schedule = loadSchedule(config, settings, loadTrace(config));
  return {
    ...common,
    scenarios: { [CHAT_WORKLOAD]: scheduledScenario(CHAT_WORKLOAD, CHAT_WORKLOAD, schedule.length, settings.vus, config) },
    info: {
      workload: CHAT_WORKLOAD,
      spec,
      settings: settingsReport,
      arrivals: { pattern: settings.arrival, ratePerSec: settings.arrival === 'trace' ? null : settings.rate, scheduled: schedule.length, maxLagMs: config.load.maxLagMs },
    },
    run(start) {
      const taken = takeArrival(schedule, start, config.load.maxLagMs);
      if (!taken) return;
      const { arrival, index } = taken;
      if (arrival.promptTokens === undefined) return converse(index);
      // A trace record is one turn; its timestamps already hold the think times.
      send(singleTurnRequest(config, settings, prompts, index, arrival));
    },
  };
}
