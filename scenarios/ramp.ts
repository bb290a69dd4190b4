// Degradation ramp: steps load through LLM_LEVELS (concurrent streams, or
// requests/s with LLM_RAMP_BY=rate), each level held LLM_LEVEL_DURATION with
// its first LLM_WARMUP discarded, and reports where throughput stops growing
// (saturation point) and the highest level meeting every SLO (SLO limit):
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_LEVELS=1,2,4,8,16,32 dist/ramp.js
import exec from 'k6/execution';
import { loadConfig } from '../src/k6/load-config.ts';
import { loadThresholds } from '../src/k6/load-thresholds.ts';
import { makeRampSummaryHandler, stopRuleText } from '../src/k6/ramp-summary.ts';
import { llmRampBusyMs, llmRampWindowTokens } from '../src/k6/metrics.ts';
import { createRecorder } from '../src/k6/record-metrics.ts';
import { startStore } from '../src/k6/meter-store.ts';
import { createTransport } from '../src/k6/transport.ts';
import { protocolByName } from '../src/protocols/index.ts';
import { phaseAt, rampOptions, rampPlan, RAMP_WORKLOAD, windowShare } from '../src/workloads/ramp.ts';
import { rampShape } from '../src/workloads/ramp-shapes.ts';

export { generatorProbe } from '../src/k6/generator-probe.ts';

const config = loadConfig(__ENV);
const shape = rampShape(config);
const slo = loadThresholds(config, shape.thresholds);
const plan = rampPlan(config);
const transport = createTransport(config, protocolByName(config.protocol));
// A request belongs to the phase of its level in which it ended.
const record = createRecorder(RAMP_WORKLOAD, slo?.perRequest ?? {}, { tags: () => ({ phase: phaseAt(Date.now() - exec.scenario.startTime, plan) }) });

export const options = rampOptions(config, plan, slo);

export function setup(): void {
  startStore();
  console.log(
    `k6-llm: ramp by ${plan.by} through ${config.levels.join(', ')}, ${config.levelDurationMs / 1000} s per level ` +
      `(${plan.totalMs / 1000} s in all); SLOs from ${slo?.source ?? 'none (LLM_THRESHOLDS=none)'}; ${stopRuleText(config)}; transport ${transport.name}`,
  );
}

/** One request at the current level: send, measure, record (closed model: back to back, so a level's concurrency is its streams). */
export function ramp(): void {
  const startedAt = Date.now();
  const result = transport.send(shape.request(config, exec.vu.idInTest, exec.vu.iterationInScenario), record.meta);
  record(result);
  if (result.error !== 'interrupted') {
    const levelStart = exec.scenario.startTime;
    const share = windowShare(result, startedAt, Date.now(), levelStart + plan.warmupMs, levelStart + plan.levelDurationMs);
    llmRampWindowTokens.add(share.tokens);
    llmRampBusyMs.add(share.busyMs);
  }
}

export const handleSummary = makeRampSummaryHandler(config, plan, slo, config.rampShape, transport.name);
