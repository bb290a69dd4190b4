import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../tools/provision/k6.ts';
import { ensureMeter, MeterProvisionError, meterBuildKey, redactMeterUrl, startMeter } from '../../../tools/provision/meter.ts';
import { tempDirs } from '../../temp-dirs.ts';

const root = repoRoot();
const METER_URL = /^http:\/\/k6llm:[0-9a-f]{32}@127\.0\.0\.1:\d+$/;

const tempDir = tempDirs();

/**
 * A stand-in for the meter with the same start-up interface
 * (docs/meter-protocol.md): prints LLM_METER_URL once listening, stops on
 * SIGTERM/SIGINT or, with --stdin-lifeline, on stdin EOF, and then writes
 * why it stopped to the --records file.
 */
const STAND_IN_GO = `package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	lifeline := flag.Bool("stdin-lifeline", false, "")
	parentPid := flag.Int("parent-pid", 0, "")
	records := flag.String("records", "", "")
	maxStreams := flag.Int("max-streams", 4096, "")
	flag.Parse()
	fmt.Fprintf(os.Stderr, "stand-in meter: lifeline=%v parent-pid=%d records=%q max-streams=%d\\n", *lifeline, *parentPid, *records, *maxStreams)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b := make([]byte, 16)
	rand.Read(b)
	fmt.Printf("LLM_METER_URL=http://k6llm:%s@%s\\n", hex.EncodeToString(b), ln.Addr())
	go http.Serve(ln, http.NotFoundHandler())
	done := make(chan string, 2)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() { done <- (<-sig).String() }()
	if *lifeline {
		go func() { io.Copy(io.Discard, os.Stdin); done <- "stdin EOF" }()
	}
	why := <-done
	fmt.Fprintf(os.Stderr, "stand-in meter: stopping (%s)\\n", why)
	if *records != "" {
		os.WriteFile(*records, []byte(why+"\\n"), 0o644)
	}
}
`;

function standInSources(): string {
  const dir = tempDir('meter-src');
  writeFileSync(join(dir, 'go.mod'), 'module k6llm.local/standin\n\ngo 1.22\n');
  writeFileSync(join(dir, 'main.go'), STAND_IN_GO);
  return dir;
}

