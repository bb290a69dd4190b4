// The stream meter's prebuilt platform packages, as esbuild ships its binary
// (@esbuild/linux-x64, ...): one npm package per platform holding only the
// binary, installed by npm as an optional dependency of k6-llm when its os
// and cpu match. This module names them, and reads the record of their
// binaries' SHA-256 that the release build writes into the main package
// (dist/meter-checksums.json, tools/pack/main.ts).

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
