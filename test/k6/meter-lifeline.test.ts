// No orphan meters: whatever starts a stream meter is killed with SIGKILL
// (as a CI runner or the OOM killer does), with a stream in flight through
// the meter that neither the upstream nor the client ends, and the meter must
// be gone, by its pid and by its port, within 2 s, every time. Owners:
// `npx k6-llm meter` started from a script (npx is killed: the CLI sits
// behind npm's shell), the CLI itself, and a Node program using startMeter
// (what run, demo, --instances, the bench and the tests use).

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureMeter } from '../../tools/provision/meter.ts';
import { ROOT } from './harness.ts';

const DEADLINE_MS = 2000;
const linux = process.platform === 'linux' ? false : 'reads /proc (Linux)';
const haveNpx = spawnSync('npx', ['--version'], { encoding: 'utf8' }).status === 0;

let meterBinary = '';
// An upstream that takes requests and never answers: a stream held open only by the meter.
let upstream: Server;
let upstreamUrl = '';
const held: Socket[] = [];
before(async () => {
  meterBinary = ensureMeter({ log: () => {} });
  upstream = createServer((socket) => {
    held.push(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/chat/completions`;
});
after(() => {
  for (const s of held) s.destroy();
  upstream.close();
});

/** Parent pid of each live process (zombies are dead: left out). */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z' && state !== 'X') table.set(Number(name), Number(ppid));
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

function descendants(pid: number): number[] {
  const table = processTable();
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, parent] of table) {
      if (parent === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  return processTable().has(pid);
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Resolves with the LLM_METER_URL line's URL once `child` printed it on stdout. */
function meterUrl(child: ChildProcess): Promise<URL> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LLM_METER_URL=(\S+)/.exec(out);
      if (m) resolve(new URL(m[1] as string));
    });
    child.once('exit', (code) => reject(new Error(`the owner exited ${code} before the meter's URL; stderr: ${err}`)));
  });
}

/** Sends a stream through the meter to the upstream that never answers; the test process stays its client (as a k6 that outlives the owner). */
function streamInFlight(url: URL): void {
  const first = { url: upstreamUrl, method: 'POST', headers: { 'Content-Type': 'application/json' }, timeoutMs: 60_000, stallTimeoutMs: 0, maxBodyBytes: 4096, fastToken: null, insecureTls: false };
  fetch(`http://${url.host}/stream`, {
    method: 'POST',
    headers: { 'X-K6-LLM-Meter-Secret': url.password },
    body: `${JSON.stringify(first)}\n{}\n`,
  }).then(
    (res) => res.text(),
    () => '',
  );
}

/**
 * Starts an owner, waits for its meter and a stream in flight upstream,
 * SIGKILLs the owner and returns how long until the meter's pid and port
 * (and every process the owner had started) were gone.
 */
async function killOwner(start: () => ChildProcess): Promise<number> {
  const owner = start();
  let tree: number[] = [];
  const commands = new Map<number, string>();
  try {
    const url = await meterUrl(owner);
    tree = descendants(owner.pid!);
    for (const p of tree) commands.set(p, cmdline(p));
    const meterPid = tree.find((p) => cmdline(p).startsWith(meterBinary));
    assert.ok(meterPid, `the meter (${meterBinary}) runs under the owner`);
    const streams = held.length;
    streamInFlight(url);
    while (held.length === streams) await new Promise((r) => setTimeout(r, 5));
    owner.kill('SIGKILL');
    const killed = performance.now();
    const port = Number(url.port);
    for (;;) {
      const elapsed = performance.now() - killed;
      const living = tree.filter(alive);
      if (living.length === 0 && !(await listening(port))) return elapsed;
      if (elapsed > DEADLINE_MS) {
        assert.fail(`${elapsed.toFixed(0)} ms after the owner's SIGKILL still alive: ${living.map((p) => `${p} (${cmdline(p).trim()})`).join(', ')}; port ${port} listening: ${await listening(port)}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    // Whatever failed, nothing this try started is left running (and no other process that took a pid of theirs is touched).
    if (owner.exitCode === null && owner.signalCode === null) owner.kill('SIGKILL');
    for (const p of tree) {
      if (alive(p) && cmdline(p) === commands.get(p)) process.kill(p, 'SIGKILL');
    }
  }
}

async function tries(n: number, start: () => ChildProcess): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await killOwner(start));
  console.log(`# ${n} tries: the meter gone ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms after its owner's SIGKILL (worst ${Math.max(...times).toFixed(0)} ms)`);
  return times;
}

const cliEnv = (): NodeJS.ProcessEnv => ({ ...process.env, K6_LLM_METER_BINARY: meterBinary });

test('npx k6-llm meter from a script: SIGKILL of npx leaves no CLI and no meter, 20 of 20 times within 2 s', { skip: linux || (haveNpx ? false : 'npx is not on PATH') }, async () => {
  const times = await tries(20, () => spawn('npx', ['k6-llm', 'meter'], { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
  assert.ok(times.every((t) => t < DEADLINE_MS));
});

test('the CLI itself killed: its meter follows within 2 s, 5 of 5 times', { skip: linux }, async () => {
  await tries(5, () => spawn(process.execPath, [join(ROOT, 'bin', 'k6-llm.mjs'), 'meter'], { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
});

test('a Node program with startMeter (run, demo, --instances, bench, tests) killed: its meter follows within 2 s, 5 of 5 times', { skip: linux }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-lifeline-'));
  const main = join(dir, 'owner.mts');
  writeFileSync(
    main,
    `import { startMeter } from ${JSON.stringify(join(ROOT, 'tools', 'provision', 'meter.ts'))};\n` +
      `const m = await startMeter({ binary: ${JSON.stringify(meterBinary)}, log: () => {} });\n` +
      `console.log('LLM_METER_URL=' + m.url);\nsetInterval(() => {}, 1000);\n`,
  );
  await tries(5, () => spawn(process.execPath, ['--import', 'tsx', main], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
});
