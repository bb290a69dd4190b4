// k6 options of a run: the load / graceful-stop split of LLM_DURATION, a
// script's scenarios kept as given with k6-llm's added (the probe, the trend
// statistics and the sub-metric registrations, which must cover every
// sub-metric the summary reads).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_KINDS } from '../../../src/measure/request-record.ts';
import { buildReport } from '../../../src/summary/build.ts';
import type { K6Metric } from '../../../src/k6-summary-data.ts';
import { closedUsers } from '../../../src/load/closed-users.ts';
import { llmOptions } from '../../../src/run/options.ts';
import {
  CACHE_TAGS,
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

describe('llmOptions', () => {
  const chat = closedUsers({ vus: 4, duration: 15_000, gracefulStop: 5000, exec: 'chat', tags: { workload: 'chat', model: 'meta-llama/Llama-3.1-8B-Instruct' } });
  const probe = closedUsers({ vus: 1, duration: 15_000, gracefulStop: '1s', exec: 'generatorProbe', tags: { workload: PROBE_SCENARIO } });
  const options = llmOptions({ scenarios: { chat }, probe });

  it('keeps the script\'s scenarios as given, in k6\'s duration strings', () => {
    assert.deepEqual(options.scenarios?.chat, {
      executor: 'constant-vus',
      vus: 4,
      duration: '15s',
      gracefulStop: '5s',
      exec: 'chat',
      tags: { workload: 'chat', model: 'meta-llama/Llama-3.1-8B-Instruct' },
    });
    assert.equal((closedUsers({ vus: 1, duration: 22_500, gracefulStop: 7500 }) as { duration?: string }).duration, '22500ms');
  });

  it('adds the generator probe it is given, under its own name', () => {
    assert.equal(PROBE_SCENARIO, 'generator_probe');
    assert.deepEqual(Object.keys(options.scenarios ?? {}).sort(), ['chat', 'generator_probe']);
    assert.equal(options.scenarios?.[PROBE_SCENARIO]?.exec, 'generatorProbe');
  });

  it('asks k6 for every trend statistic the summary reads', () => {
    for (const stat of ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count']) {
      assert.ok(options.summaryTrendStats?.includes(stat), stat);
    }
    for (const stat of SUMMARY_TREND_STATS) assert.ok(options.summaryTrendStats?.includes(stat), stat);
  });

  it("registers every sub-metric of each scenario's workload (its tag, else its name), judging nothing without an SLO", () => {
    const registered = subMetricRegistrations(['chat']);
    for (const [key, list] of Object.entries(registered)) {
      assert.deepEqual((options.thresholds as Record<string, unknown>)[key], list, key);
    }
    const untagged = llmOptions({ scenarios: { rag: { executor: 'constant-vus', vus: 1, duration: '1s' } } });
    assert.ok('llm_ttft{workload:rag}' in (untagged.thresholds ?? {}));
    assert.ok('llm_ttft{workload:default}' in (llmOptions({ vus: 1, duration: '1s' }).thresholds ?? {}), 'a script without scenarios runs k6\'s default one');
  });

  it("keeps the script's own thresholds and k6 options, and gives the same options when applied twice", () => {
    const mine = llmOptions({ scenarios: { chat }, thresholds: { 'llm_ttft{workload:chat}': ['p(95)<300'] }, noConnectionReuse: false });
    assert.deepEqual((mine.thresholds as Record<string, unknown>)['llm_ttft{workload:chat}'], ['p(95)<300']);
    assert.equal(mine.noConnectionReuse, false);
    assert.deepEqual(llmOptions(mine), mine);
  });
});

describe('subMetricRegistrations', () => {
  const keys = subMetricRegistrations(['chat', 'batch']);

  it('registers each metric, each error kind and the estimated tokens per workload, with empty lists', () => {
    // Plus the estimated sub-metrics of output, reasoning and answer tokens, TTFT of cache hits and misses, and k6's dropped_iterations of the scenario.
    const perWorkload = TREND_METRICS.length + NON_TREND_METRICS.length + ERROR_KINDS.length + 3 + CACHE_TAGS.length + 1;
    assert.equal(Object.keys(keys).length, 2 * perWorkload);
    for (const list of Object.values(keys)) assert.deepEqual(list, []);
    for (const workload of ['chat', 'batch']) {
      for (const key of [
        `llm_ttft{workload:${workload}}`,
        `llm_ttft{workload:${workload},cache:hit}`,
        `llm_ttft{workload:${workload},cache:miss}`,
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
