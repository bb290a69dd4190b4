// The regression verdict on synthetic samples whose truth is known:
// identical distributions give no detectable change, shifts beyond the
// tolerance regress, within it they do not; the intervals cover the true
// difference at their stated confidence (by simulation, seeded).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom, type Random } from '../../../src/random.ts';
import type { RegressionRow } from '../../../src/summary/schema.ts';
import type { Block, WorkloadSample } from '../../../tools/baseline/blocks.ts';
import { compare, MIN_TAIL_SAMPLES, parseTolerance, resamplesFor, type CompareOptions } from '../../../tools/baseline/compare.ts';

interface Shape {
  requests: number;
  blocks?: number;
  /** A request's TTFT; `offset` is its window's own offset (shared by the window's requests). */
  ttft: (r: Random, offset: number) => number;
  /** Each window's offset (ms); 0 without dependence between a window's requests. */
  windowOffset?: (r: Random) => number;
  /** Share of requests that succeed. */
  success?: number;
  /** Output tokens per request; 0 leaves the token rate at 0 (not judged). */
  tokens?: number;
  /** Whether requests carry TPOT, E2E and ITL too. */
  full?: boolean;
  /** Window length (ms). */
  windowMs?: number;
}

/** A workload sample drawn from a known distribution, requests spread evenly over the windows. */
function sample(random: Random, s: Shape): WorkloadSample {
  const k = s.blocks ?? 20;
  const blocks: Block[] = Array.from({ length: k }, () => ({ run: 0, ms: s.windowMs ?? 1000, succeeded: 0, failed: 0, outputTokens: 0, ttftMs: [], ttfoMs: [], itlMs: [], tpotMs: [], e2eMs: [] }));
  const offsets = blocks.map(() => (s.windowOffset ? s.windowOffset(random) : 0));
  for (let i = 0; i < s.requests; i++) {
    const b = i % k;
    const block = blocks[b] as Block;
    const ttft = s.ttft(random, offsets[b] as number);
    block.ttftMs.push(ttft);
    block.ttfoMs.push(ttft);
    if (random() < (s.success ?? 1)) block.succeeded++;
    else block.failed++;
    block.outputTokens += s.tokens ?? 0;
    if (s.full) {
      block.tpotMs.push(20 + random());
      block.e2eMs.push(ttft + 300 + random() * 10);
      for (let j = 0; j < 4; j++) block.itlMs.push(20 + random() * 2);
    }
  }
  return { blocks, requests: s.requests, kept: 1, keptItl: 1 };
}

const exponential = (r: Random, mean: number): number => -Math.log(1 - r()) * mean;
const options: CompareOptions = { tolerance: 0.1, tolerances: {}, minSamples: 30, confidence: 0.95 };
const row = (rows: RegressionRow[], figure: string): RegressionRow => {
  const found = rows.find((r) => r.figure === figure);
  assert.ok(found, `a ${figure} row`);
  return found;
};

test('identical distributions: no detectable change, every interval around 0', () => {
  const r = seededRandom(1);
  const shape: Shape = { requests: 2000, ttft: (x) => 100 + exponential(x, 10), tokens: 50, full: true };
  const result = compare({ chat: sample(r, shape) }, { chat: sample(r, shape) }, options);
  for (const x of result.rows) {
    if (x.verdict === 'inconclusive') continue;
    assert.equal(x.verdict, 'no detectable change', `${x.figure}: ${JSON.stringify(x)}`);
    const [lo, hi] = x.changeInterval as [number, number];
    assert.ok(lo <= 0 && hi >= 0, `${x.figure} interval ${lo}..${hi}`);
  }
  // ttfo_p95 repeats ttft_p95 exactly (no reasoning): left out, not judged twice.
  assert.equal(result.rows.find((x) => x.figure === 'ttfo_p95'), undefined);
  assert.equal(result.judged, result.rows.filter((x) => x.verdict !== 'inconclusive').length);
  assert.equal(result.figureConfidence, 1 - 0.05 / result.judged);
  assert.equal(result.resamples, resamplesFor(result.figureConfidence));
});

