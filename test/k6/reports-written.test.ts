// The reports on real k6 (v1.1 here). Never exit 0 without them: k6 logs a
// handleSummary that throws, or a report file it cannot write, and exits 0
// all the same; the CLI then exits 96 with one line naming what is missing.
// And the bundled script reads k6's machine-readable summary in k6's own
// runtime (k6 v1.1 cannot make one: the sample test/fixtures/k6-summary/
// machine-readable-v1.0.0.json is handed to the script's handleSummary).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureMeter } from '../../tools/provision/meter.ts';
import { k6, ROOT, runProcess, startMock } from './harness.ts';
import type { MockServer } from '../../tools/mock-server/server.ts';
import type { LlmReport } from '../../src/summary/schema.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');

/** A package root whose dist/chat.js is the real chat script with `handleSummary` (JavaScript source) in place of its own. */
function craftedRoot(handleSummary: string): string {
  const root = mkdtempSync(join(tmpdir(), 'k6-llm-crafted-'));
  mkdirSync(join(root, 'dist'));
  const real = JSON.stringify(join(ROOT, 'dist', 'chat.js'));
  writeFileSync(
    join(root, 'dist', 'chat.js'),
    `import * as real from ${real};\n` +
      'export const options = real.options;\nexport const setup = real.setup;\nexport const chat = real.chat;\n' +
      `export const generatorProbe = real.generatorProbe;\nexport const teardown = real.teardown;\nexport ${handleSummary}\n`,
  );
  return root;
}

const THROWS = "function handleSummary() { throw new Error('k6-llm test: handleSummary forced to fail'); }";
const REAL = 'const handleSummary = real.handleSummary;';

/** Runs the CLI's runK6 (what `run` and `demo` call) on `root`'s chat script in a Node of its own, without thresholds (k6 exits 0 on a busy machine too); its exit code is runK6's. */
async function runK6On(root: string, baseUrl: string): Promise<{ code: number; stderr: string; outDir: string }> {
  const outDir = join(mkdtempSync(join(tmpdir(), 'k6-llm-noreports-')), 'run');
  const driver = join(root, 'driver.mts');
  const run = { root, k6: k6(), workload: 'chat', variables: { LLM_BASE_URL: baseUrl, LLM_MODEL: 'mock-llm', LLM_DURATION: '2s', LLM_VUS: '1', LLM_THRESHOLDS: 'none' }, outDir, quiet: true };
  writeFileSync(
    driver,
    `import { runK6 } from ${JSON.stringify(join(ROOT, 'tools', 'cli', 'run-k6.ts'))};\n` + `process.exit(await runK6(${JSON.stringify(run)}));\n`,
  );
  const res = await runProcess(process.execPath, ['--import', 'tsx', driver], { K6_LLM_METER_BINARY: ensureMeter({ log: () => {} }) });
  return { code: res.code, stderr: res.stderr, outDir };
}

/** The CLI's own lines about the missing reports. */
function reportLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('k6-llm: k6 exited'));
}

describe('a run whose reports were not written exits 96 with one line', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    mock = await startMock(['--ttft-ms', '20', '--itl-ms', '2', '--output-tokens', '4']);
  });
  after(async () => {
    await mock.server.close();
  });

  test('handleSummary throws: k6 logs it and exits 0; the CLI exits 96 naming the reports', async () => {
    const res = await runK6On(craftedRoot(THROWS), mock.url);
    assert.match(res.stderr, /k6-llm test: handleSummary forced to fail/, 'k6 logged the failure');
    assert.equal(res.code, 96, res.stderr);
    const lines = reportLines(res.stderr);
    assert.equal(lines.length, 1, res.stderr);
    assert.equal(
      lines[0],
      `k6-llm: k6 exited 0 but the run's reports were not written (no ${join(res.outDir, 'llm-summary.json')}, ${join(res.outDir, 'llm-summary.md')}, ${join(res.outDir, 'llm-junit.xml')}): ` +
        "its handleSummary failed or a file could not be written (k6's error is above); exit 96",
    );
  });

  test('the same script with its real handleSummary: exit 0 and no such line (the control)', async () => {
    const res = await runK6On(craftedRoot(REAL), mock.url);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(reportLines(res.stderr), []);
  });

  test('the bundled handleSummary given the machine-readable summary writes every report, figures it has and a warning for the rest', async () => {
    const sample = readFileSync(join(ROOT, 'test', 'fixtures', 'k6-summary', 'machine-readable-v1.0.0.json'), 'utf8');
    const res = await runK6On(craftedRoot(`function handleSummary() { return real.handleSummary(${sample.trim()}); }`), mock.url);
    assert.equal(res.code, 0, res.stderr);
    for (const f of ['llm-summary.json', 'llm-summary.md', 'llm-junit.xml']) assert.ok(existsSync(join(res.outDir, f)), f);
    const report = JSON.parse(readFileSync(join(res.outDir, 'llm-summary.json'), 'utf8')) as LlmReport;
    assert.equal(report.workloads.chat?.requests, 30);
    assert.equal(report.workloads.chat?.ttftMs?.p50, 50.954);
    assert.equal(report.workloads.chat?.ttftMs?.p99, null);
    assert.ok(report.warnings.some((w) => w.startsWith('k6 handed handleSummary its machine-readable summary')), report.warnings.join('\n'));
  });

  test('`k6-llm run` whose JSON summary cannot be written (its folder does not exist): exit 96, one line naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-noreports-cli-'));
    const summary = join(dir, 'no-such-folder', 'llm-summary.json');
    const res = await runProcess(
      process.execPath,
      [CLI, 'run', 'chat', '--url', mock.url, '--model', 'mock-llm', '--duration', '2s', '--vus', '1', '--thresholds', 'none', '--quiet', '--out-dir', join(dir, 'run'), '--summary-json', summary],
      { K6_BINARY: k6(), K6_LLM_METER_BINARY: ensureMeter({ log: () => {} }) },
    );
    // k6's own line (the CLI runs it with --log-format raw, which drops the error's detail: the CLI's line names the file).
    assert.match(res.stderr, /^failed to handle the end-of-test summary$/m);
    assert.equal(res.code, 96, res.stderr);
    const lines = reportLines(res.stderr);
    assert.equal(lines.length, 1, res.stderr);
    assert.match(lines[0] as string, new RegExp(`^k6-llm: k6 exited 0 but the run's reports were not written \\(no ${summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): `));
  });
});
