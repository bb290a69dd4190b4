// Runs the availability workload: one request per iteration of a
// constant-arrival-rate scenario, each outcome logged with its start time for
// the timeline (the stream meter's store); teardown turns the timeline into
// llm_availability_worst_window, which a thresholds file can bound.
import exec from 'k6/execution';
import type { Config } from '../../config/config.ts';
import { formatDuration } from '../../duration.ts';
import { AVAILABILITY_DEFAULTS, AVAILABILITY_WORKLOAD, availabilityScenario } from '../../workloads/availability.ts';
import { PromptSource, singleTurnRequest } from '../../workloads/prompts.ts';
import { describeSettings, resolveSettings, promptSources } from '../../workloads/settings.ts';
import { emitWorstWindow } from '../availability-check.ts';
import { nowMs } from '../clock.ts';
import { loadDataset, loadTools } from '../input-files.ts';
import { loadThresholds } from '../load-thresholds.ts';
import { createRecorder } from '../record-metrics.ts';
import type { Transport } from '../transport.ts';
import { thresholdsFrom, type Driver } from './driver.ts';

/** The availability driver. */
export function createAvailabilityDriver(config: Config, transport: Transport): Driver {
  const settings = resolveSettings(config, AVAILABILITY_WORKLOAD, AVAILABILITY_DEFAULTS);
  const spec = loadThresholds(config, AVAILABILITY_WORKLOAD);
  const prompts = new PromptSource(config, settings, loadDataset(config), loadTools(config));
  const record = createRecorder(AVAILABILITY_WORKLOAD, spec?.perRequest ?? {}, { timeline: true });
  const window = formatDuration(config.availability.windowMs);
  return {
    workload: AVAILABILITY_WORKLOAD,
    spec,
    scenarios: { [AVAILABILITY_WORKLOAD]: availabilityScenario(config, settings) },
    banner: `availability at ${settings.rate} requests/s, ${window} windows; ${thresholdsFrom(spec)}`,
    info: { workload: AVAILABILITY_WORKLOAD, spec, settings: describeSettings(settings, promptSources(config)), windowMs: config.availability.windowMs },
    runInfo: { rate: settings.rate, window },
    /** One request of the steady stream: send, measure, record with its start time. */
    run() {
      const startedMs = nowMs();
      const request = singleTurnRequest(config, settings, prompts, exec.scenario.iterationInTest);
      record(transport.send(request, { ...record.meta, startedMs }), { startedMs });
    },
    finish: () => emitWorstWindow(AVAILABILITY_WORKLOAD, config.availability.windowMs),
    // k6 stripes the arrival-rate iterations over the instances: the steady stream splits, its windows do not.
    underSegment: () => ({
      note:
        `availability: this instance sends its stripe of the ${settings.rate}/s stream; its llm_availability_worst_window ` +
        `(and that threshold) sees its own requests only: the windows of the whole stream are the merged run's`,
    }),
  };
}
