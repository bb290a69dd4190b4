// Real k6 runs of dist/ramp.js against the mock's capacity model (4 decode
// slots): short ramps (about 20 s each) that must find the knee where the
// mock's capacity puts it, as a concurrency and as a request rate, and a
// ramp the stop rule ends early that still writes its report. Bounds are the
// issue's (± one level for the saturation point, exact SLO limit); timing
// margins are wide so a busy machine cannot make them flake.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runWorkload, startMock } from './harness.ts';
import type { MockServer } from '../../tools/mock-server/server.ts';
import type { RampReport } from '../../src/ramp/ramp-report.ts';

// Service time at a full batch ≈ 60 + ~25 (prefill) + 23 × 8 × 1.06 ≈ 280 ms:
// 4 slots serve ≈ 14 requests/s. Alone, TTFT ≈ 85 ms; one request waiting
// for a slot adds a whole service time.
const MOCK = ['--slots', '4', '--ttft-ms', '60', '--itl-ms', '8', '--output-tokens', '24', '--prefill-ms-per-token', '1', '--batch-slowdown', '0.02'];
const LEVEL = { LLM_LEVEL_DURATION: '4s', LLM_WARMUP: '1s' };

function rampReport(outDir: string): RampReport {
  const path = join(outDir, 'ramp.json');
  assert.ok(existsSync(path), `ramp.json written in ${outDir}`);
  return JSON.parse(readFileSync(path, 'utf8')) as RampReport;
}

function levelsAround(levels: number[], expected: number): number[] {
  const i = levels.indexOf(expected);
  return levels.slice(Math.max(0, i - 1), i + 2);
}

describe('ramp against the mock with 4 decode slots', () => {
  let mock: { server: MockServer; url: string };
  let slo: string;
  let closedRate: number;
  before(async () => {
    mock = await startMock(MOCK);
    // TTFT p95 < 150 ms holds while every request gets a slot at once (≈ 85 ms), not once any waits (≥ 300 ms).
    slo = join(process.env.TMPDIR ?? '/tmp', `k6-llm-ramp-slo-${process.pid}.json`);
    writeFileSync(slo, JSON.stringify({ thresholds: { llm_ttft: ['p(95)<150'], llm_request_success: ['rate>0.99'] } }));
  });
  after(async () => {
    rmSync(slo, { force: true });
    await mock.server.close();
  });

  test('concurrency ramp 1…16: saturation at 4 (± one level), SLO limit 4, TTFT p95 jumps above 4', async () => {
    const levels = [1, 2, 4, 8, 16];
    // At 16 streams TTFT p95 is ≈ 9 × the SLO: a factor of 20 keeps the stop rule quiet for this run.
    const res = await runWorkload('ramp', { LLM_BASE_URL: mock.url, LLM_LEVELS: levels.join(','), LLM_THRESHOLDS: slo, LLM_STOP_TTFT_FACTOR: '20', ...LEVEL });
    assert.equal(res.code, 0, res.stderr + res.stdout);
    const r = rampReport(res.outDir);
    assert.deepEqual(r.levels.map((l) => l.level), levels);
    for (const l of r.levels) {
      assert.ok(l.complete && l.requests >= 8, `level ${l.level} measured ${l.requests} requests`);
      assert.equal(l.successRate, 1, `level ${l.level} success`);
    }
    assert.ok(levelsAround(levels, 4).includes(r.saturationPoint.level as number), `saturation at ${r.saturationPoint.level}: ${r.saturationPoint.reason}`);
    assert.equal(r.saturationPoint.concurrency, r.saturationPoint.level);
    assert.equal(r.sloLimit.level, 4, `SLO limit: ${JSON.stringify(r.sloLimit)}`);
    assert.equal(r.sloLimit.firstFailingLevel, 8);
    const p95 = (level: number): number => r.levels.find((l) => l.level === level)?.ttftMs?.p95 as number;
    assert.ok(p95(4) < 150, `TTFT p95 at 4: ${p95(4)}`);
    assert.ok(p95(8) > 2 * p95(4) && p95(16) > p95(8), `TTFT p95 jumps: ${p95(4)} → ${p95(8)} → ${p95(16)}`);
    // Throughput doubles up to the slots, then stays flat.
    const tput = (level: number): number => r.levels.find((l) => l.level === level)?.outputTokensPerSecond as number;
    assert.ok(tput(4) > 1.6 * tput(2), `throughput 2 → 4: ${tput(2)} → ${tput(4)}`);
    assert.ok(Math.abs(tput(16) / tput(4) - 1) < 0.1, `throughput 4 → 16: ${tput(4)} → ${tput(16)}`);
    closedRate = r.levels.find((l) => l.level === 4)?.requestRate as number;
    for (const file of ['ramp.html', 'ramp-overview.svg', 'ramp-throughput.svg', 'ramp-ttft.svg', 'ramp-token-rate.svg', 'llm-summary.json']) {
      assert.ok(existsSync(join(res.outDir, file)), file);
    }
    assert.match(res.stdout, /saturation point: \d+ streams/);
    assert.match(res.stdout, /SLO limit: 4 streams/);
  });

  test('rate ramp: the same capacity as a request rate, consistent with the service time', async () => {
    const levels = [4, 8, 12, 16, 24];
    const res = await runWorkload('ramp', {
      LLM_BASE_URL: mock.url,
      LLM_RAMP_BY: 'rate',
      LLM_LEVELS: levels.join(','),
      LLM_THRESHOLDS: slo,
      LLM_STOP_TTFT_FACTOR: '20',
      ...LEVEL,
    });
    assert.equal(res.code, 0, res.stderr + res.stdout);
    const r = rampReport(res.outDir);
    assert.equal(r.rampBy, 'rate');
    // 4 slots / ≈ 0.28 s ≈ 14 requests/s: the knee is at 16/s (12 and 24 are one level off).
    const sat = r.saturationPoint;
    assert.ok(levelsAround(levels, 16).includes(sat.level as number), `saturation at ${sat.level}/s: ${sat.reason}`);
    const peak = Math.max(...r.levels.map((l) => l.requestRate ?? 0));
    // The concurrency ramp measured the same mock's capacity as its request rate at 4 streams.
    const reference = closedRate ?? 14;
    assert.ok(Math.abs(peak / reference - 1) < 0.15, `peak ${peak.toFixed(2)}/s vs ${reference.toFixed(2)}/s at 4 streams`);
    assert.ok(peak > 11 && peak < 17, `peak ${peak.toFixed(2)}/s vs ≈ 14/s from the mock's service time`);
    assert.ok((sat.concurrency as number) > 2, `achieved concurrency at saturation ${sat.concurrency}`);
    // Below capacity the SLO holds; at 24/s the queue grows without end.
    assert.ok((r.sloLimit.level as number) >= 8 && (r.sloLimit.level as number) <= 16, `SLO limit ${r.sloLimit.level}/s`);
    assert.ok((r.levels[4]?.ttftMs?.p95 as number) > 500, `TTFT p95 at 24/s ${r.levels[4]?.ttftMs?.p95}`);
  });
});

