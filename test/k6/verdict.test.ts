// The regression verdict's acceptance against the mock, on real k6 runs:
// two runs of the same mock settings give "no detectable change" in at least
// 19 of 20 repetitions, and a mock 15 % slower in TTFT is flagged regressed in
// at least 19 of 20.
//
// What the 20 repetitions are: 40 real runs would take too long here, so the
// test makes 5 real runs of 8 s (3 at TTFT 100 ms, 2 at 115 ms, interleaved)
// and cuts each into 4 chunks of disjoint requests: chunk c holds the
// requests started in every fourth 100 ms slot of the run (slots c, c + 4,
// c + 8, ...), so a chunk is a quarter of the run's requests spread over its
// whole length, as a shorter run of the same settings would be. (A contiguous
// 2 s piece would see one moment of a shared machine and compare moments, not
// runs: its 100 ms windows cannot show how the machine's state wanders over
// seconds.) Chunks of *different* runs are compared, so the run-to-run drift
// of the machine is in every comparison: 20 pairs of same-setting chunks
// (from two of the three 100 ms runs) and 20 pairs of a 100 ms chunk as the
// baseline and a 115 ms chunk as the current run. The pairs share runs, so
// they are not independent of each other. A pair's verdict is the run's:
// regressed when any figure regressed, improved when any improved and none
// regressed, else no detectable change; judged by the gate's own compare() at
// its defaults (95 %, tolerance 10 %). The CLI is checked end to end too: a
// baseline saved from two 100 ms runs passes the third and fails a 115 ms one
// (exit 97). test/long/verdict-20-pairs.long.ts measures the same on 20
// pairs of whole real runs (npm run test:long, not part of npm test).

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { protocolByName } from '../../src/protocols/index.ts';
import type { RegressionRow } from '../../src/summary/schema.ts';
import { BlockBuilder, poolSamples, type WorkloadSample } from '../../tools/baseline/blocks.ts';
import { compare } from '../../tools/baseline/compare.ts';
import { readRunSummary } from '../../tools/report/run-dir.ts';
import { readRecords } from '../../tools/merge/records.ts';
import { changeText } from '../../src/summary/regression-format.ts';
import { ROOT, runProcess, startMock } from './harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');
const CHUNKS = 4;
const ALL = { kept: 1, keptItl: 1 };
const OPTIONS = { tolerance: 0.1, tolerances: {}, minSamples: 30, confidence: 0.95 };

/** A run's requests cut into CHUNKS chunks: chunk c holds those started in the 100 ms slots c, c + CHUNKS, ... (each chunk: 20 slots, its windows). */
function chunks(dir: string): WorkloadSample[] {
  const duration = readRunSummary(dir).testRunDurationMs as number;
  const slotMs = duration / (CHUNKS * 20);
  // A chunk's own timeline is its slots end to end: BlockBuilder cuts it into the same 20 windows.
  const builders = Array.from({ length: CHUNKS }, (_, c) => new BlockBuilder(duration / CHUNKS, ALL, 0, `chunk-${c}`));
  for (const r of readRecords(join(dir, 'requests.jsonl'), protocolByName('openai-chat'), 'chat')) {
    const started = r.context?.startedMs ?? 0;
    const slot = Math.floor(started / slotMs);
    (builders[slot % CHUNKS] as BlockBuilder).add({ startedMs: Math.floor(slot / CHUNKS) * slotMs + (started - slot * slotMs), record: r.record });
  }
  return builders.map((b) => poolSamples([b], ALL));
}

/** The verdict of a comparison as a whole. */
function runVerdict(rows: readonly RegressionRow[]): string {
  if (rows.some((r) => r.verdict === 'regressed')) return 'regressed';
  if (rows.some((r) => r.verdict === 'improved')) return 'improved';
  return 'no detectable change';
}

