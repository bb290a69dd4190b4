// The mock server CLI as a process: the single stdout "listening" line, exit
// code 2 with one stderr line on bad input, and a clean stop on SIGTERM.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../tools/mock-server/main.ts', import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOCK_PORT: '', MOCK_ITL_MS: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

/** Waits for a condition of the child process; `ms` only turns a hang into a failure (a start takes a second or two). */
async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('mock server CLI', () => {
  it('prints one listening line, serves, and stops on SIGTERM with a stats line', async () => {
    const proc = run(['--ttft-ms', '0', '--itl-ms', '0', '--output-tokens', '3']);
    try {
      await waitFor(() => proc.stdout().includes('\n'), 15_000);
      const match = /^mock-llm listening on (http:\/\/127\.0\.0\.1:(\d+)\/v1)\n$/.exec(proc.stdout());
      assert.ok(match, `unexpected stdout: ${JSON.stringify(proc.stdout())}`);
      const res = await fetch(`${match[1]}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], stream: true }),
      });
      assert.ok((await res.text()).endsWith('data: [DONE]\n\n'));
    } finally {
      proc.child.kill('SIGTERM');
    }
    const [code] = await proc.exited;
    assert.equal(code, 0);
    assert.match(proc.stderr(), /^mock-llm stopped: requests=1 streams=1 .*tokens=3 .*p50=[\d.]+ms p99=[\d.]+ms max=[\d.]+ms/);
    assert.equal(proc.stderr().split('\n').filter(Boolean).length, 1);
  });

  it('exits 2 with one stderr line on an invalid flag', async () => {
    const proc = run(['--itl-ms', 'abc']);
    const [code] = await proc.exited;
    assert.equal(code, 2);
    assert.equal(proc.stdout(), '');
    assert.equal(proc.stderr(), 'mock-llm: invalid --itl-ms; expected a number >= 0, got "abc"\n');
  });
});
