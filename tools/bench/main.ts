// `npm run bench`: what the stream meter transport costs and how true its
// figures are, at 20, 200, 500, 1000 and 2000 concurrent streams (all, or
// those named: `npm run bench -- --loads 500,2000`; `--net-http`: the meter's
// net/http path instead of its epoll reactor). `--merge` and `--text`
// measure other things (merge-memory.ts, text-cost.ts).
//
// Per load: the mock LLM server in its own process (TTFT 200 ms, one token
// every 100 ms, i.e. 10 tokens/s per stream, 32 tokens), tcpdump on lo
// filtered to the mock's port, a fresh stream meter writing a records file,
// and `k6 run dist/chat.js` through the meter for LLM_DURATION=30s, sending
// unique synthetic prompts of about 100 tokens (LLM_PROMPT_TOKENS=100: the
// user's path; `--repeated` adds a second run with the bundled demo
// prompts, repeated, named as such). Printed:
// - CPU per output token and per streamed SSE event of k6 and the meter
//   together and of each: utime+stime (/proc/<pid>/stat) over a steady
//   window that starts after every VU is streaming and ends before the
//   graceful stop, divided by the tokens the mock sent in that window, and
//   by the events the capture shows in it (the mock's counters when the
//   capture lost packets or is missing);
// - peak RSS (VmHWM) and RSS at the end of the window of both, and their
//   peak per concurrent stream;
// - in the same sitting, against the same mock at the same concurrency, a
//   reference client (reference-client.py: a minimal aiohttp streaming
//   client like vLLM's benchmark request function, in the bench's own venv;
//   `--no-reference` leaves it out): its CPU per token, so the ratio is
//   measured, not remembered;
// - TTFT and ITL error against the wire: per request, the figure k6 computes
//   from the meter's record minus the figure the packet capture gives (see
//   the ground-truth definition in wire-truth.ts, printed in the header);
// - beside it the server's share (wire TTFT − the mock's configured TTFT),
//   k6's own summary percentiles as a cross-check, the matching counts and
//   tcpdump's drop counts.
// Figures only; the targets are printed next to them, nothing passes or fails.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openaiChat } from '../../src/protocols/openai-chat.ts';
import type { LlmReport } from '../../src/summary/schema.ts';
import type { MockStats } from '../mock-server/server.ts';
import { ensureK6, k6Version, K6_ENV, repoRoot } from '../provision/k6.ts';
import { ensureMeter, redactMeterUrl, startMeter, type MeterProcess } from '../provision/meter.ts';
import { accuracy, eventsBetween, matchRequests, outliers, recordSummary, serverShare } from './match.ts';
import { mockEvents, startMock, type Mock } from './mock-process.ts';
import { clockTicksPerSecond, cpuMsOf, machineTicks, memoryOf, memorySum, total, type MachineTicks } from './proc.ts';
import { joinRecords, readRecordsFile } from './records.ts';
import { mergeRunDirs } from '../merge/merge-dirs.ts';
import { mergeMemoryBench } from './merge-memory.ts';
import { textCostBench } from './text-cost.ts';
import { segmentArgs } from '../cli/instances.ts';
import { formatLoad, formatReference, formatTable, GROUND_TRUTH, promptsLabel, TARGETS, targetsLine, type LoadResult, type Memory, type PromptKind, type ReferenceResult } from './report.ts';
import { ensureReferenceVenv, runReference } from './reference.ts';
import { pickLoads, takeFlag, takeInstances, takeOption } from './args.ts';
import { findTcpdump, startCapture, TCPDUMP_HINT, type Capture } from './tcpdump.ts';
import { analyseCapture } from './wire-truth.ts';
import { DURATION, END_MARGIN_MS, ITL_MS, LOAD_MS, LOADS, POLL_MS, PROMPT_TOKENS, SETTLE_MS, TOKENS, TTFT_MS, type BenchLoad } from './loads.ts';

/** Longest a k6 run may take (VU start-up at 2000 VUs included) before it is stopped. */
const K6_LIMIT_MS = 240_000;

