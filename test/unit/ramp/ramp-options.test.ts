// The ramp's plan and k6 options: levels back to back with their warm-up
// and drain, one scenario per level (closed or open model), every sample's
// level_phase, the stop rules as abortOnFail thresholds judged just after their
// level, the window share of a request, and the ramp knobs in parseConfig.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { evaluateExpression } from '../../../src/thresholds/evaluate.ts';
import { parseExpression } from '../../../src/thresholds/expression.ts';
import { validateThresholdSpec } from '../../../src/thresholds/threshold-file.ts';
import type { Config } from '../../../src/config/config.ts';
import { latencyStopBounds, rampWorkloadOptions, stopRules } from '../../../src/ramp/options.ts';
import { levelKey, levelPhaseAt, rampPlan, windowShare, type RampPlan } from '../../../src/ramp/plan.ts';
import type { ThresholdSpec } from '../../../src/thresholds/threshold-file.ts';
import { llmOptions } from '../../../src/run/options.ts';

/** The k6 options of a ramp, as its driver builds them. */
/** The ramp's k6 options as the built-in ramp puts them together (scenarios/ramp.ts). */
const rampOptions = (config: Config, plan: RampPlan, spec: ThresholdSpec | null) => {
  const part = rampWorkloadOptions(config.ramp, config.endpoint.model, plan, spec);
  return llmOptions({ scenarios: part.scenarios, slo: { ramp: null }, workloadThresholds: part.thresholds ?? {}, summaryTrendStats: [...(part.trendStats ?? [])] });
};

const CHAT_SLO = validateThresholdSpec(
  {
    thresholds: {
      llm_ttft: ['p(95)<300', { threshold: 'p(99)<=500' }, 'max<=2000'],
      llm_e2e: ['p(90)<4000'],
      llm_request_success: ['rate>0.99'],
    },
  },
  'test',
);

describe('ramp knobs in parseConfig', () => {
  it('has documented defaults', () => {
    const c = parseConfig({});
    assert.deepEqual(c.ramp.levels, [1, 2, 4, 8, 16, 32, 64]);
    assert.equal(c.ramp.by, 'concurrency');
    assert.equal(c.ramp.levelDurationMs, 30_000);
    assert.equal(c.ramp.warmupMs, 10_000);
    assert.equal(c.ramp.stopErrorRate, 0.5);
    assert.equal(c.ramp.stopLatencyFactor, 5);
    assert.equal(c.ramp.saturationGainPct, 5);
    assert.equal(c.ramp.shape, 'chat');
    assert.equal(c.ramp.maxVus, 200);
  });

  it('reads rates, off switches and percentages', () => {
    const c = parseConfig({
      LLM_RAMP_BY: 'rate',
      LLM_LEVELS: '0.5, 1,2.25',
      LLM_STOP_ERROR_RATE: 'off',
      LLM_STOP_TTFT_FACTOR: 'OFF',
      LLM_SATURATION_GAIN: '2.5',
      LLM_LEVEL_DURATION: '20s',
      LLM_WARMUP: '19s',
    });
    assert.deepEqual(c.ramp.levels, [0.5, 1, 2.25]);
    assert.equal(c.ramp.stopErrorRate, null);
    assert.equal(c.ramp.stopLatencyFactor, null);
    assert.equal(c.ramp.saturationGainPct, 2.5);
  });

  const rejected: Array<[Record<string, string>, string]> = [
    [{ LLM_LEVELS: '1,2,2' }, 'invalid LLM_LEVELS; expected a comma list of ascending whole numbers of streams such as 1,2,4,8,16 (at most 40), got "1,2,2"'],
    [{ LLM_LEVELS: '1.5,2' }, 'invalid LLM_LEVELS; expected a comma list of ascending whole numbers'],
    [{ LLM_LEVELS: '0,1' }, 'invalid LLM_LEVELS'],
    [{ LLM_LEVELS: '1,,2' }, 'invalid LLM_LEVELS'],
    [{ LLM_LEVELS: Array.from({ length: 41 }, (_, i) => i + 1).join(',') }, 'invalid LLM_LEVELS'],
    [{ LLM_RAMP_BY: 'rate', LLM_LEVELS: '1,2.0001' }, 'invalid LLM_LEVELS; expected a comma list of ascending request rates'],
    [{ LLM_RAMP_BY: 'users' }, 'invalid LLM_RAMP_BY; expected one of concurrency, rate, got "users"'],
    [{ LLM_WARMUP: '30s' }, 'invalid LLM_WARMUP; expected a duration at least 1 s shorter than LLM_LEVEL_DURATION (30s), got "30s"'],
    [{ LLM_LEVEL_DURATION: '1s' }, 'invalid LLM_LEVEL_DURATION'],
    [{ LLM_STOP_ERROR_RATE: '1' }, 'invalid LLM_STOP_ERROR_RATE; expected a number from 0 up to (not including) 1, or off, got "1"'],
    [{ LLM_STOP_TTFT_FACTOR: '0.5' }, 'invalid LLM_STOP_TTFT_FACTOR; expected a number >= 1, or off, got "0.5"'],
    [{ LLM_SATURATION_GAIN: 'five' }, 'invalid LLM_SATURATION_GAIN'],
    [{ LLM_RAMP_MAX_VUS: '0' }, 'invalid LLM_RAMP_MAX_VUS'],
  ];
  for (const [env, message] of rejected) {
    it(`rejects ${JSON.stringify(env).slice(0, 60)}`, () => {
      assert.throws(() => parseConfig(env), (err: unknown) => err instanceof ConfigError && err.message.startsWith(message));
    });
  }
});

