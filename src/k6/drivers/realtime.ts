// Runs the realtime workload: one request per scheduled arrival.
import type { Config } from '../../config/config.ts';
import { scheduledScenario } from '../../workloads/options.ts';
import { PromptSource, singleTurnRequest } from '../../workloads/prompts.ts';
import { REALTIME_DEFAULTS, REALTIME_WORKLOAD } from '../../workloads/realtime.ts';
import { describeSettings, resolveSettings, promptSources } from '../../workloads/settings.ts';
import { loadDataset, loadTrace, loadTools } from '../input-files.ts';
import { loadThresholds } from '../load-thresholds.ts';
import { createRecorder } from '../record-metrics.ts';
import { loadSchedule, takeArrival } from '../schedule-replay.ts';
import { emitTtftSpread } from '../stability.ts';
import type { Transport } from '../transport.ts';
import { thresholdsFrom, type Driver } from './driver.ts';

/** The realtime driver for `config` (mixed passes its own rate in config.load.rate). */
export function createRealtimeDriver(config: Config, transport: Transport): Driver {
  const settings = resolveSettings(config, REALTIME_WORKLOAD, REALTIME_DEFAULTS);
  const spec = loadThresholds(config, REALTIME_WORKLOAD);
  const schedule = loadSchedule(config, settings, loadTrace(config));
  const prompts = new PromptSource(config, settings, loadDataset(config), loadTools(config));
  const record = createRecorder(REALTIME_WORKLOAD, spec?.perRequest ?? {});
  return {
    workload: REALTIME_WORKLOAD,
    spec,
    scenarios: { [REALTIME_WORKLOAD]: scheduledScenario(REALTIME_WORKLOAD, REALTIME_WORKLOAD, schedule.length, settings.vus, config) },
    banner: `${REALTIME_WORKLOAD} ${thresholdsFrom(spec)}`,
    info: {
      workload: REALTIME_WORKLOAD,
      spec,
      settings: describeSettings(settings, promptSources(config)),
      arrivals: { pattern: settings.arrival, ratePerSec: settings.arrival === 'trace' ? null : settings.rate, scheduled: schedule.length, maxLagMs: config.load.maxLagMs },
    },
    run(start) {
      const taken = takeArrival(schedule, start, config.load.maxLagMs);
      if (!taken) return;
      record(transport.send(singleTurnRequest(config, settings, prompts, taken.index, taken.arrival), record.meta));
    },
    finish: () => emitTtftSpread([REALTIME_WORKLOAD]),
  };
}