interface Snapshot {
  unixMs: number;
  cpuK6: number | null;
  cpuMeter: number | null;
  cpuMock: number | null;
  cpuTcpdump: number | null;
  mock: MockStats | null;
  memK6: Memory | null;
  memMeter: Memory | null;
  machine: MachineTicks | null;
  /** The reference client's CPU (ms), when it is what runs. */
  cpuReference: number | null;
  memReference: Memory | null;
  /** This process's own CPU (µs, user + system). */
  benchUs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one load and measures it; with `instances` > 1, that many k6
 * processes as execution segments of the test (each with its own meter,
 * as `k6-llm run --instances`), their CPU and memory summed and their
 * records and summaries merged (k6-llm merge).
 */
async function runLoad(root: string, k6: string, meterBinary: string, tcpdump: string | null, load: BenchLoad, prompts: PromptKind, instances = 1, meterArgs: string[] = []): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-bench-'));
  const problems: string[] = [];
  const result: LoadResult = {
    streams: load.streams,
    prompts,
    ttftMs: TTFT_MS,
    itlMs: load.itlMs,
    itlNote: load.note,
    window: null,
    events: { capture: null, mock: null },
    tokens: null,
    cpuMs: null,
    otherCpuMs: null,
    machine: null,
    memory: { k6: { hwmKb: null, rssKb: null }, meter: { hwmKb: null, rssKb: null } },
    capture: null,
    match: null,
    accuracy: null,
    outliers: null,
    server: null,
    records: null,
    k6Summary: null,
    mock: null,
    problems,
  };
  const capturePath = join(dir, 'lo.pcap');
  const dirs = Array.from({ length: instances }, (_, i) => (instances === 1 ? dir : join(dir, `instance-${i}`)));
  // requests.jsonl: the name k6-llm merge reads in each instance folder.
  const recordsPaths = dirs.map((d) => join(d, 'requests.jsonl'));
  let mock: Mock | null = null;
  let capture: Capture | null = null;
  let meters: MeterProcess[] = [];
  let children: ChildProcess[] = [];
  try {
    mock = await startMock(root, { ttftMs: TTFT_MS, itlMs: load.itlMs, outputTokens: TOKENS });
    if (tcpdump) {
      try {
        capture = await startCapture({ binary: tcpdump, iface: 'lo', filter: `tcp port ${mock.port}`, file: capturePath, bufferKiB: 131072 });
      } catch (err) {
        problems.push(`no capture, so no TTFT/ITL against the wire (capturing needs root or CAP_NET_RAW): ${(err as Error).message}`);
      }
    }
    for (const [i, d] of dirs.entries()) {
      mkdirSync(d, { recursive: true });
      meters.push(await startMeter({ binary: meterBinary, records: recordsPaths[i], maxStreams: Math.max(4096, load.streams * 2), args: meterArgs }));
    }
    let k6Stderr = '';
    const exitCodes: (number | null)[] = [];
    children = meters.map((meter, i) => {
      const args = ['run', '--quiet', '-e', `LLM_METER_URL=${meter.url}`, '-e', `LLM_BASE_URL=${mock!.url}`, '-e', `LLM_VUS=${load.streams}`, '-e', `LLM_DURATION=${DURATION}`];
      if (instances > 1) args.push(...segmentArgs(i, instances), '--address', '');
      if (prompts === 'unique') args.push('-e', `LLM_PROMPT_TOKENS=${PROMPT_TOKENS}`);
      args.push('-e', `LLM_MAX_TOKENS=${TOKENS}`, '-e', 'LLM_TURNS=1', '-e', 'LLM_THRESHOLDS=none', '-e', `LLM_OUT_DIR=${dirs[i]}`, join(root, 'dist', 'chat.js'));
      const c = spawn(k6, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...K6_ENV } });
      c.stderr!.setEncoding('utf8');
      c.stderr!.on('data', (chunk: string) => (k6Stderr = (k6Stderr + chunk).slice(-8000)));
      return c;
    });
    const exited = Promise.all(children.map((c) => new Promise<void>((r) => c.once('close', (code) => (exitCodes.push(code), r())))));
    const limit = setTimeout(() => {
      problems.push(`k6 ran longer than ${K6_LIMIT_MS / 1000} s and was stopped`);
      for (const c of children) c.kill('SIGINT');
      setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), 10_000).unref();
    }, K6_LIMIT_MS);

    const mk = mock;
    const cap = capture;
    const k6Pids = children.map((c) => c.pid!);
    const meterPids = meters.map((m) => m.pid);
    const snapshot = async (): Promise<Snapshot> => {
      const stats = await mk.stats();
      return {
        unixMs: Date.now(),
        cpuK6: total(k6Pids.map(cpuMsOf)),
        cpuMeter: total(meterPids.map(cpuMsOf)),
        cpuMock: cpuMsOf(mk.pid),
        cpuTcpdump: cap ? cpuMsOf(cap.pid) : null,
        mock: stats,
        memK6: memorySum(k6Pids.map(memoryOf)),
        memMeter: memorySum(meterPids.map(memoryOf)),
        machine: machineTicks(),
        cpuReference: null,
        memReference: null,
        benchUs: ((u) => u.user + u.system)(process.cpuUsage()),
      };
    };
    let firstRequestAt: number | null = null;
    let allStreamingAt: number | null = null;
    let w1: Snapshot | null = null;
    let w2: Snapshot | null = null;
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      await sleep(POLL_MS);
      if (done) break;
      const now = Date.now();
      const k6Mem = memorySum(k6Pids.map(memoryOf));
      // The largest sum seen: an instance that has exited no longer counts.
      if (k6Mem?.hwmKb) result.memory.k6.hwmKb = Math.max(result.memory.k6.hwmKb ?? 0, k6Mem.hwmKb);
      const stats = await mk.stats();
      if (!stats) continue;
      if (firstRequestAt === null && stats.streams > 0) firstRequestAt = now;
      if (allStreamingAt === null && stats.activeStreams >= 0.9 * load.streams) allStreamingAt = now;
      // Without every VU streaming 8 s after the first request, the window starts anyway (and says so).
      if (allStreamingAt === null && firstRequestAt !== null && now - firstRequestAt > 8000) {
        allStreamingAt = now;
        problems.push(`only ${stats.activeStreams} of ${load.streams} streams were active 8 s after the first request`);
      }
      if (!w1 && allStreamingAt !== null && now >= allStreamingAt + SETTLE_MS) w1 = await snapshot();
      if (w1 && !w2 && firstRequestAt !== null && now >= firstRequestAt + LOAD_MS - END_MARGIN_MS) w2 = await snapshot();
    }
    clearTimeout(limit);
    await exited;
    for (const exitCode of exitCodes) {
      if (exitCode !== 0) problems.push(`k6 exited with code ${exitCode}: ${redactMeterUrl(k6Stderr.trim().split('\n').slice(-3).join(' | ')) || '(no stderr)'}`);
    }

    // The meters' peak before they stop; stopping flushes their records files.
    const meterMem = memorySum(meterPids.map(memoryOf));
    if (meterMem?.hwmKb) result.memory.meter.hwmKb = meterMem.hwmKb;
    const stopping = meters;
    meters = [];
    for (const m of stopping) {
      const meterCode = await m.stop();
      if (meterCode !== 0) problems.push(`the meter exited with code ${meterCode}: ${redactMeterUrl(m.stderr().trim().split('\n').slice(-3).join(' | '))}`);
    }
    const finalStats = await mk.stats();
    if (finalStats) result.mock = { latenessP99: finalStats.lateness.p99, loopDelayP99: finalStats.eventLoopDelay.p99 };
    let captureStats = null;
    if (cap) {
      captureStats = (await cap.stop()).stats;
      capture = null;
    }
    await mk.stop();
    mock = null;

    if (w1 && w2) {
      result.window = { ms: w2.unixMs - w1.unixMs, fromFirstRequestMs: w1.unixMs - (firstRequestAt ?? w1.unixMs), beforeLoadEndMs: (firstRequestAt ?? 0) + LOAD_MS - w2.unixMs };
      const delta = (a: number | null, b: number | null) => (a !== null && b !== null ? b - a : NaN);
      result.cpuMs = { k6: delta(w1.cpuK6, w2.cpuK6), meter: delta(w1.cpuMeter, w2.cpuMeter) };
      result.otherCpuMs = { mock: delta(w1.cpuMock, w2.cpuMock), tcpdump: cap ? delta(w1.cpuTcpdump, w2.cpuTcpdump) : null };
      result.memory.k6.rssKb = w2.memK6?.rssKb ?? null;
      result.memory.meter.rssKb = w2.memMeter?.rssKb ?? null;
      if (w1.mock && w2.mock) {
        result.events.mock = mockEvents(w2.mock) - mockEvents(w1.mock);
        result.tokens = w2.mock.tokensSent - w1.mock.tokensSent;
      }
      if (w1.machine && w2.machine) {
        // In cores: CPU seconds per second of the window.
        const cores = (ticks: number) => ticks / clockTicksPerSecond() / (result.window!.ms / 1000);
        const busy = cores(w2.machine.busy - w1.machine.busy);
        const ours = (result.cpuMs.k6 + result.cpuMs.meter + result.otherCpuMs.mock + (result.otherCpuMs.tcpdump ?? 0) + (w2.benchUs - w1.benchUs) / 1000) / result.window.ms;
        result.machine = { cores: cpus().length, busyCores: busy, outsideCores: busy - ours, stealCores: cores(w2.machine.steal - w1.machine.steal) };
      }
    } else {
      problems.push('no steady window: the run ended before one could be measured');
    }

    // k6's own summary (merged over the instances by k6-llm merge).
    const summaryPath = join(dir, 'llm-summary.json');
    if (instances > 1 || existsSync(summaryPath)) {
      const report = instances > 1 ? mergeRunDirs(dirs, { thresholds: 'none' }).report : (JSON.parse(readFileSync(summaryPath, 'utf8')) as LlmReport);
      const w = report.workloads.chat;
      if (w) {
        const pair = (p: { p50: number; p99: number } | null) => (p ? { p50: p.p50, p99: p.p99 } : null);
        result.k6Summary = { requests: w.requests, ttft: pair(w.ttftMs), itl: pair(w.itlMs) };
      }
    } else {
      problems.push('k6 wrote no llm-summary.json');
    }

    // What the meter (and so k6) measured.
    const records = recordsPaths.every((p) => existsSync(p)) ? joinRecords(recordsPaths.map((p) => readRecordsFile(p, openaiChat))) : null;
    if (!records) problems.push('the meter wrote no records file');
    else {
      if (records.unreadable > 0) problems.push(`${records.unreadable} unreadable lines in the records file, the first: ${records.firstUnreadable}`);
      result.records = recordSummary(records.requests.map((r) => r.record), records.requests.filter((r) => r.kernelStamps).length);
    }

    // The wire.
    if (cap && captureStats) {
      const analysis = analyseCapture(capturePath, openaiChat);
      const chat = analysis.requests.filter((w) => w.method === 'POST' && w.target.endsWith(openaiChat.path));
      result.capture = {
        packets: analysis.pcap.records,
        bytes: statSync(capturePath).size,
        droppedByKernel: captureStats.droppedByKernel,
        droppedByInterface: captureStats.droppedByInterface,
        retransmitted: analysis.flows.retransmitted,
        outOfOrder: analysis.flows.outOfOrder,
        stuck: analysis.flows.stuck,
        withoutSyn: analysis.flows.withoutSyn,
        unreadable: analysis.unreadable.length,
        truncated: analysis.pcap.truncated,
        leftoverBytes: analysis.leftoverBytes,
      };
      if (analysis.unreadable.length > 0) problems.push(`${analysis.unreadable.length} connections unreadable as HTTP, the first: ${analysis.unreadable[0]!.why}`);
      result.server = serverShare(chat, TTFT_MS, load.itlMs);
      if (w1 && w2 && analysis.baseSec >= 0) {
        const base = analysis.baseSec * 1e9;
        result.events.capture = eventsBetween(chat, w1.unixMs * 1e6 - base, w2.unixMs * 1e6 - base);
      }
      if (records) {
        const matched = matchRequests(records.requests, chat, analysis.baseSec);
        result.match = {
          records: records.requests.length,
          captured: chat.length,
          matched: matched.pairs.length,
          unmatchedRecords: matched.unmatchedClients.length,
          unmatchedCaptured: matched.unmatchedWire.length,
          conflicts: matched.conflicts,
        };
        result.accuracy = accuracy(matched.pairs);
        const firstNs = chat.reduce((min, w) => Math.min(min, w.startNs), Infinity);
        result.outliers = { ...outliers(matched.pairs, TARGETS.p99Ms), firstRequestNs: firstNs };
      }
    }
    return result;
  } finally {
    // Whatever failed, nothing started here outlives the load.
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const meter of meters) await meter.stop().catch(() => 1);
    if (capture) await capture.stop(0).catch(() => null);
    if (mock) await mock.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const root = repoRoot();
  if (process.argv[2] === '--merge') return mergeMemoryBench(join(root, 'dist', 'tools', 'cli.mjs'), process.argv.slice(3));
  if (process.argv[2] === '--text') return textCostBench(root, process.argv.slice(3));
  const argv = process.argv.slice(2);
  const instances = takeInstances(argv);
  const repeated = takeFlag(argv, '--repeated');
  // The meter's net/http path (https, proxies, other platforms) instead of its epoll reactor.
  const netHttp = takeFlag(argv, '--net-http');
  const reference = !takeFlag(argv, '--no-reference');
  const loadsOption = takeOption(argv, '--loads');
  if (loadsOption !== null) argv.push(loadsOption);
  const loads = pickLoads(argv, LOADS);
  const k6 = ensureK6();
  const meterBinary = ensureMeter();
  const tcpdump = findTcpdump();
  const venv = reference ? ensureReferenceVenv() : null;
  const cpu = cpus();
  console.log(`k6-llm bench · stream meter transport · k6 v${k6Version(k6) ?? '?'} (${k6}) · meter ${meterBinary}`);
  console.log(`machine: ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? '?'}), Node ${process.version}; the mock, k6, the meter and tcpdump share them`);
  console.log(
    `load: mock server in its own process (TTFT ${TTFT_MS} ms, ITL ${ITL_MS} ms = ${1000 / ITL_MS} tokens/s per stream, ${TOKENS} tokens), k6 dist/chat.js through the meter, LLM_DURATION=${DURATION} ` +
      `(${LOAD_MS / 1000} s load + graceful stop), 127.0.0.1 only; ${promptsLabel('unique')}${repeated ? `, then ${promptsLabel('repeated')}` : ''}`,
  );
  console.log('CPU: utime+stime (/proc/<pid>/stat) over the steady window, per output token and per SSE event the mock sent in the window; memory: VmHWM (peak) and VmRSS at the window end (/proc/<pid>/status)');
  for (const line of GROUND_TRUTH) console.log(line);
  console.log(targetsLine());
  if (!tcpdump) console.log(TCPDUMP_HINT);
  else console.log(`capture: ${tcpdump} -i lo -s 0 -B 131072 --time-stamp-precision=nano -U 'tcp port <mock port>' (deleted after analysis)`);
  if (venv && 'problem' in venv) console.log(`reference client: none (${venv.problem})`);
  if (netHttp) console.log('meter: --reactor=false (every answer through net/http, as for https, proxies and other platforms)');
  if (instances > 1) console.log(`k6: ${instances} instances as execution segments, each with its own meter (k6-llm run --instances); CPU and memory are their sums, figures merged (k6-llm merge)`);
  const results: LoadResult[] = [];
  const references: ReferenceResult[] = [];
  for (const load of loads) {
    console.log('');
    for (const prompts of repeated ? (['unique', 'repeated'] as const) : (['unique'] as const)) {
      const r = await runLoad(root, k6, meterBinary, tcpdump, load, prompts, instances, netHttp ? ['--reactor=false'] : []);
      results.push(r);
      for (const line of formatLoad(r)) console.log(line);
    }
    if (venv && 'python' in venv) {
      const ref = await runReference(root, venv.python, load, {
        ttftMs: TTFT_MS,
        tokens: TOKENS,
        promptTokens: PROMPT_TOKENS,
        loadMs: LOAD_MS,
        settleMs: SETTLE_MS,
        endMarginMs: END_MARGIN_MS,
        pollMs: POLL_MS,
        limitMs: K6_LIMIT_MS,
      });
      references.push(ref);
      for (const line of formatReference(ref)) console.log(line);
    }
  }
  console.log('');
  for (const line of formatTable(results, references)) console.log(line);
}
main().catch((err: unknown) => {
  console.error(`bench: ${redactMeterUrl(err instanceof Error ? err.message : String(err))}`);
  process.exit(1);
});
