// run --instances N and merge on real k6 against the mock: 2 and 4 instances
// of chat (closed pool and open arrivals) and realtime, each k6 beside its
// own stream meter as one execution segment. The merged TTFT and ITL
// percentiles must equal, to the sample, those of the union of the
// instances' raw records, computed here from the records files without the
// project's measurement code; each instance's own k6 summary must equal its
// records' figures too (the records are what k6 measured). Exit codes 0 / 99
// with a passing and a failing SLO judged on the merged figures.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Percentiles } from '../../src/k6-summary-data.ts';
import type { RampReport } from '../../src/ramp/ramp-report.ts';
import type { LlmReport } from '../../src/summary/schema.ts';
import { k6, ROOT, runProcess, startMock } from './harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');

/** k6's Trend percentile (TrendSink.P), written out again: sorted[floor(i)] + (sorted[ceil(i)] − sorted[floor(i)]) · frac(i), i = q·(n − 1). */
function percentile(sorted: number[], q: number): number {
  const i = q * (sorted.length - 1);
  const lo = sorted[Math.floor(i)] as number;
  return lo + ((sorted[Math.ceil(i)] as number) - lo) * (i - Math.floor(i));
}

interface RawLine {
  status: number;
  errorKind: string;
  times: number[];
  data: string[];
  fast: number[];
}

/**
 * TTFT and ITL samples straight from a records file: a token event is one
 * the meter flagged as a plain token, or whose data carries non-empty
 * content; TTFT is the first one's time, ITL the gaps between them. Only
 * complete 200 streams (the mock sends no failures here).
 */
function rawSamples(path: string): { ttft: number[]; itl: number[] } {
  const ttft: number[] = [];
  const itl: number[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as RawLine;
    if (r.status !== 200 || r.errorKind !== '') continue;
    const tokens = r.times.filter((_, i) => r.fast[i] === 1 || /"content":"[^"]/.test(r.data[i] ?? ''));
    if (tokens.length === 0) continue;
    ttft.push(tokens[0] as number);
    for (let i = 1; i < tokens.length; i++) itl.push((tokens[i] as number) - (tokens[i - 1] as number));
  }
  return { ttft, itl };
}

function expectFigures(actual: Percentiles | null, samples: number[], what: string): void {
  const sorted = [...samples].sort((a, b) => a - b);
  assert.ok(actual, `${what}: measured`);
  assert.equal(actual.count, sorted.length, `${what} count`);
  for (const [key, q] of [['p50', 0.5], ['p90', 0.9], ['p95', 0.95], ['p99', 0.99]] as const) {
    assert.equal(actual[key], percentile(sorted, q), `${what} ${key}`);
  }
  assert.equal(actual.min, sorted[0], `${what} min`);
  assert.equal(actual.max, sorted[sorted.length - 1], `${what} max`);
}

const readReport = (dir: string): LlmReport => JSON.parse(readFileSync(join(dir, 'llm-summary.json'), 'utf8')) as LlmReport;

