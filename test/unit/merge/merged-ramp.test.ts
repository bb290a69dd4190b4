// The merged ramp report: requests placed in their level's phases by their end,
// exact steady-window percentiles over every instance, window shares summed, the
// stop rule judged on the merged levels, and levels an early-stopped instance
// cut marked incomplete. Checked against figures worked out here by hand and
// against the same records merged as one instance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyRecord, type RequestRecord } from '../../../src/measure/request-record.ts';
import { mergedRampReport, RampMerge, rampMergePlan } from '../../../src/merge/merged-ramp.ts';
import type { LevelRow, RampReport } from '../../../src/ramp/ramp-report.ts';
import { seededRandom } from '../../../src/random.ts';

const LEVEL_MS = 10_000;
const WARMUP_MS = 2_000;

function instanceRamp(overrides: Partial<RampReport> = {}, lagP99 = [0.4, 0.6]): RampReport {
  return {
    tool: 'k6-llm',
    report: 'ramp',
    rampBy: 'concurrency',
    unit: 'streams',
    shape: 'chat',
    thresholdsSource: null,
    settings: { levels: [1, 2], levelDurationSeconds: LEVEL_MS / 1000, warmupSeconds: WARMUP_MS / 1000, stopErrorRate: 0.1, stopTtftFactor: null, saturationGainPct: 5 },
    stop: { rule: 'stop after the first level whose steady state had error rate above 10 %', firedAtLevel: null, breaches: [], skippedLevels: [] },
    levels: lagP99.map((lag, index) => ({ index, generatorLagP99Ms: lag, droppedIterations: null }) as unknown as LevelRow),
    testRunDurationMs: 2 * LEVEL_MS + WARMUP_MS,
    warnings: [],
    ...overrides,
  } as RampReport;
}

/** A request of `tokens` tokens, first at ttft ms and then every 10 ms; failed (status 500) when `failed`. */
function request(ttft: number, tokens: number, failed = false): RequestRecord {
  const r = emptyRecord({ status: failed ? 500 : 200, headersMs: 1, endMs: 0, error: null, errorMessage: '', retryAfter: '' } as never, 0);
  if (failed) {
    r.error = 'http_5xx' as RequestRecord['error'];
    r.e2eMs = 5;
    return r;
  }
  r.success = true;
  r.ttftMs = ttft;
  r.e2eMs = ttft + 10 * (tokens - 1);
  r.itlMs = Array.from({ length: tokens - 1 }, () => 10);
  r.outputTokens = tokens;
  return r;
}

interface Placed {
  level: string;
  sinceStartMs: number;
  record: RequestRecord;
}

function merged(instances: RampReport[], parts: Placed[][]): RampReport {
  const merge = new RampMerge(rampMergePlan(instances[0] as RampReport), {});
  for (const part of parts) for (const p of part) assert.ok(merge.add(p.record, p.level, p.sinceStartMs, p.record.e2eMs as number));
  return mergedRampReport({ instances, merge, spec: null, generatorLagWarnMs: 20 });
}

/** k6's percentile (TrendSink.P). */
function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = q * (sorted.length - 1);
  const lo = sorted[Math.floor(i)] as number;
  return lo + ((sorted[Math.ceil(i)] as number) - lo) * (i - Math.floor(i));
}

