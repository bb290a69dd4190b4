// The arrival patterns: seeded and reproducible, with the right mean and
// coefficient of variation of inter-arrival times over a large sample.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARRIVAL_NAMES, buildSchedule, type ScheduleParams } from '../../../src/arrivals/index.ts';
import { linearInverse } from '../../../src/arrivals/linear.ts';
import { ConfigError } from '../../../src/errors.ts';

const base: ScheduleParams = { ratePerSec: 50, durationMs: 2_000_000, seed: 7, burstiness: 1, rampFromPerSec: 0, trace: null };

function gapStats(times: number[]): { mean: number; cv: number } {
  const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const variance = gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (gaps.length - 1);
  return { mean, cv: Math.sqrt(variance) / mean };
}

describe('arrival patterns', () => {
  it('registers constant, poisson, gamma, linear and trace', () => {
    assert.deepEqual([...ARRIVAL_NAMES].sort(), ['constant', 'gamma', 'linear', 'poisson', 'trace']);
  });

  it('constant: exact spacing 1/rate from 0, inside the window', () => {
    const s = buildSchedule('constant', { ...base, ratePerSec: 4, durationMs: 10_000 });
    assert.equal(s.length, 40);
    assert.equal(s[0]?.atMs, 0);
    assert.equal(s[39]?.atMs, 9750);
  });

  it('poisson: mean gap 1/rate and CV ≈ 1 over 100 000 arrivals', () => {
    const s = buildSchedule('poisson', base).map((a) => a.atMs);
    assert.ok(s.length > 95_000, `${s.length} arrivals`);
    const { mean, cv } = gapStats(s);
    assert.ok(Math.abs(mean - 20) < 0.2, `mean gap ${mean} ms, expected 20`);
    assert.ok(Math.abs(cv - 1) < 0.02, `CV ${cv}, expected 1`);
    // Count within 3σ of λT.
    const expected = 50 * 2000;
    assert.ok(Math.abs(s.length - expected) < 3 * Math.sqrt(expected), `${s.length} vs ${expected}`);
  });

  for (const b of [0.25, 1, 4]) {
    it(`gamma with burstiness ${b}: mean 1/rate and CV ≈ 1/√${b}`, () => {
      const s = buildSchedule('gamma', { ...base, burstiness: b }).map((a) => a.atMs);
      const { mean, cv } = gapStats(s);
      assert.ok(Math.abs(mean - 20) / 20 < 0.02, `mean gap ${mean} ms`);
      assert.ok(Math.abs(cv - 1 / Math.sqrt(b)) < 0.03 / Math.sqrt(b), `CV ${cv}, expected ${1 / Math.sqrt(b)}`);
    });
  }

  it('is reproducible per seed and differs across seeds', () => {
    const a = buildSchedule('poisson', { ...base, durationMs: 60_000 });
    assert.deepEqual(a, buildSchedule('poisson', { ...base, durationMs: 60_000 }));
    assert.notDeepEqual(a, buildSchedule('poisson', { ...base, durationMs: 60_000, seed: 8 }));
  });

  it('linear: the count in each tenth of the window follows the linear rate', () => {
    const d = 1_000_000;
    const s = buildSchedule('linear', { ...base, rampFromPerSec: 10, ratePerSec: 110, durationMs: d });
    for (let k = 0; k < 10; k++) {
      const from = (k * d) / 10;
      const to = ((k + 1) * d) / 10;
      const n = s.filter((a) => a.atMs >= from && a.atMs < to).length;
      const expected = ((10 + 100 * ((k + 0.5) / 10)) * d) / 10 / 1000;
      assert.ok(Math.abs(n - expected) < 4 * Math.sqrt(expected), `tenth ${k}: ${n} vs ${expected}`);
    }
  });

  it('linearInverse inverts the cumulative rate, flat and falling ramps included', () => {
    assert.equal(linearInverse(10, 5, 5, 60_000), 2000);
    // 0 → 2/s over 10 s: Λ(t) = t²/10, so 10 arrivals by t = 10 s.
    assert.ok(Math.abs(linearInverse(10, 0, 2, 10_000) - 10_000) < 1e-6);
    // 2 → 0/s over 10 s: Λ(10 s) = 10.
    assert.ok(Math.abs(linearInverse(10, 2, 0, 10_000) - 10_000) < 1e-3);
  });

  it('refuses a schedule too long to hold before generating it', () => {
    assert.throws(() => buildSchedule('poisson', { ...base, ratePerSec: 100_000, durationMs: 3_600_000 }), (e: unknown) => e instanceof ConfigError && /LLM_RATE/.test(e.message));
  });

  it('trace without records names LLM_TRACE', () => {
    assert.throws(() => buildSchedule('trace', base), /LLM_TRACE/);
  });
});