describe('ramp stop rule', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    // 2 slots and no queue: past 2 streams, every request beyond the two in service is refused at once.
    mock = await startMock(['--slots', '2', '--max-concurrent', '2', '--ttft-ms', '60', '--itl-ms', '8', '--output-tokens', '24']);
  });
  after(async () => mock.server.close());

  test('stops after the first level whose error rate is past the rule, and still writes the report', async () => {
    const res = await runWorkload('ramp', { LLM_BASE_URL: mock.url, LLM_LEVELS: '1,2,4,8,16', LLM_LEVEL_DURATION: '3s', LLM_WARMUP: '1s' });
    // k6 aborts on the failed abortOnFail threshold: exit 99.
    assert.equal(res.code, 99, res.stderr);
    const r = rampReport(res.outDir);
    assert.equal(r.stop.firedAtLevel, 4, JSON.stringify(r.stop));
    assert.ok(r.stop.breaches.some((b) => b.level === 4 && b.threshold === 'rate>=0.5' && (b.measured as number) < 0.5));
    assert.ok(r.stop.skippedLevels.includes(16) && r.stop.skippedLevels.includes(8), `skipped ${r.stop.skippedLevels}`);
    // It stopped within a few seconds of level 4's end (9 s), far before the planned 16 s.
    assert.ok((r.testRunDurationMs as number) < 13_000, `ran ${r.testRunDurationMs} ms`);
    assert.ok((r.levels[2]?.errors.http_429 ?? 0) > 0);
    assert.equal(r.sloLimit.level, 2);
    for (const file of ['ramp.html', 'ramp-overview.svg', 'llm-summary.json']) assert.ok(existsSync(join(res.outDir, file)), file);
    assert.match(readFileSync(join(res.outDir, 'ramp.html'), 'utf8'), /Stopped early/);
    assert.match(res.stdout, /STOPPED by the stop rule after 4 streams/);
  });
});
