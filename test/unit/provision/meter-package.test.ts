// The prebuilt meter from its platform package, as npm lays it out beside
// k6-llm (node_modules/k6-llm, node_modules/@k6-llm/meter-linux-x64): used
// only when its SHA-256 is the one k6-llm recorded, refused in one line
// otherwise; K6_LLM_METER_BINARY first; the one-line answer when there is none.

import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ensureMeter, MeterProvisionError, packagedMeter } from '../../../tools/provision/meter.ts';
import { CHECKSUMS_FILE, METER_PLATFORMS, meterBinaryPath, meterPackageName, meterPlatform, noMeterMessage, parseMeterChecksums, sha256File } from '../../../tools/provision/meter-platforms.ts';

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const LINUX_X64 = meterPlatform('linux', 'x64')!;

/** node_modules/k6-llm (its checksums unless `record` is false) and node_modules/@k6-llm/meter-linux-x64 (unless `installed` is false). */
function install(opts: { record?: boolean | string; installed?: boolean } = {}): { root: string; binary: string; project: string } {
  const project = mkdtempSync(join(tmpdir(), 'k6-llm-meterpkg-'));
  temps.push(project);
  const root = join(project, 'node_modules', 'k6-llm');
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'k6-llm', version: '0.1.0' }));
  const pkg = join(project, 'node_modules', '@k6-llm', 'meter-linux-x64');
  const binary = join(pkg, 'bin', 'meter');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@k6-llm/meter-linux-x64', version: '0.1.0', os: ['linux'], cpu: ['x64'] }));
  writeFileSync(binary, '#!/bin/sh\necho k6-llm-meter 0.1.0\n');
  chmodSync(binary, 0o755);
  if (opts.record !== false) {
    const sha256 = typeof opts.record === 'string' ? opts.record : sha256File(binary);
    writeFileSync(join(root, CHECKSUMS_FILE), JSON.stringify({ version: '0.1.0', packages: { '@k6-llm/meter-linux-x64': { binary: 'bin/meter', sha256 } } }));
  }
  if (opts.installed === false) rmSync(pkg, { recursive: true });
  return { root, binary, project };
}

const oneLine = (re: RegExp) => (err: unknown) => err instanceof MeterProvisionError && !err.message.includes('\n') && re.test(err.message);

test('the platform package whose SHA-256 matches the record is used, without Go', () => {
  const { root, binary } = install();
  assert.equal(packagedMeter(root, LINUX_X64), binary);
  assert.equal(ensureMeter({ packageRoot: root, env: { PATH: '' }, os: 'linux', cpu: 'x64', log: () => {} }), binary);
});

test('a binary that is not the recorded one is refused in one line, before it is started', () => {
  const { root, binary } = install();
  appendFileSync(binary, '# one more line\n');
  const refused = oneLine(/^invalid @k6-llm\/meter-linux-x64@0\.1\.0 \(.*bin\/meter\); expected the binary k6-llm 0\.1\.0 recorded \(SHA-256 [0-9a-f]{16}…\), got SHA-256 [0-9a-f]{16}…, so it is not started; reinstall k6-llm/);
  assert.throws(() => packagedMeter(root, LINUX_X64), refused);
  // Not a reason to fall back to a build from source: a tampered binary is an error, Go or not.
  assert.throws(() => ensureMeter({ packageRoot: root, env: { PATH: process.env.PATH }, os: 'linux', cpu: 'x64', log: () => {} }), refused);
  // K6_LLM_METER_BINARY still comes first.
  assert.equal(ensureMeter({ packageRoot: root, env: { K6_LLM_METER_BINARY: binary }, os: 'linux', cpu: 'x64' }), binary);
});

test('no record of the binary (a k6-llm not made by npm run pack, or no entry for it): refused', () => {
  assert.throws(() => packagedMeter(install({ record: false }).root, LINUX_X64), oneLine(/expected its SHA-256 recorded in .*dist\/meter-checksums\.json, got no such file/));
  const { root } = install();
  writeFileSync(join(root, CHECKSUMS_FILE), JSON.stringify({ version: '0.1.0', packages: {} }));
  assert.throws(() => packagedMeter(root, LINUX_X64), oneLine(/expected its SHA-256 in .*, got no entry for it/));
  writeFileSync(join(root, CHECKSUMS_FILE), '{"version": "0.1.0", "packages": {"@k6-llm/meter-linux-x64": {"binary": "bin/meter", "sha256": "abc"}}}');
  assert.throws(() => packagedMeter(root, LINUX_X64), oneLine(/^invalid .*meter-checksums\.json; expected "@k6-llm\/meter-linux-x64" to be \{"binary": "bin\/\.\.\.", "sha256": "<64 hex>"\}/));
});

test('not installed: null, and without Go one line naming the platform, the package, --omit=optional and the fixes', () => {
  const { root } = install({ installed: false });
  assert.equal(packagedMeter(root, LINUX_X64), null);
  assert.throws(
    () => ensureMeter({ packageRoot: root, env: { PATH: '' }, os: 'linux', cpu: 'x64', log: () => {} }),
    oneLine(/^no stream meter for linux\/x64: .*@k6-llm\/meter-linux-x64 is not installed \(npm leaves it out with --omit=optional.*Go is not on PATH.*set K6_LLM_METER_BINARY/),
  );
  assert.match(noMeterMessage('freebsd', 'x64'), /^no stream meter for freebsd\/x64: K6_LLM_METER_BINARY is not set, no prebuilt meter package exists for it \(prebuilt: linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64\), and Go is not on PATH/);
  assert.doesNotMatch(noMeterMessage('freebsd', 'x64'), /omit=optional/);
});

test('platform names: npm os/cpu to package, Go target and binary', () => {
  assert.deepEqual(
    METER_PLATFORMS.map((p) => `${meterPackageName(p)} ${p.goos}/${p.goarch} ${meterBinaryPath(p)}`),
    [
      '@k6-llm/meter-linux-x64 linux/amd64 bin/meter',
      '@k6-llm/meter-linux-arm64 linux/arm64 bin/meter',
      '@k6-llm/meter-darwin-x64 darwin/amd64 bin/meter',
      '@k6-llm/meter-darwin-arm64 darwin/arm64 bin/meter',
      '@k6-llm/meter-win32-x64 windows/amd64 bin/meter.exe',
    ],
  );
  assert.equal(meterPlatform('linux', 'ia32'), null);
  assert.throws(() => parseMeterChecksums('{', 'f.json'), { message: /^invalid f\.json; expected JSON, got a parse error/ });
  assert.throws(() => parseMeterChecksums('[]', 'f.json'), { message: /^invalid f\.json; expected \{"version": "\.\.\.", "packages": \{\.\.\.\}\}, got \[\]/ });
});