describe('the merged ramp report', () => {
  const random = seededRandom(11);
  const placed: Placed[] = [];
  for (const level of ['1', '2']) {
    for (let i = 0; i < 60; i++) {
      placed.push({ level, sinceStartMs: random() * (LEVEL_MS + WARMUP_MS - 500), record: request(50 + random() * 100, 1 + Math.floor(random() * 20)) });
    }
  }
  const halves = [placed.filter((_, i) => i % 3 !== 0), placed.filter((_, i) => i % 3 === 0)];

  it('counts, at each level, the requests that ended in its steady window, with exact TTFT percentiles and window throughput', () => {
    const report = merged([instanceRamp(), instanceRamp()], halves);
    for (const [index, label] of ['1', '2'].entries()) {
      const steady = placed.filter((p) => p.level === label).filter((p) => {
        const end = p.sinceStartMs + (p.record.e2eMs as number);
        return end >= WARMUP_MS && end <= LEVEL_MS;
      });
      const row = report.levels[index] as LevelRow;
      assert.equal(row.requests, steady.length);
      const ttft = steady.map((p) => p.record.ttftMs as number);
      assert.equal(row.ttftMs?.p50, percentile(ttft, 0.5));
      assert.equal(row.ttftMs?.p99, percentile(ttft, 0.99));
      assert.equal(row.ttftMs?.count, steady.length);
      // Tokens inside [warm-up, level end]: the first at TTFT, the others spread evenly to E2E (here: exactly every 10 ms).
      let tokens = 0;
      for (const p of placed.filter((x) => x.level === label)) {
        for (let k = 0; k < p.record.outputTokens; k++) {
          const t = p.sinceStartMs + (p.record.ttftMs as number) + 10 * k;
          if (t >= WARMUP_MS && t <= LEVEL_MS) tokens++;
        }
      }
      assert.ok(Math.abs((row.outputTokensPerSecond as number) - tokens / ((LEVEL_MS - WARMUP_MS) / 1000)) < 0.5, `level ${label}: ${row.outputTokensPerSecond} vs ${tokens / 8}`);
      assert.equal(row.complete, true);
    }
  });

  it('gives the same levels as the same requests merged as one instance (timer lag aside: the largest instance p99)', () => {
    const two = merged([instanceRamp({}, [0.4, 0.6]), instanceRamp({}, [0.9, 0.2])], halves);
    const one = merged([instanceRamp({}, [0.4, 0.6])], [placed]);
    const strip = (rows: LevelRow[]) => rows.map(({ generatorLagP99Ms: _lag, ...rest }) => rest);
    assert.deepEqual(strip(two.levels), strip(one.levels));
    assert.deepEqual(two.levels.map((r) => r.generatorLagP99Ms), [0.9, 0.6]);
    assert.deepEqual(two.saturationPoint, one.saturationPoint);
  });

  it('judges the stop rule on the merged level: 2 failures in 10 breach 10 % though neither instance\'s share alone would', () => {
    const at = (ms: number, failed: boolean): Placed => ({ level: '1', sinceStartMs: ms, record: request(50, 3, failed) });
    const a = [at(3000, true), ...[3100, 3200, 3300, 3400].map((ms) => at(ms, false))];
    const b = [at(4000, true), ...[4100, 4200, 4300, 4400].map((ms) => at(ms, false))];
    const report = merged([instanceRamp(), instanceRamp()], [a, b]);
    assert.equal(report.levels[0]?.successRate, 0.8);
    assert.equal(report.stop.firedAtLevel, 1);
  });

  it('marks levels incomplete where an instance stopped early, and says which', () => {
    const stopped = instanceRamp({ testRunDurationMs: LEVEL_MS + 500, stop: { ...instanceRamp().stop, firedAtLevel: 1 } });
    const report = merged([instanceRamp(), stopped], halves);
    assert.deepEqual(report.levels.map((r) => r.complete), [true, false]);
    assert.ok(report.warnings.some((w) => w.startsWith('instance 1: its own stop rule fired at level 1')), report.warnings.join('\n'));
  });

  it('refuses a request whose level is not the plan\'s', () => {
    const merge = new RampMerge(rampMergePlan(instanceRamp()), {});
    assert.equal(merge.add(request(50, 3), '8', 100, 70), false);
  });

  it('refuses ramp.json settings without the level list, in one line', () => {
    assert.throws(() => rampMergePlan(instanceRamp({ settings: { levelDurationSeconds: 10, warmupSeconds: 2 } })), /^Error: invalid ramp\.json settings\.levels; expected the list of levels, got undefined$/);
  });
});
