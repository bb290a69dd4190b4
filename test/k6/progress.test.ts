// Progress from the CLI while k6 runs quiet: not a terminal here, so plain
// lines every 10 s (elapsed / total, requests, TTFT p50, errors); none with --quiet;
// one line for --instances 2, from both meters.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { k6, ROOT, startMock } from './harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, K6_BINARY: k6() }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('progress lines', () => {
  test('not a terminal: a plain line every 10 s with elapsed / total, requests, TTFT p50 and errors; none with --quiet', async () => {
    const mock = await startMock(['--ttft-ms', '30', '--itl-ms', '5', '--output-tokens', '8']);
    try {
      const base = ['run', 'chat', '--url', mock.url, '--duration', '16s', '--vus', '2', '--thresholds', 'none'];
      const [loud, quiet, split] = await Promise.all([
        cli([...base, '--out-dir', mkdtempSync(join(tmpdir(), 'k6-llm-progress-'))]),
        cli([...base, '--quiet', '--out-dir', mkdtempSync(join(tmpdir(), 'k6-llm-progress-'))]),
        cli([...base, '--instances', '2', '--out-dir', mkdtempSync(join(tmpdir(), 'k6-llm-progress-'))]),
      ]);
      // Two instances: one line for the test, both meters' requests summed, their TTFT p50s as a range.
      assert.equal(split.code, 0, split.stderr);
      const splitLines = split.stderr.split('\n').filter((l) => / requests · TTFT p50 /.test(l));
      console.log(splitLines.join('\n'));
      const sm = /^k6-llm: (\d+) s \/ 16 s · (\d+) requests · TTFT p50 (\d+)(?:–(\d+))? ms · 0 errors$/.exec(splitLines[0] ?? '');
      assert.ok(sm, split.stderr);
      assert.ok(Number(sm[2]) > 10, `requests ${sm[2]}`);
      assert.ok(Number(sm[3]) >= 30 && Number(sm[4] ?? sm[3]) < 300, `TTFT p50 ${sm[3]}–${sm[4]}`);
      assert.equal(loud.code, 0, loud.stderr);
      assert.equal(quiet.code, 0, quiet.stderr);
      const lines = loud.stderr.split('\n').filter((l) => / requests · TTFT p50 /.test(l));
      console.log(lines.join('\n'));
      assert.ok(lines.length >= 1, loud.stderr);
      const m = /^k6-llm: (\d+) s \/ 16 s · (\d+) requests · TTFT p50 (\d+) ms · 0 errors$/.exec(lines[0] as string);
      assert.ok(m, lines[0]);
      assert.ok(Number(m[1]) >= 9 && Number(m[1]) <= 12, `elapsed ${m[1]}`);
      assert.ok(Number(m[2]) > 10, `requests ${m[2]}`);
      assert.ok(Number(m[3]) >= 30 && Number(m[3]) < 300, `TTFT p50 ${m[3]}`);
      assert.doesNotMatch(loud.stderr, /\r|\x1b\[2K/);
      assert.doesNotMatch(quiet.stderr, / requests · TTFT p50 /);
    } finally {
      await mock.server.close();
    }
  });
});
