// The stream meter's prebuilt platform packages, as esbuild ships its binary
// (@esbuild/linux-x64, ...): one npm package per platform holding only the
// binary, installed by npm as an optional dependency of k6-llm when its os
// and cpu match. This module names them, and reads the record of their
// binaries' SHA-256 that the release build writes into the main package
// (dist/meter-checksums.json, tools/pack/main.ts), and finds the installed one,
// checked against that record.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One platform the meter is prebuilt for. */
export interface MeterPlatform {
  /** npm's name of the operating system (process.platform, package.json "os"). */
  os: 'linux' | 'darwin' | 'win32';
  /** npm's name of the CPU (process.arch, package.json "cpu"). */
  cpu: 'x64' | 'arm64';
  /** Go's GOOS. */
  goos: 'linux' | 'darwin' | 'windows';
  /** Go's GOARCH. */
  goarch: 'amd64' | 'arm64';
}

/** Every prebuilt platform, in release order. */
export const METER_PLATFORMS: readonly MeterPlatform[] = [
  { os: 'linux', cpu: 'x64', goos: 'linux', goarch: 'amd64' },
  { os: 'linux', cpu: 'arm64', goos: 'linux', goarch: 'arm64' },
  { os: 'darwin', cpu: 'x64', goos: 'darwin', goarch: 'amd64' },
  { os: 'darwin', cpu: 'arm64', goos: 'darwin', goarch: 'arm64' },
  { os: 'win32', cpu: 'x64', goos: 'windows', goarch: 'amd64' },
];

/** The npm package of a platform's meter: `@k6-llm/meter-linux-x64`. */
export function meterPackageName(p: Pick<MeterPlatform, 'os' | 'cpu'>): string {
  return `@k6-llm/meter-${p.os}-${p.cpu}`;
}

/** The binary's path inside its package: `bin/meter`, `bin/meter.exe` on Windows. */
export function meterBinaryPath(p: Pick<MeterPlatform, 'os'>): string {
  return p.os === 'win32' ? 'bin/meter.exe' : 'bin/meter';
}

/** The prebuilt platform for `os`/`cpu` (process.platform, process.arch), or null. */
export function meterPlatform(os: string = process.platform, cpu: string = process.arch): MeterPlatform | null {
  return METER_PLATFORMS.find((p) => p.os === os && p.cpu === cpu) ?? null;
}

/** Where the main package records its platform binaries' SHA-256, relative to its root. */
export const CHECKSUMS_FILE = 'dist/meter-checksums.json';

/** dist/meter-checksums.json: the k6-llm version and, per platform package, its binary and SHA-256. */
export interface MeterChecksums {
  version: string;
  packages: Record<string, { binary: string; sha256: string }>;
}

/** Reads dist/meter-checksums.json's text; throws one line saying what is wrong (`where` names the file). */
export function parseMeterChecksums(text: string, where: string): MeterChecksums {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`invalid ${where}; expected JSON, got a parse error (${(err as Error).message})`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(data) || typeof data.version !== 'string' || !isObject(data.packages)) {
    throw new Error(`invalid ${where}; expected {"version": "...", "packages": {...}}, got ${JSON.stringify(data).slice(0, 80)}`);
  }
  const packages: MeterChecksums['packages'] = {};
  for (const [name, entry] of Object.entries(data.packages)) {
    if (!isObject(entry) || typeof entry.binary !== 'string' || typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) {
      throw new Error(`invalid ${where}; expected "${name}" to be {"binary": "bin/...", "sha256": "<64 hex>"}, got ${JSON.stringify(entry).slice(0, 120)}`);
    }
    packages[name] = { binary: entry.binary, sha256: entry.sha256 };
  }
  return { version: data.version, packages };
}

/** The SHA-256 of a file, hex. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * The meter binary of the platform package installed beside the k6-llm
 * package at `root`, or null when none is installed, or the one-line problem
 * when one is installed but cannot be trusted: no binary in it, no SHA-256
 * recorded for it in `<root>/dist/meter-checksums.json`, or a binary whose
 * SHA-256 is not the recorded one (checked on every use, before it starts).
 */
export function findPackagedMeter(root: string, platform: MeterPlatform): { binary: string } | { problem: string } | null {
  const name = meterPackageName(platform);
  let manifest: string;
  try {
    manifest = createRequire(join(root, 'package.json')).resolve(`${name}/package.json`);
  } catch {
    return null;
  }
  const dir = dirname(manifest);
  const binary = join(dir, meterBinaryPath(platform));
  let installed = '?';
  try {
    installed = String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version ?? '?');
  } catch {
    // the version only names it in messages
  }
  const problem = (text: string) => ({ problem: text });
  const fix = 'reinstall k6-llm (its platform package comes with it, at the same version), or set K6_LLM_METER_BINARY to a meter you built';
  if (!existsSync(binary)) return problem(`invalid ${name}@${installed} (${dir}); expected its binary ${meterBinaryPath(platform)}, got none; ${fix}`);
  const checksumsPath = join(root, CHECKSUMS_FILE);
  if (!existsSync(checksumsPath)) {
    return problem(`invalid ${name}@${installed} (${binary}); expected its SHA-256 recorded in ${checksumsPath}, got no such file (this k6-llm was not made by npm run pack), so its binary is not used; ${fix}`);
  }
  let recorded: string | undefined;
  let version: string;
  try {
    const checksums = parseMeterChecksums(readFileSync(checksumsPath, 'utf8'), checksumsPath);
    recorded = checksums.packages[name]?.sha256;
    version = checksums.version;
  } catch (err) {
    return { problem: (err as Error).message };
  }
  if (!recorded) return problem(`invalid ${name}@${installed} (${binary}); expected its SHA-256 in ${checksumsPath}, got no entry for it; ${fix}`);
  const actual = sha256File(binary);
  if (actual !== recorded) {
    return problem(
      `invalid ${name}@${installed} (${binary}); expected the binary k6-llm ${version} recorded (SHA-256 ${recorded.slice(0, 16)}…), got SHA-256 ${actual.slice(0, 16)}…, so it is not started; ${fix}`,
    );
  }
  return { binary };
}

/** The one line when no meter can be had: the platform, what was looked for, and how to get one. */
export function noMeterMessage(os: string, cpu: string): string {
  const platform = meterPlatform(os, cpu);
  const looked = platform
    ? `the package ${meterPackageName(platform)} is not installed (npm leaves it out with --omit=optional or --no-optional)`
    : `no prebuilt meter package exists for it (prebuilt: ${METER_PLATFORMS.map((p) => `${p.os}-${p.cpu}`).join(', ')})`;
  const reinstall = platform ? 'reinstall k6-llm without --omit=optional, or ' : '';
  return (
    `no stream meter for ${os}/${cpu}: K6_LLM_METER_BINARY is not set, ${looked}, and Go is not on PATH to build it from source; ` +
    `${reinstall}install Go 1.22 or newer (https://go.dev/doc/install; Debian 13 or newer: apt-get install golang), or set K6_LLM_METER_BINARY to a built meter`
  );
}
