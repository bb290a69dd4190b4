// The bench's reference client (reference-client.py, a minimal aiohttp
// streaming client like vLLM's benchmark request function) in the bench's
// own virtual environment: made once under the k6-llm cache with the pinned
// aiohttp from PyPI, then reused.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../provision/k6.ts';

/** The aiohttp the reference client runs on (pinned: its cost is what the bench prints). */
export const AIOHTTP_VERSION = '3.14.5';

/** What the reference client printed at its end. */
export interface ReferenceFigures {
  requests: number;
  errors: number;
  tokens: number;
  ttftP50: number | null;
  ttftP99: number | null;
  itlP50: number | null;
  itlP99: number | null;
}

/** The venv's python, making the venv first when it is missing; null (with why) when python3 -m venv or pip fails. */
export function ensureReferenceVenv(env: NodeJS.ProcessEnv = process.env): { python: string } | { problem: string } {
  const dir = join(cacheRoot(env), `bench-venv-aiohttp-${AIOHTTP_VERSION}`);
  const python = join(dir, 'bin', 'python');
  if (existsSync(python)) return { python };
  mkdirSync(cacheRoot(env), { recursive: true });
  // Made beside its final name, then renamed: the cached name is always a complete venv.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    const venv = spawnSync('python3', ['-m', 'venv', tmp], { encoding: 'utf8', env });
    if (venv.error || venv.status !== 0) return { problem: `python3 -m venv failed (${venv.error?.message ?? (venv.stderr || '').trim().split('\n').pop()})` };
    process.stderr.write(`bench: installing aiohttp==${AIOHTTP_VERSION} into ${dir} (the reference client's own venv)\n`);
    const pip = spawnSync(join(tmp, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `aiohttp==${AIOHTTP_VERSION}`], { encoding: 'utf8', env });
    if (pip.error || pip.status !== 0) return { problem: `pip install aiohttp==${AIOHTTP_VERSION} failed (${pip.error?.message ?? (pip.stderr || '').trim().split('\n').pop()})` };
    renameSync(tmp, dir);
    return { python };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Options of one reference run. */
export interface ReferenceRun {
  python: string;
  script: string;
  /** The mock's chat completions URL. */
  url: string;
  concurrency: number;
  durationS: number;
  promptTokens: number;
  maxTokens: number;
}

/** Starts the reference client; `figures` resolves with its last line (null when it printed none). */
export function startReference(run: ReferenceRun): { child: ChildProcess; figures: Promise<ReferenceFigures | null>; stderr: () => string } {
  const args = [
    run.script,
    '--url',
    run.url,
    '--concurrency',
    String(run.concurrency),
    '--duration-s',
    String(run.durationS),
    '--prompt-tokens',
    String(run.promptTokens),
    '--max-tokens',
    String(run.maxTokens),
  ];
  const child = spawn(run.python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (c: string) => (out += c));
  child.stderr!.on('data', (c: string) => (err = (err + c).slice(-4000)));
  const figures = new Promise<ReferenceFigures | null>((resolve) => {
    child.once('close', () => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as ReferenceFigures);
      } catch {
        resolve(null);
      }
    });
  });
  return { child, figures, stderr: () => err };
}
