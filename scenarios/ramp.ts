// Degradation ramp: steps load through LLM_LEVELS (concurrent streams, or
// requests/s with LLM_RAMP_BY=rate), each level held LLM_LEVEL_DURATION with
// its first LLM_WARMUP discarded, and reports where throughput stops growing
// (saturation point) and the highest level meeting every SLO (SLO limit):
//   k6 run -e LLM_METER_URL=... -e LLM_BASE_URL=http://host:8000/v1 -e LLM_LEVELS=1,2,4,8,16,32 dist/ramp.js
import { Client, describeWorkload, fromEnv, rampLevels } from 'k6-llm';
import { builtinScript } from './workloads/part.ts';

const env = fromEnv('ramp');
const { config, slo, shape, prompts } = env;
const client = new Client({ workload: 'ramp', slo });
const levels = rampLevels({ ...config.ramp, slo, model: config.endpoint.model, request: { maxTokens: config.request.maxTokens, stream: shape.stream } });
describeWorkload({
  workload: 'ramp',
  spec: null,
  banner: levels.banner,
  // k6 splits every level's VUs or rate over the instances; the ramp's findings need all of them.
  underSegment: () => ({
    note:
      `ramp: this instance runs its share of every level; its level verdicts, saturation point and stop rules see that share only: ` +
      `the ramp's findings are the merged run's`,
  }),
});
const script = builtinScript(env, client, [
  {
    workload: 'ramp',
    // The SLO judges each level after the run (ramp.json), never the whole run: a ramp is meant to go past it.
    slo: null,
    scenarios: levels.options.scenarios ?? {},
    workloadThresholds: levels.options.workloadThresholds,
    summaryTrendStats: levels.options.summaryTrendStats,
    // Each level has its own probe.
    probe: null,
    run: () => void levels.send(client, prompts.request(levels.requestIndex(), shape)),
    handleSummary: levels.summary(config.report, config.ramp.shape),
  },
]);

export const options = script.options;
export const setup = script.setup;
/** One request of the current level. */
export const ramp = script.exec('ramp');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