test('TTFT 20 % higher: ttft_p50 regressed, its interval around +20 %; throughput untouched', () => {
  const r = seededRandom(2);
  const base = sample(r, { requests: 2000, ttft: (x) => 100 + exponential(x, 10), tokens: 50 });
  const cur = sample(r, { requests: 2000, ttft: (x) => 1.2 * (100 + exponential(x, 10)), tokens: 50 });
  const rows = compare({ chat: base }, { chat: cur }, options).rows;
  const p50 = row(rows, 'ttft_p50');
  assert.equal(p50.verdict, 'regressed');
  const [lo, hi] = p50.changeInterval as [number, number];
  assert.ok(lo > 0.1 && lo < 0.2 && hi > 0.2 && hi < 0.3, `${lo}..${hi}`);
  assert.ok((p50.difference as number) > 18 && (p50.difference as number) < 24, String(p50.difference));
  assert.equal(row(rows, 'aggregate_output_tokens_per_second').verdict, 'no detectable change');
});

test('the tolerance decides: a 5 % rise is within 10 % (but shown as worse), beyond 0 %; 20 % lower is an improvement', () => {
  const r = seededRandom(3);
  const base = sample(r, { requests: 3000, ttft: (x) => 100 + x() * 4 });
  const cur = sample(r, { requests: 3000, ttft: (x) => 1.05 * (100 + x() * 4) });
  const within = row(compare({ chat: base }, { chat: cur }, options).rows, 'ttft_p50');
  assert.equal(within.verdict, 'no detectable change');
  assert.equal(within.note, 'worse, within the tolerance');
  assert.equal(row(compare({ chat: base }, { chat: cur }, { ...options, tolerances: { ttft_p50: 0 } }).rows, 'ttft_p50').verdict, 'regressed');
  assert.equal(row(compare({ chat: base }, { chat: cur }, { ...options, tolerances: { ttft_p50: 0.04 } }).rows, 'ttft_p50').verdict, 'regressed');
  const faster = sample(r, { requests: 3000, ttft: (x) => 0.8 * (100 + x() * 4) });
  assert.equal(row(compare({ chat: base }, { chat: faster }, options).rows, 'ttft_p50').verdict, 'improved');
});

test('a noisy figure whose point estimate is beyond the tolerance but whose interval is not: no regression, "not surely"', () => {
  const r = seededRandom(4);
  // Heavy window-to-window noise: the p95 moves a lot between runs.
  const shape = (scale: number): Shape => ({ requests: 400, ttft: (x, off) => scale * (100 + off + exponential(x, 20)), windowOffset: (x) => exponential(x, 30) });
  const rows = compare({ chat: sample(r, shape(1)) }, { chat: sample(r, shape(1.15)) }, options).rows;
  const p95 = row(rows, 'ttft_p95');
  assert.ok((p95.change as number) > 0.1, `change ${p95.change}`);
  assert.equal(p95.verdict, 'no detectable change');
  assert.match(p95.note, /not surely beyond the tolerance|could be worse/);
});

test('throughput and success rate are higher-is-better', () => {
  const r = seededRandom(5);
  const base = sample(r, { requests: 2000, ttft: () => 100, tokens: 50, success: 1 });
  const cur = sample(r, { requests: 2000, ttft: () => 100, tokens: 40, success: 0.85 });
  const rows = compare({ chat: base }, { chat: cur }, options).rows;
  assert.equal(row(rows, 'aggregate_output_tokens_per_second').verdict, 'regressed');
  const s = row(rows, 'success_rate');
  assert.equal(s.verdict, 'regressed');
  const [lo, hi] = s.differenceInterval as [number, number];
  assert.ok(lo < -0.15 && hi > -0.15 && hi < -0.1, `${lo}..${hi}`);
  const better = compare({ chat: cur }, { chat: base }, options).rows;
  assert.equal(row(better, 'aggregate_output_tokens_per_second').verdict, 'improved');
  assert.equal(row(better, 'success_rate').verdict, 'improved');
});

