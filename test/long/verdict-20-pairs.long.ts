// Acceptance of the regression verdict on whole real runs, too long for
// `npm test` (about 7 minutes; `npm run test:long`): 20 repetitions, each
// three real 4 s chat runs of the CLI against the mock, interleaved: a
// baseline and a second run at TTFT 100 ms, and one at 115 ms (15 % slower).
// Each repetition saves the baseline from its first run and gates the other
// two against it with `k6-llm baseline compare` (defaults: 95 %, tolerance
// 10 %). The same settings must give no detectable change (exit 0, no figure
// regressed or improved) in at least 19 of 20; the slower mock must be
// regressed (exit 97) in at least 19 of 20. Also printed, not asserted: the
// counts with --tolerance 0%, where any statistically supported change is a
// regression, every pair's TTFT p50 interval, and the figures left
// inconclusive because a run's load generator was short of CPU.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LlmReport, RegressionRow } from '../../src/summary/schema.ts';
import { changeText } from '../../src/summary/regression-format.ts';
import { ROOT, runProcess, startMock } from '../k6/harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');
const PAIRS = 20;

test('20 pairs of real runs: same settings no detectable change in ≥ 19, 15 % slower TTFT regressed in ≥ 19', { timeout: 20 * 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-verdict-long-'));
  const flags = ['--itl-ms', '5', '--output-tokens', '16'];
  const normal = await startMock(['--ttft-ms', '100', ...flags]);
  const slower = await startMock(['--ttft-ms', '115', ...flags]);
  const run = async (url: string, name: string): Promise<string> => {
    const out = join(dir, name);
    const res = await runProcess(process.execPath, [CLI, 'run', 'chat', '--url', url, '--duration', '4s', '--vus', '24', '--quiet', '--out-dir', out], {}, 60_000);
    assert.equal(res.code, 0, res.stderr);
    return out;
  };
  const gate = async (baseline: string, current: string, tolerance: string): Promise<{ code: number; rows: RegressionRow[] }> => {
    const res = await runProcess(process.execPath, [CLI, 'baseline', 'compare', '--baseline', baseline, '--from', current, '--tolerance', tolerance]);
    assert.ok(res.code === 0 || res.code === 97, res.stdout + res.stderr);
    const summary = JSON.parse(readFileSync(join(current, 'llm-summary.json'), 'utf8')) as LlmReport;
    return { code: res.code, rows: summary.regression?.rows ?? [] };
  };
  const moved = (rows: RegressionRow[]): RegressionRow[] => rows.filter((r) => r.verdict === 'regressed' || r.verdict === 'improved');
  const p50 = (rows: RegressionRow[]): string => {
    const r = rows.find((x) => x.figure === 'ttft_p50');
    return r ? `${changeText(r)} ${r.verdict}` : '-';
  };
  const starved = (...sets: RegressionRow[][]): string =>
    sets.flat().filter((r) => r.verdict === 'inconclusive' && r.note.includes('short of CPU')).map((r) => `${r.figure} ${changeText(r)} inconclusive`).join(', ');
  let noChange = 0;
  let regressed = 0;
  let noChangeAt0 = 0;
  let regressedAt0 = 0;
  try {
    for (let i = 1; i <= PAIRS; i++) {
      const base = await run(normal.url, `base-${i}`);
      const same = await run(normal.url, `same-${i}`);
      const slow = await run(slower.url, `slow-${i}`);
      const baseline = join(dir, `baseline-${i}.json`);
      const save = await runProcess(process.execPath, [CLI, 'baseline', 'save', '--from', base, '--out', baseline]);
      assert.equal(save.code, 0, save.stderr);
      // Tolerance 0 first: the default's run is the one whose reports keep the gate.
      const same0 = await gate(baseline, same, '0%');
      const slow0 = await gate(baseline, slow, '0%');
      const sameGate = await gate(baseline, same, '10%');
      const slowGate = await gate(baseline, slow, '10%');
      if (sameGate.code === 0 && moved(sameGate.rows).length === 0) noChange++;
      if (slowGate.code === 97) regressed++;
      if (same0.code === 0 && moved(same0.rows).length === 0) noChangeAt0++;
      if (slow0.code === 97) regressedAt0++;
      console.log(
        `pair ${i}: same ${sameGate.code === 0 && moved(sameGate.rows).length === 0 ? 'no detectable change' : `CHANGED (${moved(sameGate.rows).map((r) => `${r.figure} ${changeText(r)} ${r.verdict}`).join(', ')})`}, ttft_p50 ${p50(sameGate.rows)}` +
          ` | slower ${slowGate.code === 97 ? 'regressed' : 'NOT REGRESSED'}, ttft_p50 ${p50(slowGate.rows)}` +
          ` | at tolerance 0: same ${moved(same0.rows).map((r) => `${r.figure} ${r.verdict}`).join(', ') || 'no detectable change'}; slower ${slow0.code === 97 ? 'regressed' : 'not regressed'}` +
          `${starved(sameGate.rows, slowGate.rows) ? ` | starved generator: ${starved(sameGate.rows, slowGate.rows)}` : ''}`,
      );
    }
  } finally {
    await normal.server.close();
    await slower.server.close();
  }
  console.log(`same settings: no detectable change in ${noChange} of ${PAIRS}; 15 % slower TTFT: regressed in ${regressed} of ${PAIRS} (tolerance 10 %)`);
  console.log(`at tolerance 0: same settings no detectable change in ${noChangeAt0} of ${PAIRS}; slower regressed in ${regressedAt0} of ${PAIRS}`);
  assert.ok(noChange >= 19, `no detectable change in ${noChange} of ${PAIRS}`);
  assert.ok(regressed >= 19, `regressed in ${regressed} of ${PAIRS}`);
});
