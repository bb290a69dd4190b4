// The bench's reference client (reference-client.py, a minimal aiohttp
// streaming client like vLLM's benchmark request function) in the bench's
// own virtual environment (made once under the k6-llm cache with the pinned
// aiohttp from PyPI, then reused), and its run at one load.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../provision/k6.ts';
import { mockEvents, startMock } from './mock-process.ts';
import { cpuMsOf, memoryOf } from './proc.ts';
import type { ReferenceResult } from './report.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

/** How the bench runs a load: the mock's shape, the load's length and the steady window's rules (main.ts's constants). */
export interface RunShape {
  ttftMs: number;
  tokens: number;
  promptTokens: number;
  loadMs: number;
  settleMs: number;
  endMarginMs: number;
  pollMs: number;
  limitMs: number;
}

/**
 * The reference client at one load: the mock alone with it, its CPU over a
 * steady window found as k6's is (every stream active, then settleMs, to
 * endMarginMs before its load ends), divided by the tokens the mock sent.
 */
export async function runReference(root: string, python: string, load: { streams: number; itlMs: number }, shape: RunShape): Promise<ReferenceResult> {
  const { ttftMs: TTFT_MS, tokens: TOKENS, promptTokens: PROMPT_TOKENS, loadMs: LOAD_MS, settleMs: SETTLE_MS, endMarginMs: END_MARGIN_MS, pollMs: POLL_MS, limitMs: K6_LIMIT_MS } = shape;
  const problems: string[] = [];
  const result: ReferenceResult = { streams: load.streams, window: null, cpuMs: null, tokens: null, events: null, memory: { hwmKb: null, rssKb: null }, figures: null, problems };
  const mock = await startMock(root, { ttftMs: TTFT_MS, itlMs: load.itlMs, outputTokens: TOKENS });
  const ref = startReference({
    python,
    script: join(root, 'tools', 'bench', 'reference-client.py'),
    url: `${mock.url}/chat/completions`,
    concurrency: load.streams,
    durationS: LOAD_MS / 1000,
    promptTokens: PROMPT_TOKENS,
    maxTokens: TOKENS,
  });
  const pid = ref.child.pid!;
  let done = false;
  const exited = new Promise<number | null>((r) => ref.child.once('close', (code) => ((done = true), r(code))));
  const limit = setTimeout(() => {
    problems.push(`the reference client ran longer than ${K6_LIMIT_MS / 1000} s and was stopped`);
    ref.child.kill('SIGKILL');
  }, K6_LIMIT_MS);
  try {
    const snap = async () => {
      const stats = await mock.stats();
      return { unixMs: Date.now(), cpu: cpuMsOf(pid), stats };
    };
    let first: number | null = null;
    let all: number | null = null;
    let w1: Awaited<ReturnType<typeof snap>> | null = null;
    let w2: Awaited<ReturnType<typeof snap>> | null = null;
    while (!done) {
      await sleep(POLL_MS);
      if (done) break;
      const now = Date.now();
      const mem = memoryOf(pid);
      if (mem?.hwmKb) result.memory.hwmKb = Math.max(result.memory.hwmKb ?? 0, mem.hwmKb);
      const stats = await mock.stats();
      if (!stats) continue;
      if (first === null && stats.streams > 0) first = now;
      if (all === null && stats.activeStreams >= 0.9 * load.streams) all = now;
      if (all === null && first !== null && now - first > 8000) {
        all = now;
        problems.push(`only ${stats.activeStreams} of ${load.streams} streams were active 8 s after the first request`);
      }
      if (!w1 && all !== null && now >= all + SETTLE_MS) w1 = await snap();
      if (w1 && !w2 && first !== null && now >= first + LOAD_MS - END_MARGIN_MS) w2 = await snap();
    }
    const code = await exited;
    if (code !== 0) problems.push(`the reference client exited with code ${code}: ${ref.stderr().trim().split('\n').slice(-2).join(' | ') || '(no stderr)'}`);
    result.figures = await ref.figures;
    if (w1 && w2 && w1.cpu !== null && w2.cpu !== null && w1.stats && w2.stats) {
      result.window = { ms: w2.unixMs - w1.unixMs };
      result.cpuMs = w2.cpu - w1.cpu;
      result.tokens = w2.stats.tokensSent - w1.stats.tokensSent;
      result.events = mockEvents(w2.stats) - mockEvents(w1.stats);
    } else {
      problems.push('no steady window: the run ended before one could be measured');
    }
    return result;
  } finally {
    clearTimeout(limit);
    if (ref.child.exitCode === null && ref.child.signalCode === null) ref.child.kill('SIGKILL');
    await mock.stop();
  }
}
