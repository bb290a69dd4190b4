// Makes sure a k6 binary with k6-llm's extensions exists, building it with
// xk6 from the Go module proxy when it does not. Versions come from
// versions.json only; the binary lives in a cache outside the repository,
// keyed by those versions and the extension sources, so later runs reuse it.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pinned build, as versions.json states it. */
export interface K6Versions {
  k6: string;
  xk6: string;
  extensions: { module: string; path: string }[];
  optionalExtensions: Record<string, { module: string; version: string }>;
}

/** A k6 build problem the user can act on; the message is one line. */
export class K6BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'K6BuildError';
  }
}

/** The repository root (tools are bundled into dist/tools, sources live in tools/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new K6BuildError('cannot find the k6-llm package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

/** Reads tools/k6-build/versions.json. */
export function readVersions(root = repoRoot()): K6Versions {
  return JSON.parse(readFileSync(join(root, 'tools/k6-build/versions.json'), 'utf8')) as K6Versions;
}

/** Where built binaries are cached: $K6_LLM_CACHE, else $XDG_CACHE_HOME/k6-llm, else ~/.cache/k6-llm. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.K6_LLM_CACHE) return resolve(env.K6_LLM_CACHE);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'k6-llm');
}

/** Extra extensions asked for by K6_LLM_EXTRA_EXTENSIONS (comma list of names in optionalExtensions). */
function optionalWanted(versions: K6Versions, env: NodeJS.ProcessEnv): { module: string; version: string }[] {
  const names = (env.K6_LLM_EXTRA_EXTENSIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return names.map((name) => {
    const ext = versions.optionalExtensions[name];
    if (!ext) {
      throw new K6BuildError(
        `invalid K6_LLM_EXTRA_EXTENSIONS; expected names from ${Object.keys(versions.optionalExtensions).join(', ')}, got "${name}"`,
      );
    }
    return ext;
  });
}

/** Cache key: the pinned versions, the optional extensions and every extension source file. */
export function buildKey(root: string, versions: K6Versions, optional: { module: string; version: string }[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ k6: versions.k6, xk6: versions.xk6, extensions: versions.extensions, optional }));
  for (const ext of versions.extensions) {
    const dir = join(root, ext.path);
    // Go test files do not change the binary.
    for (const file of listFiles(dir).filter((f) => !f.endsWith('_test.go'))) {
      hash.update(relative(root, file));
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; log: (line: string) => void }): string {
  const res = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new K6BuildError(`could not run ${cmd}: ${res.error.message}`);
  if (res.status !== 0) {
    const tail = `${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-15).join('\n');
    opts.log(tail);
    throw new K6BuildError(`${cmd} ${args.join(' ')} failed with exit code ${res.status} (output above)`);
  }
  return res.stdout;
}

/** Environment for go and xk6: module proxy only, and checksums verified except where the checksum database has no entry. */
function goEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    GOFLAGS: '-mod=mod',
    // xk6 v0.20.1 depends on github.com/szkiba/efa, which the public checksum
    // database does not list; the module proxy serves it. Only it skips the check.
    GONOSUMDB: [env.GONOSUMDB, 'github.com/szkiba/efa'].filter(Boolean).join(','),
    // k6 v1 would otherwise try to provision extensions from a network service.
    K6_AUTO_EXTENSION_RESOLUTION: 'false',
  };
}

/** Checks that `binary` runs and lists every required extension module. */
export function verifyK6(binary: string, required: string[]): string {
  const res = spawnSync(binary, ['version'], { encoding: 'utf8', env: { ...process.env, K6_AUTO_EXTENSION_RESOLUTION: 'false' } });
  if (res.error || res.status !== 0) {
    throw new K6BuildError(`invalid k6 binary ${binary}; expected \`k6 version\` to succeed, got ${res.error?.message ?? `exit code ${res.status}`}`);
  }
  for (const module of required) {
    if (!res.stdout.includes(module)) {
      throw new K6BuildError(`invalid k6 binary ${binary}; expected \`k6 version\` to list ${module}, got:\n${res.stdout.trim()}`);
    }
  }
  return res.stdout.trim();
}

