// The CI gate against the mock: the chat SLOs pass at TTFT 100 ms and fail
// (exit 99, JUnit and Markdown naming the breached threshold with its measured
// value) at TTFT 400 ms; the regression gate fails at +30 % and passes at +3 %.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, runProcess, runWorkload, startMock } from './harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');

async function withMock<T>(flags: string[], fn: (url: string) => Promise<T>): Promise<T> {
  const mock = await startMock(flags);
  try {
    return await fn(mock.url);
  } finally {
    await mock.server.close();
  }
}

describe('SLO gate', () => {
  test('passes at TTFT 100 ms with the default chat thresholds', async () => {
    await withMock(['--ttft-ms', '100', '--output-tokens', '16'], async (url) => {
      const res = await runWorkload('chat', { LLM_BASE_URL: url, LLM_VUS: '4', LLM_DURATION: '5s' });
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.match(res.stderr + res.stdout, /chat thresholds from thresholds\/chat\.json \(default\)/);
      const junit = readFileSync(join(res.outDir, 'llm-junit.xml'), 'utf8');
      assert.match(junit, /failures="0"/);
      assert.ok(res.summary?.thresholds.every((t) => t.ok));
      assert.equal(res.summary?.workloads.chat?.sloAttainedRate, 1);
    });
  });

  test('fails with exit 99 at TTFT 400 ms; JUnit and Markdown name llm_ttft{workload:chat} and its measured p95', async () => {
    await withMock(['--ttft-ms', '400', '--output-tokens', '16'], async (url) => {
      const res = await runWorkload('chat', { LLM_BASE_URL: url, LLM_VUS: '4', LLM_DURATION: '5s' });
      assert.equal(res.code, 99, res.stdout + res.stderr);
      const failed = res.summary?.thresholds.find((t) => !t.ok);
      assert.ok(failed, 'a threshold failed');
      assert.equal(failed.metric, 'llm_ttft{workload:chat}');
      assert.equal(failed.expression, 'p(95)<300');
      assert.ok(failed.measured !== null && failed.measured >= 400 && failed.measured < 600, `measured ${failed.measured}`);
      const junit = readFileSync(join(res.outDir, 'llm-junit.xml'), 'utf8');
      assert.match(junit, /failures="1"/);
      assert.match(junit, /<failure message="llm_ttft\{workload:chat\} breached p\(95\)&lt;300: measured p\(95\) = 4\d\d\.\d"/);
      const md = readFileSync(join(res.outDir, 'llm-summary.md'), 'utf8');
      assert.match(md, /❌ \| `llm_ttft\{workload:chat\}` \| `p\(95\)<300` \| p\(95\) = 4\d\d\.\d/);
    });
  });

  test('a bad thresholds file or unknown metric is rejected before any load, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-thr-'));
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ thresholds: { llm_tftt: ['p(95)<300'] } }));
    const malformed = join(dir, 'malformed.json');
    writeFileSync(malformed, JSON.stringify({ thresholds: { llm_ttft: ['p95 < 300'] } }));
    await withMock([], async (url) => {
      for (const [file, pattern] of [
        [unknown, /invalid thresholds file .*unknown\.json at thresholds\.llm_tftt; expected a known metric .*\(did you mean llm_ttft\?\)/],
        [malformed, /invalid thresholds file .*malformed\.json at thresholds\.llm_ttft\[0\]; expected an expression like/],
      ] as const) {
        const viaK6 = await runWorkload('chat', { LLM_BASE_URL: url, LLM_THRESHOLDS: file });
        assert.notEqual(viaK6.code, 0);
        assert.match(viaK6.stderr, pattern);
        const viaCli = await runProcess(process.execPath, [CLI, 'run', 'chat', '--url', url, '--thresholds', file]);
        assert.equal(viaCli.code, 2);
        assert.equal(viaCli.stderr.trim().split('\n').length, 1, viaCli.stderr);
        assert.match(viaCli.stderr, pattern);
      }
    });
  });
});

describe('regression gate', () => {
  test('a baseline at TTFT 100 ms fails a run at 130 ms (exit 97) and passes one at 103 ms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-base-'));
    const baseline = join(dir, 'baseline.json');
    const run = async (ttft: string, extra: string[]) =>
      withMock(['--ttft-ms', ttft, '--output-tokens', '16'], (url) =>
        runProcess(process.execPath, [CLI, 'run', 'chat', '--url', url, '--duration', '8s', '--vus', '8', '--out-dir', join(dir, ttft), ...extra]),
      );
    const base = await run('100', []);
    assert.equal(base.code, 0, base.stderr);
    const save = await runProcess(process.execPath, [CLI, 'baseline', 'save', '--from', join(dir, '100', 'llm-summary.json'), '--out', baseline]);
    assert.equal(save.code, 0, save.stderr);
    const slow = await run('130', ['--baseline', baseline]);
    assert.equal(slow.code, 97, slow.stderr);
    assert.match(slow.stderr, /chat\s+ttft_p50\s+\d+\.\d\s+1[23]\d\.\d\s+\+\d\d\.\d %.*REGRESSION/);
    const fine = await run('103', ['--baseline', baseline]);
    assert.equal(fine.code, 0, fine.stderr);
    assert.match(fine.stderr, /no regression/);
  });
});
