// k6 options of a closed-model workload: the load / graceful-stop split of
// LLM_DURATION, the scenarios with their names and tags, and the sub-metric
// registrations, which must cover every sub-metric the summary reads.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/config.ts';
import { ERROR_KINDS } from '../../../src/measure/request-record.ts';
import { buildReport } from '../../../src/summary/build.ts';
import type { K6Metric } from '../../../src/k6-summary-data.ts';
import {
  closedWorkloadOptions,
  NON_TREND_METRICS,
  PROBE_SCENARIO,
  splitDuration,
  subMetricRegistrations,
  SUMMARY_TREND_STATS,
  TREND_METRICS,
} from '../../../src/workloads/options.ts';

describe('splitDuration', () => {
  const cases: Array<[number, number, number]> = [
    // duration, load, graceful stop
    [20_000, 15_000, 5000],
    [30_000, 22_500, 7500],
    [8000, 6000, 2000],
    [4000, 3000, 1000], // a quarter is exactly the 1 s floor
    [3999, 2999, 1000], // under the floor: clamped up
    [2000, 1000, 1000],
    [4002, 3001, 1001], // a quarter is rounded to whole ms
    [120_000, 90_000, 30_000], // a quarter is exactly the 30 s ceiling
    [120_004, 90_004, 30_000], // over the ceiling: clamped down
    [3_600_000, 3_570_000, 30_000],
    [86_400_000, 86_370_000, 30_000],
  ];
  for (const [durationMs, loadMs, gracefulStopMs] of cases) {
    it(`${durationMs} ms → ${loadMs} ms of load + ${gracefulStopMs} ms graceful stop`, () => {
      assert.deepEqual(splitDuration(durationMs), { loadMs, gracefulStopMs });
    });
  }

  it('tiny durations clamp both parts to 1 s', () => {
    assert.deepEqual(splitDuration(1000), { loadMs: 1000, gracefulStopMs: 1000 });
    assert.deepEqual(splitDuration(1500), { loadMs: 1000, gracefulStopMs: 1000 });
  });

  it('from 2 s on, load + graceful stop is the whole duration, each part within its bounds', () => {
    for (let d = 2000; d <= 200_000; d += 997) {
      const { loadMs, gracefulStopMs } = splitDuration(d);
      assert.equal(loadMs + gracefulStopMs, d, String(d));
      assert.ok(gracefulStopMs >= 1000 && gracefulStopMs <= 30_000, String(d));
      assert.ok(loadMs >= 1000, String(d));
      assert.ok(Number.isInteger(gracefulStopMs), String(d));
    }
  });
});

describe('closedWorkloadOptions', () => {
  const config = parseConfig({ LLM_DURATION: '20s', LLM_VUS: '4', LLM_MODEL: 'meta-llama/Llama-3.1-8B-Instruct' });
  const options = closedWorkloadOptions(config, 'chat', 'chat', null);

  it('runs the workload as constant VUs, named and tagged after the workload and model', () => {
    assert.deepEqual(options.scenarios?.chat, {
      executor: 'constant-vus',
      vus: 4,
      duration: '15s',
      gracefulStop: '5s',
      exec: 'chat',
      tags: { workload: 'chat', model: 'meta-llama/Llama-3.1-8B-Instruct' },
    });
  });

  it('runs the generator probe beside it for the same load time', () => {
    assert.equal(PROBE_SCENARIO, 'generator_probe');
    assert.deepEqual(options.scenarios?.[PROBE_SCENARIO], {
      executor: 'constant-vus',
      vus: 1,
      duration: '15s',
      gracefulStop: '1s',
      exec: 'generatorProbe',
      tags: { workload: 'generator_probe' },
    });
    assert.deepEqual(Object.keys(options.scenarios ?? {}).sort(), ['chat', 'generator_probe']);
  });

  it('uses the exec function and workload name it is given', () => {
    const other = closedWorkloadOptions(config, 'rag', 'runRag', null);
    assert.equal(other.scenarios?.rag?.exec, 'runRag');
    assert.deepEqual((other.scenarios?.rag as { tags?: unknown }).tags, { workload: 'rag', model: config.endpoint.model });
  });

  it('formats a non-whole-second split in ms', () => {
    const o = closedWorkloadOptions(parseConfig({}), 'chat', 'chat', null); // 30 s
    const s = o.scenarios?.chat as { duration?: string; gracefulStop?: string };
    assert.equal(s.duration, '22500ms');
    assert.equal(s.gracefulStop, '7500ms');
  });

  it('asks k6 for every trend statistic the summary reads', () => {
    for (const stat of ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count']) {
      assert.ok(options.summaryTrendStats?.includes(stat), stat);
    }
    for (const stat of SUMMARY_TREND_STATS) assert.ok(options.summaryTrendStats?.includes(stat), stat);
  });

  it('registers every sub-metric of the workload, judging nothing without a spec', () => {
    const registered = subMetricRegistrations(['chat']);
    for (const [key, list] of Object.entries(registered)) {
      assert.deepEqual((options.thresholds as Record<string, unknown>)[key], list, key);
    }
  });
});

describe('subMetricRegistrations', () => {
  const keys = subMetricRegistrations(['chat', 'batch']);

  it('registers each metric, each error kind and the estimated tokens per workload, with empty lists', () => {
    // Plus the estimated sub-metrics of output, reasoning and answer tokens and k6's dropped_iterations of the scenario.
    const perWorkload = TREND_METRICS.length + NON_TREND_METRICS.length + ERROR_KINDS.length + 4;
    assert.equal(Object.keys(keys).length, 2 * perWorkload);
    for (const list of Object.values(keys)) assert.deepEqual(list, []);
    for (const workload of ['chat', 'batch']) {
      for (const key of [
        `llm_ttft{workload:${workload}}`,
        `llm_itl{workload:${workload}}`,
        `llm_tpot{workload:${workload}}`,
        `llm_e2e{workload:${workload}}`,
        `llm_output_tokens_per_second{workload:${workload}}`,
        `llm_output_tokens{workload:${workload}}`,
        `llm_prompt_tokens{workload:${workload}}`,
        `llm_request_success{workload:${workload}}`,
        `llm_requests{workload:${workload}}`,
        `llm_errors{workload:${workload}}`,
        `llm_errors{workload:${workload},error:http_429}`,
        `llm_errors{workload:${workload},error:interrupted}`,
        `llm_errors{workload:${workload},error:stream_error}`,
        `llm_output_tokens{workload:${workload},tokens:estimated}`,
        `llm_ttfo{workload:${workload}}`,
        `llm_reasoning_tokens{workload:${workload},tokens:estimated}`,
        `llm_answer_tokens{workload:${workload},tokens:estimated}`,
      ]) {
        assert.ok(key in keys, key);
      }
    }
  });

  it('covers every per-workload sub-metric the summary reads', () => {
    const read = new Set<string>();
    const metrics = new Proxy({} as Record<string, K6Metric | undefined>, {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key);
      },
    });
    buildReport({ metrics, state: { testRunDurationMs: 1000 } }, [{ workload: 'chat', spec: null }], {}, 5);
    const registered = subMetricRegistrations(['chat']);
    const perWorkload = [...read].filter((key) => key.includes('{'));
    assert.ok(perWorkload.length > 10, `the summary read only ${perWorkload.join(', ')}`);
    for (const key of perWorkload) assert.ok(key in registered, `the summary reads ${key}, which is not registered`);
  });
});