describe('regression verdict acceptance against the mock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-verdict-'));
  const run = async (url: string, name: string) => {
    const res = await runProcess(process.execPath, [CLI, 'run', 'chat', '--url', url, '--duration', '8s', '--vus', '24', '--quiet', '--out-dir', join(dir, name)]);
    assert.equal(res.code, 0, res.stderr);
    return join(dir, name);
  };

  test('same settings: no detectable change in at least 19 of 20; 15 % slower TTFT: regressed in at least 19 of 20', async () => {
    const flags = ['--itl-ms', '5', '--output-tokens', '16'];
    const normal = await startMock(['--ttft-ms', '100', ...flags]);
    const slower = await startMock(['--ttft-ms', '115', ...flags]);
    let a: string[];
    let b: string[];
    try {
      // Interleaved, so a drift of the machine over the test touches both settings.
      a = [await run(normal.url, 'a1'), await run(slower.url, 'b1'), await run(normal.url, 'a2'), await run(slower.url, 'b2'), await run(normal.url, 'a3')];
      b = [a[1] as string, a[3] as string];
      a = [a[0] as string, a[2] as string, a[4] as string];
    } finally {
      await normal.server.close();
      await slower.server.close();
    }
    const ca = a.map(chunks);
    const cb = b.map(chunks);
    // Same settings: chunk i of run x against chunk i (then chunk i+1) of run y, x < y: 24 pairs, the first 20 kept.
    const same: [WorkloadSample, WorkloadSample, string][] = [];
    for (const shift of [0, 1]) {
      for (const [x, y] of [[0, 1], [0, 2], [1, 2]] as const) {
        for (let i = 0; i < CHUNKS; i++) same.push([ca[x]?.[i] as WorkloadSample, ca[y]?.[(i + shift) % CHUNKS] as WorkloadSample, `a${x + 1}[${i}] vs a${y + 1}[${(i + shift) % CHUNKS}]`]);
      }
    }
    // Slower: chunk i of a 100 ms run as baseline against chunk i of a 115 ms run: 24 pairs, the first 20 kept.
    const slow: [WorkloadSample, WorkloadSample, string][] = [];
    for (const [x, y] of [[0, 0], [1, 1], [2, 0], [0, 1], [1, 0], [2, 1]] as const) {
      for (let i = 0; i < CHUNKS; i++) slow.push([ca[x]?.[i] as WorkloadSample, cb[y]?.[i] as WorkloadSample, `a${x + 1}[${i}] vs b${y + 1}[${i}]`]);
    }
    const judge = (pairs: [WorkloadSample, WorkloadSample, string][]) =>
      pairs.slice(0, 20).map(([base, cur, name]) => {
        const rows = compare({ chat: base }, { chat: cur }, OPTIONS).rows;
        const p50 = rows.find((r) => r.figure === 'ttft_p50');
        return { name, verdict: runVerdict(rows), p50: p50 ? `${changeText(p50)} ${p50.verdict}` : '-', rows };
      });
    const sameResults = judge(same);
    const slowResults = judge(slow);
    const count = (results: { verdict: string }[], verdict: string) => results.filter((r) => r.verdict === verdict).length;
    // The counts and intervals, for the closing note.
    for (const r of [...sameResults, ...slowResults]) console.log(`${r.name}: ${r.verdict}; ttft_p50 ${r.p50}`);
    const noChange = count(sameResults, 'no detectable change');
    const regressed = count(slowResults, 'regressed');
    console.log(`same settings: no detectable change in ${noChange} of 20; 15 % slower: regressed in ${regressed} of 20`);
    const what = (results: typeof sameResults) =>
      results.map((r) => `${r.name} ${r.verdict} ${r.rows.filter((x) => x.verdict === 'regressed' || x.verdict === 'improved').map((x) => `${x.figure} ${changeText(x)}`).join(', ')}`).join('\n');
    assert.ok(noChange >= 19, `same settings: no detectable change in ${noChange} of 20\n${what(sameResults)}`);
    assert.ok(regressed >= 19, `15 % slower: regressed in ${regressed} of 20\n${what(slowResults)}`);
    // The slowdown is found where it is: TTFT p50, its interval around +15 %.
    assert.ok(slowResults.filter((r) => r.rows.find((x) => x.figure === 'ttft_p50')?.verdict === 'regressed').length >= 19);

    // The CLI end to end: a baseline pooled from two 100 ms runs passes the third and fails a 115 ms run.
    const baseline = join(dir, 'baseline.json');
    const save = await runProcess(process.execPath, [CLI, 'baseline', 'save', '--from', a[0] as string, '--from', a[1] as string, '--out', baseline]);
    assert.equal(save.code, 0, save.stderr);
    const pass = await runProcess(process.execPath, [CLI, 'baseline', 'compare', '--baseline', baseline, '--from', a[2] as string]);
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /baseline of 2 runs .*, current 1 run/);
    const fail = await runProcess(process.execPath, [CLI, 'baseline', 'compare', '--baseline', baseline, '--from', b[0] as string]);
    assert.equal(fail.code, 97, fail.stdout + fail.stderr);
    assert.match(fail.stdout, /chat\s+ttft_p50 .* \+1\d\.\d % \[\+1\d\.\d, \+1\d\.\d\] .* REGRESSED/);
  });
});
