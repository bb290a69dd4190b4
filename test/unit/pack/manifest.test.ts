// The package as npm sees it: the clone's package.json (publishable, and
// still installable by `npm ci`), what `npm pack` ships from it, and the
// release's manifest with the platform packages pinned exactly.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../tools/provision/k6.ts';
import { METER_PLATFORMS, meterBinaryPath, meterPackageName } from '../../../tools/provision/meter-platforms.ts';
import { meterChecksums, packedFiles, publishedManifest } from '../../../tools/pack/main.ts';
import { goBuildArgs, goBuildEnv, meterPackageManifest } from '../../../tools/pack/meter-packages.ts';

const root = repoRoot();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, any>;

test('the clone\'s package.json: publishable, library entry and CLI, esbuild a dependency, no optional dependencies of its own', () => {
  assert.equal(manifest.private, undefined);
  assert.deepEqual(manifest.exports['.'], { types: './lib/k6-llm.d.ts', default: './lib/k6-llm.js' });
  assert.equal(manifest.types, './lib/k6-llm.d.ts');
  assert.deepEqual(manifest.bin, { 'k6-llm': 'bin/k6-llm.mjs' });
  assert.match(manifest.engines.node, /^>=20/);
  // `k6-llm run ./my-test.ts` bundles with esbuild on the user's machine; lib/k6-llm.d.ts imports k6's types.
  assert.ok(manifest.dependencies.esbuild && !manifest.devDependencies.esbuild);
  assert.ok(manifest.dependencies['@types/k6'] && !manifest.devDependencies['@types/k6']);
  // Unpublished platform packages here would break `npm ci` (not in the lockfile): the release adds them.
  assert.equal(manifest.optionalDependencies, undefined);
  assert.match(manifest.scripts.prepack, /node build\.mjs/);
});

test('npm pack ships what the installed CLI needs, the docs the README links to, and no tests, fixtures, sources or maps', () => {
  const files = packedFiles(root);
  for (const needed of ['bin/k6-llm.mjs', 'dist/chat.js', 'dist/tools/cli.mjs', 'lib/k6-llm.js', 'thresholds/chat.json', 'meter/go.mod', 'meter/main.go', 'meter/sseread/stampconn_other.go', 'tools/provision/k6-requirements.txt', 'LICENSE', 'package.json', 'README.md']) {
    assert.ok(files.includes(needed), `${needed} is shipped`);
  }
  // The README's links into docs/ resolve in node_modules/k6-llm too (read offline).
  for (const page of readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'))) assert.ok(files.includes(`docs/${page}`), `docs/${page} is shipped`);
  const unwanted = files.filter((f) => /^(src|test|scenarios|types|ci|examples|results)\//.test(f) || /_test\.go$|\.map$|\.ts$(?<!\.d\.ts)|^dist\/tools\/(bench|engine)|^meter\/cmd\//.test(f));
  assert.deepEqual(unwanted, []);
});

test('the release manifest pins every platform package at the package\'s own version, and keeps no scripts', () => {
  const meters = METER_PLATFORMS.map((p) => ({ name: meterPackageName(p) }));
  const published = publishedManifest(manifest, meters);
  assert.deepEqual(published.optionalDependencies, {
    '@k6-llm/meter-linux-x64': manifest.version,
    '@k6-llm/meter-linux-arm64': manifest.version,
    '@k6-llm/meter-darwin-x64': manifest.version,
    '@k6-llm/meter-darwin-arm64': manifest.version,
    '@k6-llm/meter-win32-x64': manifest.version,
  });
  assert.equal(published.scripts, undefined);
  assert.equal(published.devDependencies, undefined);
  assert.deepEqual(published.files, manifest.files);
  assert.deepEqual(published.dependencies, manifest.dependencies);
  const checksums = meterChecksums('0.1.0', [{ platform: METER_PLATFORMS[4]!, name: '@k6-llm/meter-win32-x64', dir: '/x', binary: 'bin/meter.exe', sha256: 'a'.repeat(64) }]);
  assert.deepEqual(checksums, { version: '0.1.0', packages: { '@k6-llm/meter-win32-x64': { binary: 'bin/meter.exe', sha256: 'a'.repeat(64) } } });
});

test('a platform package: npm installs it only on its os and cpu; the build is reproducible whatever the environment says', () => {
  const win = METER_PLATFORMS.find((p) => p.os === 'win32')!;
  assert.deepEqual(meterPackageManifest(win, '1.2.3', 'Apache-2.0'), {
    name: '@k6-llm/meter-win32-x64',
    version: '1.2.3',
    description: 'The k6-llm stream meter prebuilt for win32 x64 (installed by k6-llm as an optional dependency; use k6-llm, not this package)',
    license: 'Apache-2.0',
    os: ['win32'],
    cpu: ['x64'],
    files: ['bin/'],
    preferUnplugged: true,
  });
  assert.equal(meterBinaryPath(win), 'bin/meter.exe');
  const env = goBuildEnv(win, { PATH: '/go/bin', GOAMD64: 'v3', CGO_ENABLED: '1', GOFLAGS: '-race', GOOS: 'linux' });
  assert.deepEqual([env.GOOS, env.GOARCH, env.CGO_ENABLED, env.GOAMD64, env.GOFLAGS, env.GOENV, env.GOTOOLCHAIN], ['windows', 'amd64', '0', 'v1', '', 'off', 'local']);
  assert.deepEqual(goBuildArgs('1.2.3', 'out/meter'), ['build', '-trimpath', '-buildvcs=false', '-ldflags', '-s -w -buildid= -X main.version=1.2.3', '-o', 'out/meter', '.']);
});