/** Builds xk6 itself into the cache (a throwaway module pins its version). */
function ensureXk6(cache: string, versions: K6Versions, env: NodeJS.ProcessEnv, log: (line: string) => void): string {
  const dir = join(cache, `xk6-${versions.xk6}`);
  const binary = join(dir, 'xk6');
  if (existsSync(binary)) return binary;
  log(`building xk6 ${versions.xk6} into ${dir}`);
  const work = join(dir, 'src');
  mkdirSync(work, { recursive: true });
  // `go install pkg@version` would also ask the proxy for the version list,
  // which it refuses for xk6; a pinned require in a module does not.
  writeFileSync(join(work, 'go.mod'), `module k6llm.local/xk6tool\n\ngo 1.23\n\nrequire go.k6.io/xk6 ${versions.xk6}\n`);
  writeFileSync(join(work, 'tools.go'), '//go:build tools\n\npackage xk6tool\n\nimport _ "go.k6.io/xk6/cmd/xk6"\n');
  run('go', ['mod', 'tidy'], { cwd: work, env, log });
  run('go', ['build', '-o', binary + '.tmp', 'go.k6.io/xk6/cmd/xk6'], { cwd: work, env, log });
  renameSync(binary + '.tmp', binary);
  return binary;
}

/** Options of ensureK6. */
export interface EnsureOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/**
 * Returns the path of a k6 binary with k6-llm's extensions: $K6_BINARY if
 * set (verified), else the cached build, building it first if needed.
 */
export function ensureK6(options: EnsureOptions = {}): string {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = repoRoot();
  const versions = readVersions(root);
  const optional = optionalWanted(versions, env);
  const required = [...versions.extensions.map((e) => e.module), ...optional.map((e) => e.module)];

  if (env.K6_BINARY) {
    const binary = resolve(env.K6_BINARY);
    if (!existsSync(binary)) throw new K6BuildError(`invalid K6_BINARY; expected an existing k6 binary, got "${env.K6_BINARY}"`);
    // A user's own build may carry xk6-sse instead of our extension.
    verifyK6(binary, []);
    return binary;
  }

  const cache = cacheRoot(env);
  const dir = join(cache, `k6-${versions.k6}-${buildKey(root, versions, optional)}`);
  const binary = join(dir, 'k6');
  if (existsSync(binary)) {
    verifyK6(binary, required);
    return binary;
  }

  const go = spawnSync('go', ['version'], { encoding: 'utf8', env });
  if (go.error || go.status !== 0) {
    throw new K6BuildError(
      'Go is needed to build k6 with xk6 and was not found on PATH; install Go 1.23 or newer (https://go.dev/doc/install, or `apt-get install golang`), or set K6_BINARY to a k6 built with k6/x/llmstream or xk6-sse',
    );
  }
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, '.building');
  try {
    mkdirSync(lock);
  } catch {
    throw new K6BuildError(`another k6 build is running in ${dir} (remove ${lock} if it is stale)`);
  }
  try {
    const genv = goEnv(env);
    const xk6 = ensureXk6(cache, versions, genv, log);
    log(`building k6 ${versions.k6} with ${required.join(', ')} (first time only; takes a few minutes)`);
    const args = ['build', versions.k6, '--output', binary + '.tmp'];
    for (const ext of versions.extensions) args.push('--with', `${ext.module}=${join(root, ext.path)}`);
    for (const ext of optional) args.push('--with', `${ext.module}@${ext.version}`);
    run(xk6, args, { cwd: dir, env: genv, log });
    verifyK6(binary + '.tmp', required);
    renameSync(binary + '.tmp', binary);
    log(`k6 ready: ${binary}`);
    return binary;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