describe('rampPlan and levelPhaseAt', () => {
  const plan = rampPlan({ levels: [1, 2, 4], by: 'concurrency', levelDurationMs: 10_000, warmupMs: 3000 });

  it('lays the levels back to back, then one drain', () => {
    assert.deepEqual(
      plan.levels.map((l) => [l.scenario, l.label, l.startMs, l.steadyStartMs, l.endMs]),
      [
        ['ramp_0', '1', 0, 3000, 10_000],
        ['ramp_1', '2', 10_000, 13_000, 20_000],
        ['ramp_2', '4', 20_000, 23_000, 30_000],
      ],
    );
    assert.equal(plan.drainMs, 3000);
    assert.equal(plan.totalMs, 33_000);
  });

  it('names scenarios so they sort in level order', () => {
    const many = rampPlan({ levels: Array.from({ length: 12 }, (_, i) => i + 1), by: 'concurrency', levelDurationMs: 5000, warmupMs: 1000 });
    assert.equal(many.levels[0]?.scenario, 'ramp_00');
    assert.equal(many.levels[11]?.probeScenario, 'probe_11');
  });

  it('tags a request by when it ended in its level', () => {
    assert.equal(levelPhaseAt(0, plan), 'warmup');
    assert.equal(levelPhaseAt(2999, plan), 'warmup');
    assert.equal(levelPhaseAt(3000, plan), 'steady');
    assert.equal(levelPhaseAt(10_000, plan), 'steady');
    assert.equal(levelPhaseAt(10_001, plan), 'drain');
  });
});

describe('rampOptions', () => {
  const config = parseConfig({ LLM_LEVELS: '1,8', LLM_LEVEL_DURATION: '10s', LLM_WARMUP: '2s', LLM_MODEL: 'm' });
  const options = rampOptions(config, rampPlan(config.ramp), CHAT_SLO);
  const scenarios = options.scenarios as unknown as Record<string, Record<string, unknown>>;
  const thresholds = options.thresholds as Record<string, unknown[]>;

  it('one constant-vus scenario per level, tagged with it, and a probe beside each', () => {
    assert.deepEqual(scenarios.ramp_1, {
      executor: 'constant-vus',
      vus: 8,
      duration: '10s',
      startTime: '10s',
      gracefulStop: '2s',
      exec: 'ramp',
      tags: { workload: 'ramp', model: 'm', level: '8' },
    });
    assert.equal(scenarios.probe_0?.exec, 'generatorProbe');
    assert.deepEqual(scenarios.probe_1?.tags, { workload: 'generator_probe', level: '8' });
    assert.equal(Object.keys(scenarios).length, 4);
  });

  it('open model: constant-arrival-rate, fractional rates as per-1000 s', () => {
    const rate = parseConfig({ LLM_RAMP_BY: 'rate', LLM_LEVELS: '2,2.5', LLM_RAMP_MAX_VUS: '3' });
    const s = rampOptions(rate, rampPlan(rate.ramp), null).scenarios as unknown as Record<string, Record<string, unknown>>;
    assert.deepEqual([s.ramp_0?.executor, s.ramp_0?.rate, s.ramp_0?.timeUnit], ['constant-arrival-rate', 2, '1s']);
    assert.deepEqual([s.ramp_1?.rate, s.ramp_1?.timeUnit, s.ramp_1?.maxVUs, s.ramp_1?.preAllocatedVUs], [2500, '1000s', 3, 3]);
    const t = rampOptions(rate, rampPlan(rate.ramp), null).thresholds as Record<string, unknown[]>;
    assert.deepEqual(t['dropped_iterations{scenario:ramp_1}'], []);
  });

  it('registers every steady-state sub-metric the report reads, per level', () => {
    for (const label of ['1', '8']) {
      for (const metric of ['llm_ttft', 'llm_itl', 'llm_e2e', 'llm_output_tokens_per_second', 'llm_output_tokens', 'llm_requests', 'llm_slo_attained']) {
        assert.ok(levelKey(metric, label) in thresholds, `${metric} at ${label}`);
      }
      assert.ok(`llm_errors{workload:ramp,level:${label},level_phase:steady,error:http_429}` in thresholds);
      assert.ok(`llm_ramp_window_tokens{workload:ramp,level:${label}}` in thresholds);
      assert.ok(`llm_ramp_busy_ms{workload:ramp,level:${label}}` in thresholds);
      assert.ok(`llm_generator_lag{workload:generator_probe,level:${label}}` in thresholds);
    }
    // The whole run's registrations too, for llm-summary.json.
    assert.ok('llm_ttft{workload:ramp}' in thresholds);
    // The SLO file itself is not a k6 threshold: each level is judged after the run.
    assert.deepEqual(thresholds['llm_ttft{workload:ramp}'], []);
  });

  it('the stop rules abort, judged just after their level ends', () => {
    assert.deepEqual(thresholds[levelKey('llm_request_success', '8')], [{ threshold: 'rate>=0.5', abortOnFail: true, delayAbortEval: '21s' }]);
    assert.deepEqual(thresholds[levelKey('llm_ttft', '1')], [
      { threshold: 'p(95)<1500', abortOnFail: true, delayAbortEval: '11s' },
      { threshold: 'p(99)<2500', abortOnFail: true, delayAbortEval: '11s' },
    ]);
    assert.deepEqual(thresholds[levelKey('llm_e2e', '1')], [{ threshold: 'p(90)<20000', abortOnFail: true, delayAbortEval: '11s' }]);
  });

  it('asks k6 for the percentiles the SLO file uses', () => {
    assert.ok(options.summaryTrendStats?.includes('p(90)'));
    assert.ok(options.summaryTrendStats?.includes('p(99)'));
  });

  it('stop rules can be switched off one by one', () => {
    const plan = rampPlan(config.ramp);
    assert.equal(stopRules({ stopErrorRate: null, stopLatencyFactor: null }, plan, CHAT_SLO).length, 0);
    assert.deepEqual(
      stopRules({ stopErrorRate: 0.1, stopLatencyFactor: null }, plan, CHAT_SLO).map((r) => r.threshold),
      ['rate>=0.9', 'rate>=0.9'],
    );
    // Only percentile bounds are loosened; max<= and other metrics are not stop rules.
    assert.deepEqual(latencyStopBounds(CHAT_SLO, 2).map((b) => `${b.metric} ${b.threshold}`), [
      'llm_ttft p(95)<600',
      'llm_ttft p(99)<1000',
      'llm_e2e p(90)<8000',
    ]);
    assert.deepEqual(latencyStopBounds(null, 2), []);
  });
});

