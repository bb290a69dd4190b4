// `npm run bench -- --merge [minutes] [streams]`: the memory and time `k6-llm
// merge` takes for a long run, measured on synthetic records. Writes the
// records files two instances of `streams` streams would write in `minutes`
// (the mock's shape: TTFT about 200 ms, a token about every 20 ms, 64
// tokens: 50 events/s per stream), merges them with the CLI in a child
// process and prints its peak RSS (VmHWM, polled), its time, the samples
// held and the bytes per sample. Figures only.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BYTES_PER_SAMPLE } from '../../src/merge/samples.ts';
import { seeded, streamTimes, syntheticRecordLine, syntheticSummary } from '../merge/synthetic.ts';
import { memoryOf } from './proc.ts';

const TOKENS = 64;
const TTFT_MS = 200;
const ITL_MS = 20;
const INSTANCES = 2;

/** Writes one instance's records: `requests` streams, buffered in 4 MiB writes. */
function writeInstance(dir: string, requests: number, seed: number): number {
  mkdirSync(dir, { recursive: true });
  const fd = openSync(join(dir, 'requests.jsonl'), 'w');
  const random = seeded(seed);
  let buffer = '';
  for (let i = 0; i < requests; i++) {
    buffer += `${syntheticRecordLine({ workload: 'chat', tokenTimes: streamTimes(random, TTFT_MS, ITL_MS, TOKENS) }, i % 250)}\n`;
    if (buffer.length > 4 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
  const summary = JSON.stringify(syntheticSummary('chat', 'thresholds/chat.json (default)'));
  const sfd = openSync(join(dir, 'llm-summary.json'), 'w');
  writeSync(sfd, summary);
  closeSync(sfd);
  return statSync(join(dir, 'requests.jsonl')).size;
}

/** Runs the measurement and prints it. */
export async function mergeMemoryBench(cli: string, argv: string[]): Promise<void> {
  const minutes = Number(argv[0] ?? 60);
  const streams = Number(argv[1] ?? 500);
  if (!(minutes > 0) || !(streams > 0)) throw new Error(`invalid --merge arguments; expected minutes and streams, e.g. --merge 60 500, got "${argv.join(' ')}"`);
  const requestMs = TTFT_MS + (TOKENS - 1) * ITL_MS;
  const requests = Math.round((streams * minutes * 60_000) / requestMs);
  const root = mkdtempSync(join(tmpdir(), 'k6-llm-merge-bench-'));
  try {
    console.log(`merge memory: ${INSTANCES} instances, ${streams} streams for ${minutes} min (${requests} requests of ${TOKENS} tokens, ${(1000 / ITL_MS).toFixed(0)} events/s per stream), synthetic records`);
    const started = performance.now();
    let bytes = 0;
    const dirs: string[] = [];
    for (let i = 0; i < INSTANCES; i++) {
      const dir = join(root, `instance-${i}`);
      bytes += writeInstance(dir, Math.ceil(requests / INSTANCES), i + 1);
      dirs.push(dir);
    }
    console.log(`  records: ${(bytes / 2 ** 30).toFixed(2)} GiB written in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, 'merge', ...dirs, '--out', join(root, 'merged')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (stderr += c));
    let hwmKb = 0;
    const poll = setInterval(() => {
      const m = memoryOf(child.pid as number);
      if (m?.hwmKb) hwmKb = Math.max(hwmKb, m.hwmKb);
    }, 100);
    const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
    clearInterval(poll);
    const seconds = (performance.now() - t0) / 1000;
    const line = /merged (\d+) requests \((\d+) samples, ([\d.]+) MiB of sample columns\)/.exec(stderr);
    const samples = Number(line?.[2] ?? NaN);
    console.log(`  merge: exit ${code} in ${seconds.toFixed(0)} s, peak RSS ${(hwmKb / 2 ** 20).toFixed(2)} GiB (VmHWM, polled every 100 ms)`);
    console.log(`  samples: ${samples} held in ${line?.[3] ?? '?'} MiB of columns (${BYTES_PER_SAMPLE} bytes each, up to 2x with the doubling slack); peak RSS per sample ${((hwmKb * 1024) / samples).toFixed(1)} bytes`);
    if (code !== 0 && code !== 99) console.log(`  merge failed: ${stderr.trim().split('\n').slice(-2).join(' | ')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
