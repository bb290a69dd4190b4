// Runs the realtime workload: one request per scheduled arrival.
import type { Config } from '../../config.ts';
import { scheduledScenario } from '../../workloads/options.ts';
import { PromptSource } from '../../workloads/prompts.ts';
import { REALTIME_DEFAULTS, REALTIME_WORKLOAD, realtimeRequest } from '../../workloads/realtime.ts';
import { describeSettings, resolveSettings } from '../../workloads/settings.ts';
import { loadDataset, loadSchedule, loadTrace, takeArrival } from '../arrivals.ts';
import { loadThresholds } from '../load-thresholds.ts';
import { createRecorder } from '../record-metrics.ts';
import type { Transport } from '../transport.ts';
import type { Driver } from './driver.ts';

/** The realtime driver for `config` (mixed passes its own rate in config.rate). */
export function createRealtimeDriver(config: Config, transport: Transport): Driver {
  const settings = resolveSettings(config, REALTIME_WORKLOAD, REALTIME_DEFAULTS);
  const spec = loadThresholds(config, REALTIME_WORKLOAD);
  const schedule = loadSchedule(config, settings, loadTrace(config));
  const prompts = new PromptSource(config, settings, loadDataset(config));
  const record = createRecorder(REALTIME_WORKLOAD, spec?.perRequest ?? {});
  return {
    workload: REALTIME_WORKLOAD,
    spec,
    scenario: scheduledScenario(REALTIME_WORKLOAD, REALTIME_WORKLOAD, schedule.length, settings.vus, config),
    info: {
      workload: REALTIME_WORKLOAD,
      spec,
      settings: describeSettings(settings),
      arrivals: { pattern: settings.arrival, ratePerSec: settings.arrival === 'trace' ? null : settings.rate, scheduled: schedule.length, maxLagMs: config.maxLagMs },
    },
    run(start) {
      const taken = takeArrival(schedule, start, config.maxLagMs);
      if (!taken) return;
      record(transport.send(realtimeRequest(config, settings, prompts, taken.index, taken.arrival), record.meta));
    },
  };
}