/** A fake meter: a shell script. */
function script(body: string): string {
  const file = join(tempDir('meter-script'), 'meter');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
const haveGo = !goVersion.error && goVersion.status === 0;
const noGo = haveGo ? false : 'go is not on PATH';

test('redactMeterUrl hides the secret, and only it', () => {
  const url = 'http://k6llm:0123456789abcdef0123456789abcdef@127.0.0.1:40123';
  assert.equal(redactMeterUrl(url), 'http://k6llm:***@127.0.0.1:40123');
  assert.equal(redactMeterUrl(`LLM_METER_URL=${url}\nnext line`), 'LLM_METER_URL=http://k6llm:***@127.0.0.1:40123\nnext line');
  assert.equal(redactMeterUrl(`a ${url} b ${url}`), 'a http://k6llm:***@127.0.0.1:40123 b http://k6llm:***@127.0.0.1:40123');
  assert.equal(redactMeterUrl('http://127.0.0.1:40123/health'), 'http://127.0.0.1:40123/health');
  assert.equal(redactMeterUrl('no url here'), 'no url here');
});

test('the build key follows the Go sources, go.mod and the Go version, not other files or the location', () => {
  const src = standInSources();
  const key = meterBuildKey(src, 'go version go1.22.0 linux/amd64');
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.equal(meterBuildKey(src, 'go version go1.22.0 linux/amd64\n'), key);
  assert.notEqual(meterBuildKey(src, 'go version go1.23.0 linux/amd64'), key);

  writeFileSync(join(src, 'README.md'), 'not a source');
  writeFileSync(join(src, 'records.jsonl'), '{}');
  assert.equal(meterBuildKey(src, 'go version go1.22.0 linux/amd64'), key);

  const moved = join(tempDir('meter-moved'), 'meter');
  cpSync(src, moved, { recursive: true });
  assert.equal(meterBuildKey(moved, 'go version go1.22.0 linux/amd64'), key);

  writeFileSync(join(moved, 'go.mod'), 'module k6llm.local/standin\n\ngo 1.23\n');
  assert.notEqual(meterBuildKey(moved, 'go version go1.22.0 linux/amd64'), key);
  cpSync(join(src, 'go.mod'), join(moved, 'go.mod'));
  mkdirSync(join(moved, 'internal', 'x'), { recursive: true });
  writeFileSync(join(moved, 'internal', 'x', 'x.go'), 'package x\n');
  assert.notEqual(meterBuildKey(moved, 'go version go1.22.0 linux/amd64'), key);
});

test('K6_LLM_METER_BINARY wins when set, and must exist', () => {
  const given = script('exit 0');
  assert.equal(ensureMeter({ env: { K6_LLM_METER_BINARY: given, PATH: '' }, log: () => {} }), given);
  assert.throws(
    () => ensureMeter({ env: { K6_LLM_METER_BINARY: '/no/such/meter' }, log: () => {} }),
    (err) =>
      err instanceof MeterProvisionError &&
      err.message === 'invalid K6_LLM_METER_BINARY; expected a built stream meter, got "/no/such/meter", which does not exist',
  );
});

test('missing meter sources give one line', () => {
  const empty = tempDir('meter-none');
  assert.throws(
    () => ensureMeter({ sourceDir: join(empty, 'meter'), env: { PATH: process.env.PATH, K6_LLM_CACHE: empty }, log: () => {} }),
    /^MeterProvisionError: invalid stream meter sources; expected a Go module \(go\.mod\) in .*meter, got none$/,
  );
});

test('without Go (and no platform package): one line naming the platform, what was looked for, and how to fix it', () => {
  const empty = tempDir('meter-nogo');
  assert.throws(
    () => ensureMeter({ sourceDir: standInSources(), env: { PATH: empty, K6_LLM_CACHE: empty }, log: () => {}, os: 'linux', cpu: 'x64' }),
    (err) =>
      err instanceof MeterProvisionError &&
      /^no stream meter for linux\/x64: K6_LLM_METER_BINARY is not set, the package @k6-llm\/meter-linux-x64 is not installed \(npm leaves it out with --omit=optional or --no-optional\), and Go is not on PATH to build it from source; reinstall k6-llm without --omit=optional, or install Go 1\.22 or newer \(.*Debian 13 or newer: apt-get install golang\), or set K6_LLM_METER_BINARY to a built meter$/.test(
        err.message,
      ),
  );
});

test('ensureMeter builds into the cache once and reuses the build', { skip: noGo }, () => {
  const src = standInSources();
  const cache = tempDir('meter-cache');
  const env = { ...process.env, K6_LLM_CACHE: cache, K6_LLM_METER_BINARY: '' };
  const logs: string[] = [];
  const binary = ensureMeter({ sourceDir: src, env, log: (l) => logs.push(l) });
  const key = meterBuildKey(src, goVersion.stdout);
  assert.equal(binary, join(cache, `meter-${key}`, 'meter'));
  assert.ok(statSync(binary).mode & 0o100, 'executable');
  assert.match(logs[0], /^building the stream meter \(.*\) into /);
  assert.deepEqual(readdirSync(join(cache, `meter-${key}`)), ['meter'], 'no temp file left');
  const mtime = statSync(binary).mtimeMs;

  const logs2: string[] = [];
  assert.equal(ensureMeter({ sourceDir: src, env, log: (l) => logs2.push(l) }), binary);
  assert.deepEqual(logs2, [], 'no second build');
  assert.equal(statSync(binary).mtimeMs, mtime);

  // A changed source is a new build beside the old one.
  writeFileSync(join(src, 'extra.go'), 'package main\n\nconst extra = 1\n');
  const rebuilt = ensureMeter({ sourceDir: src, env, log: () => {} });
  assert.notEqual(rebuilt, binary);
  assert.ok(existsSync(rebuilt) && existsSync(binary));
});

test('a failing go build gives one line and logs the compiler output', { skip: noGo }, () => {
  const src = standInSources();
  writeFileSync(join(src, 'broken.go'), 'package main\n\nfunc broken() { undefinedThing() }\n');
  const cache = tempDir('meter-cache-broken');
  const logs: string[] = [];
  assert.throws(
    () => ensureMeter({ sourceDir: src, env: { ...process.env, K6_LLM_CACHE: cache, K6_LLM_METER_BINARY: '' }, log: (l) => logs.push(l) }),
    (err) => err instanceof MeterProvisionError && /^go build of the stream meter in .* failed \(exit code 1, output above\)$/.test(err.message),
  );
  assert.ok(logs.some((l) => l.includes('undefinedThing')), logs.join('\n'));
  assert.deepEqual(readdirSync(cache), [], 'nothing half-built left');
});

let standInBinary: string | undefined;
function standIn(): string {
  standInBinary ??= ensureMeter({ sourceDir: standInSources(), env: { ...process.env, K6_LLM_CACHE: tempDir('meter-cache-si'), K6_LLM_METER_BINARY: '' }, log: () => {} });
  return standInBinary;
}

test('startMeter resolves with the URL, passes the flags, runs the meter in its own process group, and stop() returns', { skip: noGo }, async () => {
  const records = join(tempDir('meter-records'), 'records.jsonl');
  const meter = await startMeter({ binary: standIn(), records, maxStreams: 7, log: () => {} });
  try {
    assert.match(meter.url, METER_URL);
    assert.ok(meter.pid > 0 && alive(meter.pid));
    assert.equal(meter.child.pid, meter.pid);
    const pgid = spawnSync('ps', ['-o', 'pgid=', '-p', String(meter.pid)], { encoding: 'utf8' }).stdout.trim();
    assert.equal(pgid, String(meter.pid), 'the meter leads its own process group');
    assert.ok(await waitFor(() => meter.stderr().includes('stand-in meter:'), 5000));
    assert.match(meter.stderr(), new RegExp(`lifeline=true parent-pid=${process.pid} records="${records.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" max-streams=7`));
  } finally {
    const code = await meter.stop();
    assert.equal(code, 0);
  }
  assert.ok(!alive(meter.pid));
  assert.equal(readFileSync(records, 'utf8'), 'terminated\n', 'stopped by SIGTERM');
  assert.match(meter.stderr(), /stopping \(terminated\)/);
  assert.equal(await meter.stop(), 0, 'a second stop() is harmless');
});

test('startMeter: extra args come after the known flags', async () => {
  const bin = script('echo "args: $*" >&2\necho "LLM_METER_URL=http://k6llm:0123456789abcdef0123456789abcdef@127.0.0.1:1"\nexec sleep 30');
  const meter = await startMeter({ binary: bin, records: '/tmp/r', maxStreams: 3, args: ['--drain-timeout', '2s'], env: { PATH: process.env.PATH } });
  assert.ok(await waitFor(() => meter.stderr().includes('args:'), 5000));
  assert.equal(meter.stderr().trim(), `args: --stdin-lifeline --parent-pid ${process.pid} --records /tmp/r --max-streams 3 --drain-timeout 2s`);
  // SIGTERM kills sleep; a death by signal N is reported as 128+N.
  assert.equal(await meter.stop(), 128 + 15);
});

test('startMeter skips other stdout lines before LLM_METER_URL', async () => {
  const bin = script('echo "hello"\necho "LLM_METER_URL=http://k6llm:0123456789abcdef0123456789abcdef@127.0.0.1:2"\nexec sleep 30');
  const meter = await startMeter({ binary: bin, env: { PATH: process.env.PATH } });
  assert.equal(meter.url, 'http://k6llm:0123456789abcdef0123456789abcdef@127.0.0.1:2');
  await meter.stop();
});

test('startMeter rejects with the meter stderr when it exits before printing the URL', async () => {
  const bin = script('echo "invalid --listen; expected a loopback address, got \\"0.0.0.0\\"" >&2\nexit 2');
  await assert.rejects(
    startMeter({ binary: bin, env: { PATH: process.env.PATH } }),
    (err) =>
      err instanceof MeterProvisionError &&
      err.message.includes('exited with code 2 before printing LLM_METER_URL; its stderr: invalid --listen; expected a loopback address, got "0.0.0.0"'),
  );
});

test('startMeter rejects, and kills the meter, when it prints nothing in time', async () => {
  const pidFile = join(tempDir('meter-pid'), 'pid');
  const bin = script(`echo $$ > ${pidFile}\necho "waiting for something" >&2\nexec sleep 30`);
  const t0 = Date.now();
  await assert.rejects(
    startMeter({ binary: bin, env: { PATH: process.env.PATH }, startTimeoutMs: 500 }),
    (err) => err instanceof MeterProvisionError && /printed no LLM_METER_URL line within 500 ms; its stderr: waiting for something$/.test(err.message),
  );
  // A hang check, 10 times the 500 ms asked for: without its start timeout
  // startMeter would wait out the stand-in's 30 s sleep (the message already
  // says it was the timeout); no scheduling delay comes near 4.5 s.
  assert.ok(Date.now() - t0 < 5000);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  assert.ok(await waitFor(() => !alive(pid), 5000), 'the silent meter was killed');
});

test('startMeter rejects when the binary does not exist', async () => {
  await assert.rejects(startMeter({ binary: '/no/such/meter', env: {} }), /^MeterProvisionError: could not start the stream meter \/no\/such\/meter: spawn \/no\/such\/meter ENOENT$/);
});

test('stop() sends SIGKILL when the meter ignores SIGTERM', async () => {
  const bin = script('trap "" TERM\necho "LLM_METER_URL=http://k6llm:0123456789abcdef0123456789abcdef@127.0.0.1:3"\nwhile true; do sleep 0.1; done');
  const meter = await startMeter({ binary: bin, env: { PATH: process.env.PATH }, killAfterMs: 300 });
  const t0 = Date.now();
  assert.equal(await meter.stop(), 128 + 9);
  // A hang check, 16 times the 300 ms asked for: the exit by signal 9 shows
  // the SIGKILL was sent; this shows stop() did not first wait far longer.
  assert.ok(Date.now() - t0 < 5000);
});

/** Starts `binary` from a child Node that then just ends; returns the meter's pid once Node has exited. */
async function startFromShortLivedNode(binary: string, records: string): Promise<number> {
  const dir = tempDir('meter-lifeline');
  const main = join(dir, 'main.mts');
  const meterTs = join(root, 'tools', 'provision', 'meter.ts');
  writeFileSync(
    main,
    `import { startMeter } from ${JSON.stringify(meterTs)};\n` +
      `const m = await startMeter({ binary: ${JSON.stringify(binary)}, records: ${JSON.stringify(records)} });\n` +
      `console.log(m.pid);\n`,
  );
  const t0 = Date.now();
  const res = spawnSync(process.execPath, ['--import', 'tsx', main], { encoding: 'utf8', cwd: root, timeout: 30_000 });
  assert.equal(res.status, 0, res.stderr);
  // A hang check: a Node held open by its meter never exits (spawnSync kills
  // it at 30 s); a Node starting tsx on a busy machine takes a few seconds.
  assert.ok(Date.now() - t0 < 20_000, 'Node exited without stop()');
  const pid = Number(res.stdout.trim());
  assert.ok(pid > 0);
  return pid;
}

test('the meter does not keep Node alive, and exits through its stdin lifeline when Node does', { skip: noGo }, async () => {
  const records = join(tempDir('meter-lifeline-rec'), 'records');
  const pid = await startFromShortLivedNode(standIn(), records);
  assert.ok(await waitFor(() => !alive(pid), 10_000), 'the meter exited after Node did');
  assert.equal(readFileSync(records, 'utf8'), 'stdin EOF\n');
});

const realMeterDir = join(root, 'meter');
/** Whether meter/ holds a main function yet (the meter is written beside this code). */
const haveRealMeter =
  existsSync(join(realMeterDir, 'go.mod')) &&
  readdirSync(realMeterDir).some((f) => f.endsWith('.go') && !f.endsWith('_test.go') && /^func main\(\)/m.test(readFileSync(join(realMeterDir, f), 'utf8')));
const realMeterSkip = !haveGo ? 'go is not on PATH' : haveRealMeter ? false : `meter/ (${realMeterDir}) has no func main yet: the meter is not written yet`;

test(
  'the real meter (meter/) builds, starts, answers /health with its secret, and stops',
  { skip: realMeterSkip },
  async () => {
    const cache = tempDir('meter-real');
    const binary = ensureMeter({ env: { ...process.env, K6_LLM_CACHE: cache, K6_LLM_METER_BINARY: '' }, log: () => {} });
    assert.ok(binary.startsWith(cache));
    const records = join(cache, 'records.jsonl');
    const meter = await startMeter({ binary, records, maxStreams: 5 });
    try {
      assert.match(meter.url, METER_URL);
      const u = new URL(meter.url);
      const secret = u.password;
      const base = `http://${u.host}`;
      const health = await fetch(`${base}/health`, { headers: { 'X-K6-LLM-Meter-Secret': secret } });
      assert.equal(health.status, 200);
      const body = (await health.json()) as { version: string; maxStreams: number };
      assert.equal(body.version, '1');
      assert.equal(body.maxStreams, 5);
      const denied = await fetch(`${base}/health`, { headers: { 'X-K6-LLM-Meter-Secret': 'f'.repeat(32) } });
      assert.equal(denied.status, 401);
      await denied.text();
      assert.ok(!meter.stderr().includes(secret), 'the meter never logs its secret');
    } finally {
      assert.equal(await meter.stop(), 0);
    }
    assert.ok(!alive(meter.pid));
  },
);

test(
  'the real meter exits through its stdin lifeline when the Node that started it exits',
  { skip: realMeterSkip },
  async () => {
    const cache = tempDir('meter-real-lifeline');
    const binary = ensureMeter({ env: { ...process.env, K6_LLM_CACHE: cache, K6_LLM_METER_BINARY: '' }, log: () => {} });
    const records = join(cache, 'records.jsonl');
    const pid = await startFromShortLivedNode(binary, records);
    assert.ok(await waitFor(() => !alive(pid), 15_000), 'the meter exited after Node did');
    assert.ok(existsSync(records), 'the records file was written');
  },
);
