// Runs the ramp: every level's scenario calls run(), which sends one request
// of the ramp's shape (closed model: back to back, so a level's concurrency
// is its streams), tags every sample with the level_phase it ended in, and
// adds the request's share of its level's steady window. The ramp writes its
// own reports (src/ramp/summary-handler.ts).
import exec from 'k6/execution';
import type { Config } from '../../config/config.ts';
import { rampWorkloadOptions } from '../../ramp/options.ts';
import { levelPhaseAt, rampPlan, RAMP_WORKLOAD, windowShare } from '../../ramp/plan.ts';
import { rampRequests, rampShapeByName } from '../../ramp/shapes.ts';
import { makeRampSummaryHandler, stopRuleText } from '../../ramp/summary-handler.ts';
import { loadDataset, loadTools } from '../input-files.ts';
import { loadThresholds } from '../load-thresholds.ts';
import { oneLine } from '../load-config.ts';
import { llmRampBusyMs, llmRampWindowTokens } from '../metrics.ts';
import { createRecorder } from '../record-metrics.ts';
import { closedPoolUser } from '../segment.ts';
import type { Transport } from '../transport.ts';
import type { Driver } from './driver.ts';

/** The ramp driver. */
export function createRampDriver(config: Config, transport: Transport): Driver {
  const shape = oneLine(() => rampShapeByName(config.ramp.shape));
  const slo = loadThresholds(config, shape.thresholds);
  const plan = rampPlan(config.ramp);
  const request = rampRequests(config, shape, loadDataset(config), loadTools(config));
  const levelOrdinal = new Map(plan.levels.map((level, i) => [level.scenario, i]));
  /**
   * The request's (id, iteration), global across instances and apart per
   * level (no prompt repeats at the next level, where a KV cache would
   * answer it): a concurrency level's users (closedPoolUser) iterate back to
   * back; a rate level's arrivals are its global iteration numbers.
   */
  const requestId = (): [number, number] => {
    const level = (levelOrdinal.get(exec.scenario.name) ?? 0) * 1_000_000;
    return plan.by === 'concurrency' ? [level + 1 + closedPoolUser(), exec.vu.iterationInScenario] : [level, exec.scenario.iterationInTest];
  };
  // A request belongs to the level_phase in which it ended (wall clock: k6 gives the scenario's start in it).
  const record = createRecorder(RAMP_WORKLOAD, slo?.perRequest ?? {}, { tags: () => ({ level_phase: levelPhaseAt(Date.now() - exec.scenario.startTime, plan) }) });
  return {
    ...rampWorkloadOptions(config, plan, slo),
    banner:
      `ramp by ${plan.by} through ${config.ramp.levels.join(', ')}, ${config.ramp.levelDurationMs / 1000} s per level ` +
      `(${plan.totalMs / 1000} s in all); SLOs from ${slo?.source ?? 'none (LLM_THRESHOLDS=none)'}; ${stopRuleText(config)}`,
    info: { workload: RAMP_WORKLOAD, spec: null },
    run() {
      const startedAt = Date.now();
      const levelStart = exec.scenario.startTime;
      const label = plan.levels[levelOrdinal.get(exec.scenario.name) ?? 0]?.label ?? '';
      // The level in the meter's record too: a merge of instances places the request in its level's phases.
      const meta = { ...record.meta, level: { label, sinceStartMs: startedAt - levelStart } };
      const result = transport.send(request(...requestId()), meta);
      record(result);
      if (result.error !== 'interrupted') {
        const share = windowShare(result, startedAt, Date.now(), levelStart + plan.warmupMs, levelStart + plan.levelDurationMs);
        llmRampWindowTokens.add(share.tokens);
        llmRampBusyMs.add(share.busyMs);
      }
    },
    handleSummary: makeRampSummaryHandler(config, plan, slo, config.ramp.shape, transport.name),
    // k6 splits every level's VUs or rate over the instances; the ramp's findings need all of them.
    underSegment: () => ({
      note:
        `ramp: this instance runs its share of every level; its level verdicts, saturation point and stop rules see that share only: ` +
        `the ramp's findings are the merged run's`,
    }),
  };
}
