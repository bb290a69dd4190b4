// `npm run bench`: prints what k6-llm's numbers are worth and what they cost.
// 1. Accuracy: chat against the mock (TTFT 200 ms, 20 ms between tokens, 64
//    tokens) at 20 streams for 30 s, measured figures against the schedule.
// 2. Cost: at 20, 200 and 500 streams, k6's CPU per streamed SSE event for
//    the full measurement and for the empty-handler reference, side by side,
//    and the TTFT/ITL error at each load. The mock's own send lateness is
//    printed too: error it causes is the server's, not the generator's.
// Figures only; nothing here passes or fails.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDurationMs } from '../../src/duration.ts';
import type { LlmReport } from '../../src/summary/llm-summary.ts';
import { ensureK6, repoRoot } from '../provision/k6.ts';
import { parseMockArgs } from '../mock-server/config.ts';
import { createMockServer, type MockServer } from '../mock-server/server.ts';

const TTFT = 200;
const ITL = 20;
const TOKENS = 64;
// Events per completed stream besides content: role chunk, finish, usage, [DONE].
const EXTRA_EVENTS = 4;
const CLOCK_TICKS_PER_SECOND = 100;

interface Run {
  report: LlmReport | null;
  cpuMs: number;
  events: number;
  mockLatenessP99: number;
  mockLoopDelayP99: number;
}

/** Reads utime + stime of a process from /proc, in ms. */
function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

async function runK6(k6: string, script: string, mock: MockServer, url: string, vus: number, duration: string): Promise<Run> {
  const outDir = mkdtempSync(join(tmpdir(), 'k6-llm-bench-'));
  // Per-run lateness figures: the mock's stats start from zero for each run.
  await fetch(url.replace(/\/v1$/, '/mock/reset-stats'), { method: 'POST' });
  const args = ['run', '--quiet', '-e', `LLM_BASE_URL=${url}`, '-e', `LLM_VUS=${vus}`, '-e', `LLM_DURATION=${duration}`];
  args.push('-e', `LLM_MAX_TOKENS=${TOKENS}`, '-e', 'LLM_TURNS=1', '-e', `LLM_OUT_DIR=${outDir}`, '-e', 'LLM_THRESHOLDS=none', script);
  const child = spawn(k6, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, K6_AUTO_EXTENSION_RESOLUTION: 'false' } });
  // CPU per event is taken over a steady window (after VU start-up, before the
  // graceful stop), so the one-off cost of initialising VUs does not count.
  const window: { cpuMs: number; events: number }[] = [];
  const sample = (): void => {
    const cpu = child.pid === undefined ? null : cpuMsOf(child.pid);
    const st = mock.stats();
    if (cpu !== null) window.push({ cpuMs: cpu, events: st.chunksSent + EXTRA_EVENTS * (st.streams - st.activeStreams) });
  };
  const loadMs = parseDurationMs(duration)! * 0.75;
  const t1 = setTimeout(sample, Math.min(4000, loadMs / 3));
  const t2 = setTimeout(sample, loadMs - 1000);
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  clearTimeout(t1);
  clearTimeout(t2);
  const after = mock.stats();
  const path = join(outDir, 'llm-summary.json');
  const report = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as LlmReport) : null;
  const [a, b] = window;
  const cpuMs = a && b ? b.cpuMs - a.cpuMs : NaN;
  const events = a && b ? b.events - a.events : NaN;
  return { report, cpuMs, events, mockLatenessP99: after.lateness.p99, mockLoopDelayP99: after.eventLoopDelay.p99 };
}