test('too few samples, or too few beyond a percentile, is inconclusive, never a regression; a missing workload fails', () => {
  const r = seededRandom(6);
  const small = compare({ chat: sample(r, { requests: 20, ttft: () => 100 }) }, { chat: sample(r, { requests: 20, ttft: () => 300 }) }, options).rows;
  assert.ok(small.every((x) => x.verdict === 'inconclusive'), JSON.stringify(small.map((x) => x.verdict)));
  assert.equal(row(small, 'ttft_p50').note, 'too few samples (20 < 30)');
  const mid = compare({ chat: sample(r, { requests: 500, ttft: () => 100 }) }, { chat: sample(r, { requests: 500, ttft: () => 300 }) }, options).rows;
  assert.equal(row(mid, 'ttft_p50').verdict, 'regressed');
  assert.equal(row(mid, 'ttft_p99').verdict, 'inconclusive');
  assert.equal(row(mid, 'ttft_p99').note, `too few samples above p99 (5 of 500; needs ${MIN_TAIL_SAMPLES})`);
  const gone = compare({ chat: sample(r, { requests: 500, ttft: () => 100 }) }, {}, options).rows;
  assert.equal(row(gone, 'ttft_p50').verdict, 'missing');
});

test('a tail whose worsening a starved load generator could account for is inconclusive, not regressed; the median is still judged', () => {
  const r = seededRandom(8);
  const base = sample(r, { requests: 2000, ttft: (x) => 100 + 4 * x() });
  // Everything 3 ms later: the tail worsens by about 3 ms, within the 5 ms the current run's tails may read high.
  const cur = sample(r, { requests: 2000, ttft: (x) => 103 + 4 * x() });
  const strict = { ...options, tolerance: 0 };
  assert.equal(row(compare({ chat: base }, { chat: cur }, strict).rows, 'ttft_p95').verdict, 'regressed');
  const doubted = compare({ chat: base }, { chat: cur }, strict, { baselineMs: 0, currentMs: 5 }).rows;
  const p95 = row(doubted, 'ttft_p95');
  assert.equal(p95.verdict, 'inconclusive');
  assert.match(p95.note, /^worse by at least \d\.\d+ ms, no more than the 5 ms its tail may read high: the load generator was short of CPU in the current run$/);
  assert.equal(row(doubted, 'ttft_p50').verdict, 'regressed');
  // A worsening beyond what the generator may add stands.
  assert.equal(row(compare({ chat: base }, { chat: cur }, strict, { baselineMs: 0, currentMs: 1 }).rows, 'ttft_p95').verdict, 'regressed');
  // The baseline's late reads make an improvement doubtful, not a regression.
  assert.equal(row(compare({ chat: base }, { chat: cur }, strict, { baselineMs: 5, currentMs: 0 }).rows, 'ttft_p95').verdict, 'regressed');
  assert.equal(row(compare({ chat: cur }, { chat: base }, strict, { baselineMs: 5, currentMs: 0 }).rows, 'ttft_p95').verdict, 'inconclusive');
});

test('the same inputs give the same intervals (seeded)', () => {
  const make = () => {
    const r = seededRandom(7);
    return [sample(r, { requests: 800, ttft: (x) => 100 + exponential(x, 10) }), sample(r, { requests: 800, ttft: (x) => 104 + exponential(x, 10) })] as const;
  };
  const [a1, b1] = make();
  const [a2, b2] = make();
  assert.deepEqual(compare({ chat: a1 }, { chat: b1 }, options), compare({ chat: a2 }, { chat: b2 }, options));
});

