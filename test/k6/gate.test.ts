// The CI gate against the mock: the chat SLOs pass at TTFT 100 ms and fail
// (exit 99, JUnit and Markdown naming the breached threshold with its measured
// value) at TTFT 400 ms; the regression gate fails at +30 % (its whole
// interval beyond the 10 % tolerance) and passes at +3 %.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { LlmReport } from '../../src/summary/schema.ts';
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
  test('a baseline at TTFT 100 ms fails a run at 130 ms (exit 97, the interval in every report) and passes one at 103 ms; an old baseline is refused before any load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-base-'));
    const baseline = join(dir, 'baseline.json');
    const run = async (ttft: string, extra: string[]) =>
      withMock(['--ttft-ms', ttft, '--output-tokens', '16'], (url) =>
        runProcess(process.execPath, [CLI, 'run', 'chat', '--url', url, '--duration', '8s', '--vus', '8', '--out-dir', join(dir, ttft), ...extra]),
      );
    const base = await run('100', []);
    assert.equal(base.code, 0, base.stderr);
    const save = await runProcess(process.execPath, [CLI, 'baseline', 'save', '--from', join(dir, '100'), '--out', baseline]);
    assert.equal(save.code, 0, save.stderr);
    assert.match(save.stdout, /baseline saved to .*baseline\.json from .*100: chat: \d+ requests in 20 windows; \d+ KiB/);
    const slow = await run('130', ['--baseline', baseline]);
    assert.equal(slow.code, 97, slow.stderr);
    // +30 %: the whole interval beyond the 10 % tolerance.
    assert.match(slow.stderr, /chat\s+ttft_p50\s+\d+\.\d+ ms\s+1[23]\d\.\d+ ms\s+\+\d\d\.\d\d ms \[\+\d\d\.\d\d, \+\d\d\.\d\d\]\s+\+\d\d\.\d % \[\+\d\d\.\d, \+\d\d\.\d\]\s+10 %\s+\d+\/\d+\s+REGRESSED \(worse than the tolerance allows\)/);
    const [lo] = /ttft_p50 .*? % \[\+(\d\d\.\d), /.exec(slow.stderr)?.slice(1).map(Number) ?? [NaN];
    assert.ok((lo as number) > 10, `interval starts at +${lo} %`);
    const out = join(dir, '130');
    const summary = JSON.parse(readFileSync(join(out, 'llm-summary.json'), 'utf8')) as LlmReport;
    assert.equal(summary.regression?.failed, true);
    assert.match(readFileSync(join(out, 'llm-summary.md'), 'utf8'), /\| ❌ \| chat \| `ttft_p50` \| .* \| \+\d\d\.\d % \[\+\d\d\.\d, \+\d\d\.\d\] \| 10 % \| regressed/);
    assert.match(readFileSync(join(out, 'llm-junit.xml'), 'utf8'), /<testcase classname="k6-llm\.regression" name="chat ttft_p50">[\s\S]*?<failure message="chat ttft_p50 regressed \(worse than the tolerance allows\): change \+\d\d\.\d % \[/);
    assert.match(readFileSync(join(out, 'llm-report.html'), 'utf8'), /<tr class="fail" data-figure="chat:ttft_p50" data-verdict="regressed">/);
    const fine = await run('103', ['--baseline', baseline]);
    assert.equal(fine.code, 0, fine.stderr);
    assert.match(fine.stderr, /chat\s+ttft_p50 .* no detectable change/);
    assert.match(fine.stderr, /\nno regression/);
    // A baseline of the figures-only format (k6-llm before the verdict): refused in one line, before any load.
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ version: 1, savedAt: 'x', source: 's', model: 'm', workloads: { chat: { ttft_p50: { value: 100, samples: 50 } } } }));
    const refused = await runProcess(process.execPath, [CLI, 'run', 'chat', '--url', 'http://127.0.0.1:9/v1', '--baseline', old, '--out-dir', join(dir, 'old-run')]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.match(refused.stderr, /invalid baseline .*old\.json; expected version 2 \(per-request samples\), got version 1 .*k6-llm baseline save --from <run folder>/);
  });
});