describe('run --instances and merge on real k6', () => {
  let mock: Awaited<ReturnType<typeof startMock>>;
  const root = mkdtempSync(join(tmpdir(), 'k6-llm-merge-k6-'));
  before(async () => {
    mock = await startMock(['--ttft-ms', '60', '--itl-ms', '8', '--output-tokens', '12', '--jitter-ms', '5', '--seed', '7']);
  });
  after(async () => {
    await mock.server.close();
  });

  const run = (workload: string, instances: number, flags: string[], name: string) =>
    runProcess(process.execPath, [CLI, 'run', workload, '--url', mock.url, '--model', 'm', '--quiet', '--instances', String(instances), '--out-dir', join(root, name), ...flags], { K6_BINARY: k6() }, 180_000);

  const cases: [string, string, number, string[]][] = [
    ['chat closed', 'chat', 2, ['--vus', '4', '--duration', '3s']],
    ['chat closed', 'chat', 4, ['--vus', '8', '--duration', '3s']],
    ['chat open arrivals', 'chat', 2, ['--rate', '8', '--vus', '6', '--duration', '3s']],
    ['chat open arrivals', 'chat', 4, ['--rate', '8', '--vus', '8', '--duration', '3s']],
    ['realtime', 'realtime', 2, ['--rate', '8', '--vus', '6', '--duration', '3s']],
    ['realtime', 'realtime', 4, ['--rate', '8', '--vus', '8', '--duration', '3s']],
  ];
  for (const [what, workload, n, flags] of cases) {
    it(`${what}, ${n} instances: merged TTFT and ITL percentiles are the union's, to the sample`, async () => {
      const name = `${workload}-${n}-${flags.includes('--rate') ? 'open' : 'closed'}`;
      const res = await run(workload, n, flags, name);
      const out = join(root, name);
      assert.equal(res.code, 0, res.stderr);
      const dirs = readdirSync(out).filter((d) => d.startsWith('instance-')).sort();
      assert.deepEqual(dirs, Array.from({ length: n }, (_, i) => `instance-${i}`));
      const ttft: number[] = [];
      const itl: number[] = [];
      for (const d of dirs) {
        const raw = rawSamples(join(out, d, 'requests.jsonl'));
        // The records are what this instance's k6 measured: its own summary has exactly their figures.
        const own = readReport(join(out, d)).workloads[workload];
        expectFigures(own?.ttftMs ?? null, raw.ttft, `${d} k6 TTFT`);
        expectFigures(own?.itlMs ?? null, raw.itl, `${d} k6 ITL`);
        ttft.push(...raw.ttft);
        itl.push(...raw.itl);
      }
      assert.ok(ttft.length >= n, `every instance sent requests (${ttft.length} TTFTs)`);
      const merged = readReport(out);
      expectFigures(merged.workloads[workload]?.ttftMs ?? null, ttft, 'merged TTFT');
      expectFigures(merged.workloads[workload]?.itlMs ?? null, itl, 'merged ITL');
      assert.equal(merged.merge?.instances.length, n);
      assert.match(res.stdout, new RegExp(`merged from ${n} instances`));
    });
  }

  it('reasoning, 2 instances: merged TTFT and TTFO are the union\'s, to the sample; reasoning and answer tokens the instances\' sums', async () => {
    const reasoning = await startMock(['--ttft-ms', '60', '--itl-ms', '8', '--output-tokens', '12', '--reasoning-tokens', '4', '--seed', '9']);
    try {
      const out = join(root, 'reasoning-2');
      const res = await runProcess(
        process.execPath,
        [CLI, 'run', 'chat', '--url', reasoning.url, '--model', 'm', '--quiet', '--instances', '2', '--out-dir', out, '--vus', '4', '--duration', '3s'],
        { K6_BINARY: k6() },
        180_000,
      );
      assert.equal(res.code, 0, res.stderr);
      const first = { ttft: [] as number[], ttfo: [] as number[] };
      let reasoningTokens = 0;
      let answerTokens = 0;
      for (const d of ['instance-0', 'instance-1']) {
        // Straight from the records: TTFT at the first reasoning or answer delta, TTFO at the first answer delta.
        for (const line of readFileSync(join(out, d, 'requests.jsonl'), 'utf8').split('\n')) {
          if (line.trim() === '') continue;
          const r = JSON.parse(line) as RawLine;
          if (r.status !== 200 || r.errorKind !== '') continue;
          const at = (test: RegExp) => r.times.find((_, i) => r.fast[i] === 1 || test.test(r.data[i] ?? ''));
          const ttft = at(/"(reasoning_)?content":"[^"]/);
          const ttfo = at(/"content":"[^"]/);
          if (ttft !== undefined) first.ttft.push(ttft);
          if (ttfo !== undefined) first.ttfo.push(ttfo);
        }
        const own = readReport(join(out, d)).workloads.chat;
        reasoningTokens += own?.reasoningTokens ?? 0;
        answerTokens += own?.answerTokens ?? 0;
      }
      const merged = readReport(out).workloads.chat;
      expectFigures(merged?.ttftMs ?? null, first.ttft, 'merged TTFT');
      expectFigures(merged?.ttfoMs ?? null, first.ttfo, 'merged TTFO');
      // Four reasoning tokens 8 ms apart come first: the answer starts 32 ms after the first output.
      assert.ok(merged?.ttfoMs && merged.ttftMs && Math.abs(merged.ttfoMs.p50 - merged.ttftMs.p50 - 32) < 2, `TTFT p50 ${merged?.ttftMs?.p50}, TTFO p50 ${merged?.ttfoMs?.p50}`);
      assert.ok(reasoningTokens > 0);
      assert.equal(merged?.reasoningTokens, reasoningTokens);
      assert.equal(merged?.answerTokens, answerTokens);
      assert.equal(merged?.reasoningTokensEstimated, 0, 'the mock reports reasoning tokens in usage');
    } finally {
      await reasoning.server.close();
    }
  });

  // The ramp split over 2 instances: each runs its share of every level (half the
  // streams, or half the arrivals); the merged ramp.json's levels are built from
  // every instance's records, each request placed by its end in its level's phases.
  for (const [by, levels] of [['concurrency', '2,4'], ['rate', '6,12']] as const) {
    it(`ramp by ${by}, 2 instances: each level's steady window holds the union's requests, TTFT percentiles to the sample`, async () => {
      const name = `ramp-${by}-2`;
      const res = await run('ramp', 2, ['--ramp-by', by, '--levels', levels, '--level-duration', '3s', '--warmup', '1s', '--thresholds', 'none'], name);
      const out = join(root, name);
      assert.equal(res.code, 0, res.stderr);
      const merged = JSON.parse(readFileSync(join(out, 'ramp.json'), 'utf8')) as RampReport;
      const steady = new Map<string, number[]>();
      let ownRequests = [0, 0];
      for (const d of ['instance-0', 'instance-1']) {
        for (const line of readFileSync(join(out, d, 'requests.jsonl'), 'utf8').split('\n')) {
          if (line.trim() === '') continue;
          const r = JSON.parse(line) as RawLine & { endMs: number; ctx: { l: string; le: number } };
          if (r.errorKind === 'canceled') continue;
          const end = r.ctx.le + r.endMs;
          // Steady: ended between the warm-up (1 s) and the level's end (3 s), as k6 tags it.
          if (end < 1000 || end > 3000) continue;
          const tokens = r.times.filter((_, i) => r.fast[i] === 1 || /"content":"[^"]/.test(r.data[i] ?? ''));
          const list = steady.get(r.ctx.l) ?? [];
          if (tokens.length > 0) list.push(tokens[0] as number);
          steady.set(r.ctx.l, list);
        }
        const own = JSON.parse(readFileSync(join(out, d, 'ramp.json'), 'utf8')) as RampReport;
        ownRequests = ownRequests.map((n, i) => n + (own.levels[i]?.requests ?? 0));
      }
      assert.deepEqual(merged.levels.map((l) => l.level), levels.split(',').map(Number));
      merged.levels.forEach((row, i) => {
        const ttft = (steady.get(String(row.level)) ?? []).sort((a, b) => a - b);
        assert.ok(ttft.length > 0, `level ${row.level}: requests in the steady window`);
        assert.equal(row.requests, ttft.length, `level ${row.level} requests`);
        assert.equal(row.ttftMs?.count, ttft.length);
        assert.equal(row.ttftMs?.p50, percentile(ttft, 0.5), `level ${row.level} TTFT p50`);
        assert.equal(row.ttftMs?.p99, percentile(ttft, 0.99), `level ${row.level} TTFT p99`);
        assert.equal(row.ttftMs?.max, ttft[ttft.length - 1]);
        // Each instance's k6 tagged the same requests by its own clock: a request ending within a
        // millisecond of a phase boundary may fall on the other side there.
        assert.ok(Math.abs(row.requests - (ownRequests[i] as number)) <= 2, `level ${row.level}: merged ${row.requests}, instances' own ${ownRequests[i]}`);
        assert.equal(row.complete, true);
        assert.equal(row.successRate, 1);
      });
      if (by === 'concurrency') {
        // Half the streams on each instance, all of them together: each level's achieved concurrency is its level.
        for (const row of merged.levels) assert.ok(Math.abs((row.achievedConcurrency as number) - row.level) < 0.15 * row.level, `level ${row.level}: achieved ${row.achievedConcurrency}`);
      } else {
        for (const row of merged.levels) assert.ok(Math.abs((row.requestRate as number) - row.level) < 0.2 * row.level, `level ${row.level}: ${row.requestRate} requests/s`);
      }
      assert.equal(merged.settings.instances, 2);
      assert.ok(existsSync(join(out, 'ramp.html')));
      assert.match(res.stdout, /saturation point/i);
    });
  }

  it('batch, 2 instances: the merged job is the sum of the instances\' shares, every item sent once, finished', async () => {
    const res = await run('batch', 2, ['--batch-size', '7', '--vus', '3', '--duration', '20s'], 'batch-2');
    assert.equal(res.code, 0, res.stderr);
    const merged = readReport(join(root, 'batch-2')).workloads.batch;
    assert.deepEqual([merged?.requests, merged?.batch?.jobSize, merged?.batch?.finished, merged?.batch?.complete], [7, 7, 7, true]);
  });

  it('Ctrl-C stops every instance once and still leaves the instances\' and the merged reports', async () => {
    const out = join(root, 'interrupted');
    let sent = false;
    const res = await runProcess(
      process.execPath,
      [CLI, 'run', 'chat', '--url', mock.url, '--model', 'm', '--quiet', '--instances', '2', '--vus', '4', '--duration', '30s', '--out-dir', out],
      { K6_BINARY: k6() },
      120_000,
      (child) => {
        // Once the mock has finished 4 streams (the instances have results to merge), one SIGINT to the CLI.
        // Not on 4 arrivals: k6 cancels in-flight requests when interrupted, so a SIGINT
        // that lands before any stream ended leaves nothing to merge (seen once in CI).
        const finished = () => {
          const s = mock.server.stats();
          return s.streams - s.activeStreams - s.aborted;
        };
        const from = finished();
        const timer = setInterval(() => {
          if (finished() - from >= 4 && !sent) {
            sent = true;
            child.kill('SIGINT');
          }
        }, 200);
        child.on('exit', () => clearInterval(timer));
      },
    );
    assert.ok(sent, 'the interrupt was sent');
    // k6's own code for a run stopped by a signal, as a single run returns it.
    assert.equal(res.code, 105, res.stderr);
    for (const d of ['instance-0', 'instance-1', '.']) assert.ok(existsSync(join(out, d, 'llm-summary.json')), `${d}/llm-summary.json`);
    assert.ok((readReport(out).workloads.chat?.requests ?? 0) > 0, res.stderr);
  });

  it('exit 0 with a passing SLO and 99 with a failing one, judged on the merged figures; `merge` on the same folders agrees', async () => {
    const pass = join(root, 'pass.json');
    const fail = join(root, 'fail.json');
    writeFileSync(pass, JSON.stringify({ thresholds: { llm_ttft: ['p(95)<5000'], llm_request_success: ['rate>0.9'] } }));
    writeFileSync(fail, JSON.stringify({ thresholds: { llm_ttft: ['p(50)<1'] } }));
    const ok = await run('chat', 2, ['--vus', '4', '--duration', '2s', '--thresholds', pass], 'slo-pass');
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await run('chat', 2, ['--vus', '4', '--duration', '2s', '--thresholds', fail], 'slo-fail');
    assert.equal(bad.code, 99, bad.stderr);
    const verdicts = readReport(join(root, 'slo-fail')).thresholds.map((t) => [t.metric, t.expression, t.verdict]);
    assert.deepEqual(verdicts, [['llm_ttft{workload:chat}', 'p(50)<1', 'fail']]);
    // The standalone command on the instance folders: same codes, and --thresholds re-judges.
    const instances = (name: string) => [0, 1].map((i) => join(root, name, `instance-${i}`));
    const again = await runProcess(process.execPath, [CLI, 'merge', ...instances('slo-fail'), '--out', join(root, 'remerged')]);
    assert.equal(again.code, 99, again.stderr);
    const relaxed = await runProcess(process.execPath, [CLI, 'merge', ...instances('slo-fail'), '--out', join(root, 'remerged-pass'), '--thresholds', pass]);
    assert.equal(relaxed.code, 0, relaxed.stderr);
    assert.ok(existsSync(join(root, 'remerged-pass', 'llm-junit.xml')));
    const broken = await runProcess(process.execPath, [CLI, 'merge', join(root, 'nowhere'), '--out', join(root, 'x')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^k6-llm: invalid instance folder .*nowhere; expected a folder of a k6-llm run/);
  });
});