describe('windowShare', () => {
  const rec = { ttftMs: 100, e2eMs: 1100, outputTokens: 11 }; // first token at +100, last at +1100, 10 gaps

  it('a request wholly inside the window counts whole', () => {
    assert.deepEqual(windowShare(rec, 1000, 2110, 0, 5000), { tokens: 11, busyMs: 1110 });
  });

  it('a request straddling the window start counts the part inside', () => {
    // Tokens span 1100…2100; the window opens at 1600: half the gaps, first token outside.
    const share = windowShare(rec, 1000, 2100, 1600, 9000);
    assert.equal(share.tokens, 5);
    assert.equal(share.busyMs, 500);
  });

  it('a request straddling the window end counts the first token and the part before the end', () => {
    const share = windowShare(rec, 1000, 2100, 0, 1600);
    assert.equal(share.tokens, 1 + 5);
    assert.equal(share.busyMs, 600);
  });

  it('a request outside the window counts nothing', () => {
    assert.deepEqual(windowShare(rec, 10_000, 11_100, 0, 5000), { tokens: 0, busyMs: 0 });
  });

  it('non-streamed or failed requests: tokens at the end, busy time still counts', () => {
    assert.deepEqual(windowShare({ ttftMs: null, e2eMs: 900, outputTokens: 8 }, 0, 900, 500, 1000), { tokens: 8, busyMs: 400 });
    assert.deepEqual(windowShare({ ttftMs: null, e2eMs: 900, outputTokens: 8 }, 0, 900, 0, 800), { tokens: 0, busyMs: 800 });
    assert.deepEqual(windowShare({ ttftMs: null, e2eMs: null, outputTokens: 0 }, 0, 3, 0, 800), { tokens: 0, busyMs: 3 });
  });
});

describe('threshold expressions evaluated on our own figures', () => {
  const values = { med: 100, 'p(95)': 290, 'p(99)': 510, max: 900, avg: 120, rate: 0.995, count: 40 };
  const cases: Array<[string, boolean | null, number | null]> = [
    ['p(95)<300', true, 290],
    ['p(99)<500', false, 510],
    ['p(99)<=510', true, 510],
    ['p(50)<101', true, 100], // p(50) is k6's med
    ['med>=100', true, 100],
    ['max<=2000', true, 900],
    ['rate>0.99', true, 0.995],
    ['count>=41', false, 40],
    ['avg==120', true, 120],
    ['avg!=120', false, 120],
    ['p(90)<300', null, null], // not measured
  ];
  for (const [expression, ok, measured] of cases) {
    it(`${expression} → ${ok}`, () => {
      const v = evaluateExpression('m', expression, values);
      assert.equal(v.ok, ok);
      assert.equal(v.measured, measured);
    });
  }

  it('no values or an unparsable expression decide nothing', () => {
    assert.equal(evaluateExpression('m', 'p(95)<300', null).ok, null);
    assert.equal(evaluateExpression('m', 'p95 < 300', values).ok, null);
    assert.deepEqual(parseExpression(' p( 99.9 ) <= 1e3 '), { aggregation: 'p(99.9)', operator: '<=', bound: 1000 });
  });
});
