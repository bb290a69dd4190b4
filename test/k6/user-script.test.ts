// A script of one's own, in a folder outside the repository, importing only
// k6-llm: run by `k6-llm run ./my-test.ts` (bundled, a meter of its own, the
// reports written), and built by `k6-llm build` then run by plain k6 beside
// `k6-llm meter`. Against the mock: TTFT p50 within 2 ms of the mock's, the
// tokens exact. And a script that forgets setup, teardown and
// handleSummary loses no request: every failure's cause is in the summary.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import type { LlmReport } from '../../src/summary/schema.ts';
import { k6, ROOT, runProcess, startMock } from './harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');
const TTFT_MS = 120;
const TOKENS = 16;

/** A script as a user writes it: a client, a closed pool, its own threshold, and nothing else. */
const SCRIPT = `import { Client, closedUsers, llmOptions } from 'k6-llm';

const client = new Client({ workload: 'mine' });

export const options = llmOptions({
  scenarios: { mine: closedUsers({ vus: 3, duration: '4s', gracefulStop: '5s' }) },
  thresholds: { 'llm_ttft{workload:mine}': ['p(95)<1000'] },
});

export default function () {
  client.chat({ messages: [{ role: 'user', content: 'Hello ' + __VU + ' ' + __ITER }], maxTokens: 64 });
}
`;

function userFolder(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-user-'));
  writeFileSync(join(dir, 'my-test.ts'), script);
  return dir;
}

function checkFigures(report: LlmReport, workload: string): void {
  const w = report.workloads[workload];
  assert.ok(w, `the summary has workload ${workload}: ${Object.keys(report.workloads).join(', ')}`);
  assert.ok(w.requests >= 6, `requests ${w.requests}`);
  assert.equal(w.successRate, 1);
  assert.ok(w.ttftMs && Math.abs(w.ttftMs.p50 - TTFT_MS) <= 2, `TTFT p50 ${w.ttftMs?.p50} against the mock's ${TTFT_MS}`);
  assert.equal(w.outputTokens, (w.requests - w.interrupted) * TOKENS, 'tokens exact (usage reported)');
}

describe('a script of one\'s own', () => {
  test('k6-llm run ./my-test.ts: bundled, run beside its own meter, reports written', async () => {
    const mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', '5', '--output-tokens', String(TOKENS)]);
    try {
      const dir = userFolder(SCRIPT);
      const res = await runProcess(process.execPath, [CLI, 'run', './my-test.ts', '--url', mock.url, '--model', 'm', '--quiet', '--out-dir', join(dir, 'out')], {}, 120_000, undefined, dir);
      assert.equal(res.code, 0, res.stderr);
      const report = JSON.parse(readFileSync(join(dir, 'out', 'llm-summary.json'), 'utf8')) as LlmReport;
      checkFigures(report, 'mine');
      for (const f of ['llm-summary.md', 'llm-junit.xml', 'llm-report.html', 'requests.jsonl']) assert.ok(existsSync(join(dir, 'out', f)), f);
      assert.equal(mock.server.stats().requests, report.workloads.mine?.requests, 'each request counted once');
      // The bundle beside the script is gone after the run.
      assert.deepEqual(readdirSync(dir).sort(), ['my-test.ts', 'out']);
    } finally {
      await mock.server.close();
    }
  });

  test('k6-llm build, then plain k6 run beside k6-llm meter', async () => {
    const mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', '5', '--output-tokens', String(TOKENS)]);
    const dir = userFolder(SCRIPT);
    const built = await runProcess(process.execPath, [CLI, 'build', './my-test.ts', '--out', 'my-test.js'], {}, 60_000, undefined, dir);
    assert.equal(built.code, 0, built.stderr);
    const meterProcess = spawn(process.execPath, [CLI, 'meter'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: meterProcess.stdout });
        lines.once('line', (line) => (line.startsWith('LLM_METER_URL=') ? resolve(line.slice('LLM_METER_URL='.length)) : reject(new Error(line))));
      });
      const res = await runProcess(k6(), ['run', '--quiet', '-e', `LLM_BASE_URL=${mock.url}`, '-e', 'LLM_MODEL=m', 'my-test.js'], { LLM_METER_URL: url }, 120_000, undefined, dir);
      assert.equal(res.code, 0, res.stderr);
      // Plain k6: the reports go to LLM_OUT_DIR, the current folder by default.
      checkFigures(JSON.parse(readFileSync(join(dir, 'llm-summary.json'), 'utf8')) as LlmReport, 'mine');
      assert.ok(existsSync(join(dir, 'llm-summary.md')) && existsSync(join(dir, 'llm-junit.xml')));
    } finally {
      meterProcess.kill('SIGTERM');
      await mock.server.close();
    }
  });

  test('forgets setup, teardown and handleSummary, and loses no request: every failure\'s cause is counted', async () => {
    // Every request fails with a 503, so each VU's last one does too: only the summary's own settling counts its cause.
    const mock = await startMock(['--ttft-ms', '20', '--itl-ms', '2', '--output-tokens', '4', '--fault-rate', '1', '--faults', '503']);
    try {
      const paced = SCRIPT.replace("import { Client,", "import { sleep } from 'k6';\nimport { Client,").replace('maxTokens: 64 });', 'maxTokens: 64 });\n  sleep(0.1);');
      const dir = userFolder(paced);
      const res = await runProcess(process.execPath, [CLI, 'run', './my-test.ts', '--url', mock.url, '--model', 'm', '--quiet', '--out-dir', join(dir, 'out')], {}, 120_000, undefined, dir);
      assert.equal(res.code, 0, res.stderr);
      const w = (JSON.parse(readFileSync(join(dir, 'out', 'llm-summary.json'), 'utf8')) as LlmReport).workloads.mine;
      assert.ok(w);
      const failed = w.errors.http_5xx ?? 0;
      assert.ok(failed >= 2, `failed ${failed}`);
      const causes = (w.errorCauses ?? []).reduce((n, c) => n + c.count, 0);
      assert.equal(causes, failed, `causes counted ${causes} of ${failed} failures: ${JSON.stringify(w.errorCauses)}`);
    } finally {
      await mock.server.close();
    }
  });

  test('forgets teardown, and the requests k6 cut at the end are still counted: the report\'s requests are the endpoint\'s', async () => {
    // 2 s per answer and no time to finish: every user's second request is cut at 3 s, with no teardown to count it.
    const mock = await startMock(['--ttft-ms', '20', '--itl-ms', '50', '--output-tokens', '40']);
    try {
      const cutting = SCRIPT.replace("duration: '4s', gracefulStop: '5s'", "duration: '3s', gracefulStop: '0s'");
      const dir = userFolder(cutting);
      const res = await runProcess(process.execPath, [CLI, 'run', './my-test.ts', '--url', mock.url, '--model', 'm', '--quiet', '--out-dir', join(dir, 'out')], {}, 120_000, undefined, dir);
      assert.equal(res.code, 0, res.stderr);
      const w = (JSON.parse(readFileSync(join(dir, 'out', 'llm-summary.json'), 'utf8')) as LlmReport).workloads.mine;
      assert.ok(w);
      assert.equal(w.requests, mock.server.stats().requests);
      assert.ok(w.interrupted >= 1, `cut: ${w.interrupted}`);
      assert.equal(w.outputTokens, (w.requests - w.interrupted) * 40);
      assert.equal(w.successRate, 1);
    } finally {
      await mock.server.close();
    }
  });
});
