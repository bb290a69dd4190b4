// Ctrl-C in a real terminal: the CLI runs in a pseudo-terminal (python3's pty
// module) and Ctrl-C is typed into it, so the terminal sends SIGINT to the
// whole foreground process group, as it does for a person. One Ctrl-C: k6
// stops and the reports are written, every time; a second one a few seconds
// later aborts on purpose, says so and exits 130.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { k6, ROOT, startMock } from './harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');

// Runs argv in a pty; types Ctrl-C `first` s after the setup banner (k6 is sending by then),
// and again `second` s after that when given; prints {code, out} as JSON.
const PTY_DRIVER = `
import json, os, pty, select, sys, time
first, second, argv = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out, banner, sent, deadline = b'', None, [], time.time() + 100
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    now = time.time()
    if banner is None and b'transport meter' in out:
        banner = now
    if banner is not None and not sent and now - banner >= first:
        os.write(fd, b'\\x03'); sent.append(now)
    if second >= 0 and len(sent) == 1 and now - sent[0] >= second:
        os.write(fd, b'\\x03'); sent.append(now)
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'out': out.decode('utf8', 'replace'), 'sent': len(sent)}))
`;

function inTerminal(argv: string[], first: number, second: number, k6Binary = k6()): Promise<{ code: number; out: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', PTY_DRIVER, String(first), String(second), ...argv], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, K6_BINARY: k6Binary } });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error(`pty driver: ${text}`));
      }
    });
  });
}

const run = (url: string, outDir: string) => [process.execPath, CLI, 'run', 'chat', '--url', url, '--duration', '60s', '--vus', '2', '--thresholds', 'none', '--out-dir', outDir];

describe('Ctrl-C in a terminal', () => {
  test('one Ctrl-C: the reports are written and the documented exit code, 10 of 10 tries', async () => {
    const mock = await startMock(['--ttft-ms', '20', '--itl-ms', '20', '--output-tokens', '40']);
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 10; i++) {
        const outDir = mkdtempSync(join(tmpdir(), 'k6-llm-ctrlc-'));
        const res = await inTerminal(run(mock.url, outDir), 1.5, -1);
        const written = ['llm-summary.json', 'llm-summary.md', 'llm-junit.xml'].every((f) => existsSync(join(outDir, f)));
        outcomes.push(`${res.code}:${written ? 'reports' : 'none'}`);
        assert.equal(res.sent, 1, res.out);
        assert.match(res.out, /stopping: k6 ends the in-flight requests and writes the reports/);
        assert.doesNotMatch(res.out, /Aborting k6/);
      }
      console.log(`one Ctrl-C, 10 tries: ${outcomes.join(' ')}`);
      assert.deepEqual(outcomes, Array(10).fill('105:reports'));
    } finally {
      await mock.server.close();
    }
  });

  test('a second Ctrl-C aborts on purpose, says so, and exits 130', async () => {
    // Real k6 stops within a second of the first Ctrl-C here; a stand-in that takes its time to
    // stop (as a big run's teardown and reports do) lets the second one land while it runs.
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-slowstop-'));
    const slowK6 = join(dir, 'k6');
    writeFileSync(
      slowK6,
      [
        '#!/bin/sh',
        'if [ "$1" = version ]; then echo "k6 v1.1.0 (commit/0e3fb953be, go1.24.4, linux/amd64)"; exit 0; fi',
        `trap 'if [ -n "$stopping" ]; then echo "stand-in k6: aborted"; exit 105; fi; stopping=1; echo "stand-in k6: stopping"' INT`,
        'echo "k6-llm: chat thresholds from none; transport meter"',
        'i=0; while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done',
        'exit 0',
      ].join('\n'),
    );
    chmodSync(slowK6, 0o755);
    const outDir = mkdtempSync(join(tmpdir(), 'k6-llm-ctrlc-'));
    const res = await inTerminal(run('http://127.0.0.1:9/v1', outDir), 0.5, 2, slowK6);
    assert.equal(res.sent, 2, res.out);
    assert.match(res.out, /stopping: k6 ends the in-flight requests/);
    assert.match(res.out, /stand-in k6: stopping/);
    assert.match(res.out, /second Ctrl-C: aborting k6; no reports are written \(exit 130\)/);
    assert.match(res.out, /stand-in k6: aborted/);
    assert.equal(res.code, 130, res.out);
  });
});
