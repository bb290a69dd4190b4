import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildKey, cacheRoot, ensureK6, K6BuildError, readVersions, repoRoot } from '../../../tools/k6-build/ensure-k6.ts';

const root = repoRoot();

test('versions are pinned in versions.json', () => {
  const v = readVersions(root);
  assert.match(v.k6, /^v1\.\d+\.\d+$/);
  assert.match(v.xk6, /^v\d+\.\d+\.\d+$/);
  assert.ok(v.extensions.some((e) => e.module === 'github.com/k6-llm/xk6-llmstream'));
});

test('the cache key follows the versions and the optional extensions', () => {
  const v = readVersions(root);
  const key = buildKey(root, v, []);
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.equal(buildKey(root, v, []), key);
  assert.notEqual(buildKey(root, { ...v, k6: 'v1.0.0' }, []), key);
  assert.notEqual(buildKey(root, v, [{ module: 'm', version: 'v1' }]), key);
});

test('the cache lives outside the repository', () => {
  assert.equal(cacheRoot({ XDG_CACHE_HOME: '/x' }), '/x/k6-llm');
  assert.equal(cacheRoot({ K6_LLM_CACHE: '/y/c' }), '/y/c');
  assert.ok(!cacheRoot({}).startsWith(root));
});

test('without Go the build stops with one line saying what to do', () => {
  const empty = mkdtempSync(join(tmpdir(), 'k6-llm-nogo-'));
  assert.throws(
    () => ensureK6({ env: { PATH: empty, K6_LLM_CACHE: empty }, log: () => {} }),
    (err: unknown) =>
      err instanceof K6BuildError &&
      /^Go is needed to build k6 with xk6 and was not found on PATH; install Go .* or set K6_BINARY/.test(err.message) &&
      !err.message.includes('\n'),
  );
});

test('K6_BINARY is used as given, and checked', () => {
  assert.throws(() => ensureK6({ env: { K6_BINARY: '/no/such/k6' }, log: () => {} }), /invalid K6_BINARY; expected an existing k6 binary, got "\/no\/such\/k6"/);
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-fake-'));
  const fake = join(dir, 'k6');
  writeFileSync(fake, '#!/bin/sh\necho "k6 v1.3.0 (fake)"\n');
  chmodSync(fake, 0o755);
  assert.equal(ensureK6({ env: { K6_BINARY: fake }, log: () => {} }), fake);
  const broken = join(dir, 'broken');
  writeFileSync(broken, '#!/bin/sh\nexit 3\n');
  chmodSync(broken, 0o755);
  assert.throws(() => ensureK6({ env: { K6_BINARY: broken }, log: () => {} }), /expected `k6 version` to succeed, got exit code 3/);
});

test('an unknown extra extension is rejected', () => {
  assert.throws(() => ensureK6({ env: { K6_LLM_EXTRA_EXTENSIONS: 'grpc' }, log: () => {} }), /invalid K6_LLM_EXTRA_EXTENSIONS; expected names from sse, got "grpc"/);
});