const f = (n: number | null | undefined, digits = 1): string => (n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
const signed = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(1)}`);

async function main(): Promise<void> {
  const root = repoRoot();
  const k6 = ensureK6();
  const chat = join(root, 'dist', 'chat.js');
  const reference = join(root, 'dist', 'bench', 'reference.js');
  const mock = createMockServer(parseMockArgs(['--quiet', '--ttft-ms', String(TTFT), '--itl-ms', String(ITL), '--output-tokens', String(TOKENS)], {}));
  const { url } = await mock.listen();
  const e2eTruth = TTFT + (TOKENS - 1) * ITL;

  console.log(`k6-llm bench · mock TTFT ${TTFT} ms, ITL ${ITL} ms, ${TOKENS} tokens (true E2E ${e2eTruth} ms) · ${k6}`);
  console.log('\n1. Accuracy at 20 concurrent streams, 30 s');
  const acc = await runK6(k6, chat, mock, url, 20, '30s');
  const w = acc.report?.workloads.chat;
  if (w) {
    const completed = w.requests - w.interrupted;
    console.log(`   TTFT  p50 ${f(w.ttftMs?.p50)} ms (error ${signed((w.ttftMs?.p50 ?? NaN) - TTFT)}), p99 ${f(w.ttftMs?.p99)} ms (error ${signed((w.ttftMs?.p99 ?? NaN) - TTFT)})`);
    console.log(`   ITL   p50 ${f(w.itlMs?.p50, 2)} ms (error ${signed((w.itlMs?.p50 ?? NaN) - ITL)}), p99 ${f(w.itlMs?.p99, 2)} ms`);
    console.log(`   E2E   p50 ${f(w.e2eMs?.p50)} ms (error ${signed((w.e2eMs?.p50 ?? NaN) - e2eTruth)})`);
    console.log(`   tokens ${w.outputTokens} over ${completed} completed requests: ${w.outputTokens === completed * TOKENS ? 'exact' : `NOT exact (expected ${completed * TOKENS})`}`);
    const g = acc.report?.generator;
    console.log(
      `   generator: timer lag p99 ${f(g?.lagMs?.p99, 2)} ms, send lag p99 ${f(g?.sendLagMs?.p99, 2)} ms, read lag p99 ${f(g?.readLagMs?.p99, 2)} ms` +
        ` (${g?.kernelStamps ? 'kernel receive times' : 'read times'}) · mock send lateness p99 ${f(acc.mockLatenessP99, 2)} ms, event-loop delay p99 ${f(acc.mockLoopDelayP99, 2)} ms`,
    );
  } else {
    console.log('   no summary written');
  }

  console.log('\n2. Cost and accuracy under load (15 s each; CPU of the whole k6 process over the steady window, per event in that window)');
  console.log('   streams  handler     requests    events  k6 CPU s  µs/event  vs ref  TTFT p50 err  TTFT p99 err  ITL p50 err  ITL p99 err  send lag p99  read lag p99  mock late p99  mock loop p99');
  for (const vus of [20, 200, 500]) {
    const ref = await runK6(k6, reference, mock, url, vus, '15s');
    const full = await runK6(k6, chat, mock, url, vus, '15s');
    const refUs = (ref.cpuMs * 1000) / ref.events;
    const fullUs = (full.cpuMs * 1000) / full.events;
    const fw = full.report?.workloads.chat;
    console.log(
      `   ${String(vus).padStart(7)}  ${'empty'.padEnd(10)}${String('-').padStart(9)}${String(ref.events).padStart(10)}${f(ref.cpuMs / 1000, 2).padStart(10)}${f(refUs, 1).padStart(10)}${'1.00'.padStart(8)}`,
    );
    console.log(
      `   ${String(vus).padStart(7)}  ${'k6-llm'.padEnd(10)}${String(fw?.requests ?? '-').padStart(9)}${String(full.events).padStart(10)}${f(full.cpuMs / 1000, 2).padStart(10)}${f(fullUs, 1).padStart(10)}${f(fullUs / refUs, 2).padStart(8)}` +
        `${signed((fw?.ttftMs?.p50 ?? NaN) - TTFT).padStart(14)}${signed((fw?.ttftMs?.p99 ?? NaN) - TTFT).padStart(14)}` +
        `${signed((fw?.itlMs?.p50 ?? NaN) - ITL).padStart(13)}${signed((fw?.itlMs?.p99 ?? NaN) - ITL).padStart(13)}` +
        `${f(full.report?.generator.sendLagMs?.p99, 1).padStart(14)}${f(full.report?.generator.readLagMs?.p99, 1).padStart(14)}${f(full.mockLatenessP99, 2).padStart(15)}${f(full.mockLoopDelayP99, 2).padStart(15)}`,
    );
  }
  await mock.close();
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