/**
 * Coverage by simulation: `runs` seeded pairs of samples from known
 * distributions; the share of pairs whose interval holds the true relative
 * change. Only TTFT and the success rate are judged (3 figures at n = 400:
 * p50, p95 and success; p99 has too few samples above it), so confidence
 * 1 − 3 × 0.05 puts each interval at 95 %.
 */
function coverage(runs: number, base: Shape, cur: Shape, truth: Record<string, number>, as: (s: WorkloadSample) => WorkloadSample = (s) => s): Record<string, number> {
  const hits: Record<string, number> = Object.fromEntries(Object.keys(truth).map((k) => [k, 0]));
  const r = seededRandom(42);
  for (let i = 0; i < runs; i++) {
    const result = compare({ chat: as(sample(r, base)) }, { chat: as(sample(r, cur)) }, { ...options, confidence: 0.85 });
    assert.equal(result.judged, 3);
    assert.ok(Math.abs(result.figureConfidence - 0.95) < 1e-12);
    for (const [figure, t] of Object.entries(truth)) {
      const [lo, hi] = row(result.rows, figure).changeInterval as [number, number];
      if (lo <= t && t <= hi) hits[figure] = (hits[figure] as number) + 1;
    }
  }
  return Object.fromEntries(Object.entries(hits).map(([k, n]) => [k, n / runs]));
}

test('95 % intervals cover the true change in about 95 % of simulated pairs (independent requests; 200 pairs)', () => {
  // TTFT = 100 + Exp(mean 10) ms, then 15 % slower; success 98 % then 95 %.
  const got = coverage(
    200,
    { requests: 400, ttft: (x) => 100 + exponential(x, 10), success: 0.98 },
    { requests: 400, ttft: (x) => 1.15 * (100 + exponential(x, 10)), success: 0.95 },
    { ttft_p50: 0.15, ttft_p95: 0.15, success_rate: 0.95 / 0.98 - 1 },
  );
  for (const [figure, share] of Object.entries(got)) assert.ok(share >= 0.9 && share <= 0.99, `${figure} covered in ${share * 100} % of pairs`);
});

/** The same requests with each in a window of its own: what resampling single requests would do. */
function perRequest(s: WorkloadSample): WorkloadSample {
  const blocks = s.blocks.flatMap((b) =>
    b.ttftMs.map((v, i): Block => ({ ...b, ms: b.ms / b.ttftMs.length, succeeded: i < b.succeeded ? 1 : 0, failed: i < b.succeeded ? 0 : 1, outputTokens: 0, ttftMs: [v], ttfoMs: [v], itlMs: [], tpotMs: [], e2eMs: [] })),
  );
  return { ...s, blocks };
}

test('with requests of a window sharing an offset (dependence), the block bootstrap still covers about 95 %; resampling single requests would not (150 pairs)', () => {
  // Each window's requests share an Exp(mean 5) ms offset: the run's percentiles vary more than independent requests would say.
  const shape: Shape = { requests: 400, ttft: (x, off) => 100 + off + exponential(x, 10), windowOffset: (x) => exponential(x, 5) };
  const truth = { ttft_p50: 0, ttft_p95: 0, success_rate: 0 };
  const got = coverage(150, shape, shape, truth);
  for (const [figure, share] of Object.entries(got)) assert.ok(share >= 0.9 && share <= 1, `${figure} covered in ${share * 100} % of pairs`);
  // Fewer pairs (50): resampling 400 one-request windows costs far more per replicate.
  const naive = coverage(50, shape, shape, truth, perRequest);
  assert.ok((naive.ttft_p50 as number) < 0.85, `per-request resampling covered ttft_p50 in ${(naive.ttft_p50 as number) * 100} % of pairs`);
});

test('tolerances parse as percent or fraction', () => {
  assert.equal(parseTolerance('10%'), 0.1);
  assert.equal(parseTolerance('0.05'), 0.05);
  assert.equal(parseTolerance('ten'), null);
});
