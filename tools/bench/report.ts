// The bench's text: the header (setup, ground-truth definition, targets),
// one block per load and a closing table. Pure: figures in, lines out.
// Targets are printed beside the figures; nothing here passes or fails.

import type { Accuracy, Outliers, RecordsSummary, Spread } from './match.ts';

/** Peak and end-of-window resident set of a process (kB). */
export interface Memory {
  hwmKb: number | null;
  rssKb: number | null;
}

/** Which prompts k6 sent: unique synthetic ones (the user's path) or the bundled demo prompts, repeated. */
export type PromptKind = 'unique' | 'repeated';

/** Everything measured at one load. */
export interface LoadResult {
  streams: number;
  prompts: PromptKind;
  ttftMs: number;
  itlMs: number;
  /** Why this load's ITL differs from the others', when it does. */
  itlNote: string | null;
  /** The steady window: length, and where it sits. */
  window: { ms: number; fromFirstRequestMs: number; beforeLoadEndMs: number } | null;
  /** SSE events in the window: from the capture and from the mock's counters. */
  events: { capture: number | null; mock: number | null };
  /** Output tokens the mock sent in the window. */
  tokens: number | null;
  /** CPU used in the window (ms). */
  cpuMs: { k6: number; meter: number } | null;
  /** CPU the mock and tcpdump used in the window (ms): the rest of the machine's load. */
  otherCpuMs: { mock: number; tcpdump: number | null } | null;
  /** The whole machine in the window (in cores): busy, busy outside the bench's processes (other work on the machine), stolen by the hypervisor. */
  machine: { cores: number; busyCores: number; outsideCores: number; stealCores: number } | null;
  memory: { k6: Memory; meter: Memory };
  capture: {
    packets: number;
    bytes: number;
    droppedByKernel: number | null;
    droppedByInterface: number | null;
    retransmitted: number;
    outOfOrder: number;
    stuck: number;
    withoutSyn: number;
    unreadable: number;
    truncated: number;
    leftoverBytes: number;
  } | null;
  match: { records: number; captured: number; matched: number; unmatchedRecords: number; unmatchedCaptured: number; conflicts: number } | null;
  accuracy: Accuracy | null;
  /** Errors beyond the p99 target, located in the run (firstRequestNs: the first captured request's start). */
  outliers: { ttft: Outliers; itl: Outliers; firstRequestNs: number } | null;
  server: { ttft: Spread; itl: Spread } | null;
  records: RecordsSummary | null;
  /** k6's own summary (llm-summary.json). */
  k6Summary: { requests: number; ttft: { p50: number; p99: number } | null; itl: { p50: number; p99: number } | null } | null;
  mock: { latenessP99: number; loopDelayP99: number } | null;
  /** What went wrong, one line each. */
  problems: string[];
}

/** The reference client (reference-client.py) at one load: the same mock, the same concurrency. */
export interface ReferenceResult {
  streams: number;
  window: { ms: number } | null;
  /** Its CPU in the window (ms). */
  cpuMs: number | null;
  /** Output tokens and SSE events the mock sent in the window. */
  tokens: number | null;
  events: number | null;
  memory: Memory;
  /** What it printed: its requests, its own TTFT and ITL. */
  figures: { requests: number; errors: number; ttftP50: number | null; ttftP99: number | null; itlP50: number | null; itlP99: number | null } | null;
  problems: string[];
}

/** The targets the issues set (printed, not judged). */
export const TARGETS = {
  cpuUsPerToken: 40,
  cpuUsPerTokenStretch: 20,
  cpuAtStreams: 500,
  memoryMbPerStream: 0.5,
  memoryAtStreams: 2000,
  p50Ms: 1,
  p99Ms: 5,
  accuracyAtStreams: [500, 1000, 2000],
};

export const GROUND_TRUTH = [
  'ground truth (per connection, from the packet capture on lo): request start = capture time of the packet carrying the',
  '  last byte of the HTTP request (client→server); an event’s wire time = capture time of the packet carrying the last byte',
  '  of that SSE event (server→client, after HTTP chunked decoding); wire TTFT = first token-bearing event − request start, and',
  '  wire ITL = gaps between token-bearing events, with the same StreamMeter/openai-chat adapter deciding which events carry tokens.',
  'client figure = the same StreamMeter fed with the meter’s record (times, data, fast) from its --records file: exactly what k6',
  '  computes. Records are matched to captured requests by client port (localPort) and nearest request start to sentUnixNs;',
  '  error = client − wire, per request for TTFT and per gap (by index within the request) for ITL.',
];

const isNum = (n: number | null | undefined): n is number => n !== null && n !== undefined && Number.isFinite(n);
/** A number with fixed decimals, '-' when missing. */
export const fixed = (n: number | null | undefined, digits = 1): string => (isNum(n) ? n.toFixed(digits) : '-');
/** A signed number with fixed decimals ('+0.012', '−0.004'). */
export const signed = (n: number | null | undefined, digits = 3): string => (isNum(n) ? `${n < 0 ? '−' : '+'}${Math.abs(n).toFixed(digits)}` : '-');
/** An integer with thousands separators. */
export const int = (n: number | null | undefined): string => (isNum(n) ? Math.round(n).toLocaleString('en-US') : '-');
const mb = (kb: number | null | undefined): string => (isNum(kb) ? `${(kb / 1024).toFixed(1)} MB` : '-');

/** The events the CPU figures are divided by: the capture's count when it is complete, else the mock's. */
export function eventsUsed(r: LoadResult): { events: number | null; source: string } {
  const clean = r.capture !== null && (r.capture.droppedByKernel ?? 1) === 0 && (r.capture.droppedByInterface ?? 0) === 0;
  if (r.events.capture !== null && clean) return { events: r.events.capture, source: 'capture' };
  if (r.events.mock !== null) return { events: r.events.mock, source: 'mock counters' };
  return { events: r.events.capture, source: 'capture (incomplete)' };
}

/** µs of CPU per event: k6+meter, k6, meter. */
export function cpuPerEvent(r: LoadResult): { total: number; k6: number; meter: number } | null {
  const { events } = eventsUsed(r);
  return cpuPer(r, events);
}

/** µs of CPU per output token (the mock's count in the window): k6+meter, k6, meter. */
export function cpuPerToken(r: LoadResult): { total: number; k6: number; meter: number } | null {
  return cpuPer(r, r.tokens);
}

function cpuPer(r: LoadResult, n: number | null): { total: number; k6: number; meter: number } | null {
  if (r.cpuMs === null || !isNum(n) || n <= 0) return null;
  return { total: ((r.cpuMs.k6 + r.cpuMs.meter) * 1000) / n, k6: (r.cpuMs.k6 * 1000) / n, meter: (r.cpuMs.meter * 1000) / n };
}

/** MB per concurrent stream at the peak: k6+meter, k6, meter (VmHWM ÷ streams). */
export function memoryPerStream(r: Pick<LoadResult, 'streams' | 'memory'>): { total: number; k6: number; meter: number } | null {
  const { k6, meter } = r.memory;
  if (!isNum(k6.hwmKb) || !isNum(meter.hwmKb)) return null;
  const per = (kb: number) => kb / 1024 / r.streams;
  return { total: per(k6.hwmKb + meter.hwmKb), k6: per(k6.hwmKb), meter: per(meter.hwmKb) };
}

/** The prompts line's name. */
export function promptsLabel(kind: PromptKind): string {
  return kind === 'unique' ? 'unique prompts (LLM_PROMPT_TOKENS=100, the user’s path)' : 'repeated prompts (the bundled demo prompts)';
}

const spreadText = (s: Spread, unit = 'ms'): string =>
  s.n === 0 ? 'none' : `p50 ${signed(s.p50)} · p99 ${signed(s.p99)} · max ${signed(s.max)} · min ${signed(s.min)} ${unit}`;

/** One load's block of lines. */
export function formatLoad(r: LoadResult): string[] {
  const out: string[] = [];
  const itl = `mock TTFT ${r.ttftMs} ms, ITL ${r.itlMs} ms (${fixed(1000 / r.itlMs, 0)} tokens/s per stream)`;
  out.push(`── ${r.streams} streams · ${itl} ${'─'.repeat(Math.max(0, 60 - itl.length))}`);
  if (r.itlNote) out.push(`  note              ${r.itlNote}`);
  for (const p of r.problems) out.push(`  PROBLEM           ${p}`);
  if (r.window) {
    out.push(`  steady window     ${fixed(r.window.ms / 1000, 1)} s, from ${fixed(r.window.fromFirstRequestMs / 1000, 1)} s after the first request to ${fixed(r.window.beforeLoadEndMs / 1000, 1)} s before the load window closes (VU start-up and graceful stop left out)`);
  }
  const used = eventsUsed(r);
  out.push(`  prompts           ${promptsLabel(r.prompts)}`);
  out.push(`  events in window  ${int(r.events.capture)} captured · ${int(r.events.mock)} by the mock's counters (CPU per event is divided by the ${used.source} count) · ${int(r.tokens)} output tokens`);
  const cpt = cpuPerToken(r);
  const cpe = cpuPerEvent(r);
  if (cpt && cpe && r.cpuMs && r.window) {
    const target = r.streams === TARGETS.cpuAtStreams && r.prompts === 'unique' ? `   [target ≤ ${TARGETS.cpuUsPerToken} µs per token, stretch ${TARGETS.cpuUsPerTokenStretch}, at ${TARGETS.cpuAtStreams} streams]` : '';
    const core = ((r.cpuMs.k6 + r.cpuMs.meter) / r.window.ms) * 100;
    out.push(`  CPU per token     k6+meter ${fixed(cpt.total, 2)} µs · k6 ${fixed(cpt.k6, 2)} µs · meter ${fixed(cpt.meter, 2)} µs${target}`);
    out.push(`  CPU per event     k6+meter ${fixed(cpe.total, 2)} µs · k6 ${fixed(cpe.k6, 2)} µs · meter ${fixed(cpe.meter, 2)} µs`);
    const o = r.otherCpuMs;
    const others = o ? `; beside them the mock ${fixed((o.mock / r.window.ms) * 100, 1)} %${o.tcpdump !== null ? `, tcpdump ${fixed((o.tcpdump / r.window.ms) * 100, 1)} %` : ''}` : '';
    out.push(`                    (CPU in the window: k6 ${fixed(r.cpuMs.k6 / 1000, 2)} s, meter ${fixed(r.cpuMs.meter / 1000, 2)} s: ${fixed(core, 1)} % of one core together${others})`);
  } else {
    out.push('  CPU per token     -');
  }
  if (r.machine) {
    const m = r.machine;
    out.push(`  machine           ${fixed(m.busyCores, 2)} of ${m.cores} cores busy in the window; ${fixed(m.outsideCores, 2)} cores outside the bench's processes (other work on the machine); ${fixed(m.stealCores, 2)} cores stolen by the hypervisor`);
  }
  const mps = memoryPerStream(r);
  const memTarget = r.streams === TARGETS.memoryAtStreams ? `   [target ≤ ${TARGETS.memoryMbPerStream} MB per stream at ${TARGETS.memoryAtStreams} streams]` : '';
  if (mps) out.push(`  memory per stream k6+meter ${fixed(mps.total, 2)} MB · k6 ${fixed(mps.k6, 2)} MB · meter ${fixed(mps.meter, 2)} MB (peak RSS ÷ ${r.streams} streams)${memTarget}`);
  out.push(`  memory            k6 peak ${mb(r.memory.k6.hwmKb)}, ${mb(r.memory.k6.rssKb)} at window end · meter peak ${mb(r.memory.meter.hwmKb)}, ${mb(r.memory.meter.rssKb)} at window end`);
  const a = r.accuracy;
  const accTarget = TARGETS.accuracyAtStreams.includes(r.streams) ? `   [target |p50| ≤ ${TARGETS.p50Ms} ms, p99 ≤ ${TARGETS.p99Ms} ms]` : '';
  if (a) {
    out.push(`  TTFT client−wire  ${spreadText(a.ttftError)} (${int(a.ttftError.n)} requests)${accTarget}`);
    out.push(`  ITL  client−wire  ${spreadText(a.itlError)} (${int(a.itlError.n)} gaps${a.itlCountMismatches ? `; ${int(a.itlCountMismatches)} requests with a different gap count` : ''})${accTarget}`);
  } else {
    out.push('  TTFT/ITL vs wire  - (no capture)');
  }
  if (r.outliers) {
    const t0 = r.outliers.firstRequestNs;
    const at = (ns: number) => `${fixed((ns - t0) / 1e9, 1)} s`;
    for (const [name, o] of [['TTFT', r.outliers.ttft], ['ITL ', r.outliers.itl]] as const) {
      if (o.count === 0) continue;
      const what = name === 'TTFT' ? 'requests' : 'gaps';
      const worst = o.worst
        .map((x) => `${signed(x.errorMs, 2)} ms (client ${fixed(x.clientMs, 2)} / wire ${fixed(x.wireMs, 2)}${x.gap >= 0 ? `, gap ${x.gap + 1}` : ''}, port ${x.clientPort}, at ${at(x.wireStartNs)})`)
        .join('; ');
      out.push(`  ${name} outliers     ${int(o.count)} ${what} off by more than ${o.limitMs} ms, in requests from ${at(o.firstNs)} to ${at(o.lastNs)} after the first request; worst ${worst}`);
    }
  }
  if (r.server) {
    const mock = r.mock ? ` · mock send lateness p99 ${fixed(r.mock.latenessP99, 2)} ms, event-loop delay p99 ${fixed(r.mock.loopDelayP99, 2)} ms` : '';
    out.push(`  server share      mock delay = wire TTFT − ${r.ttftMs} ms: p50 ${signed(r.server.ttft.p50)} · p99 ${signed(r.server.ttft.p99)} ms; wire ITL − ${r.itlMs} ms: p50 ${signed(r.server.itl.p50)} · p99 ${signed(r.server.itl.p99)} ms${mock}`);
  } else if (r.mock) {
    out.push(`  server share      mock send lateness p99 ${fixed(r.mock.latenessP99, 2)} ms, event-loop delay p99 ${fixed(r.mock.loopDelayP99, 2)} ms`);
  }
  const k = r.k6Summary;
  if (a || k || r.records) {
    const tri = (wire: number | undefined, rec: number | undefined, k6: number | undefined) => `wire ${fixed(wire, 2)} · records ${fixed(rec, 2)} · k6 summary ${fixed(k6, 2)}`;
    const rec = r.records;
    out.push(`  cross-check p50   TTFT ${tri(a?.wireTtft.p50, rec?.ttft.p50, k?.ttft?.p50)} ms; ITL ${tri(a?.wireItl.p50, rec?.itl.p50, k?.itl?.p50)} ms`);
    out.push(`  cross-check p99   TTFT ${tri(a?.wireTtft.p99, rec?.ttft.p99, k?.ttft?.p99)} ms; ITL ${tri(a?.wireItl.p99, rec?.itl.p99, k?.itl?.p99)} ms`);
  }
  if (r.records) {
    const errs = Object.entries(r.records.errors)
      .map(([kind, n]) => `${kind} ${int(n)}`)
      .join(', ');
    out.push(
      `  requests          ${int(r.records.total)} in the records file (${int(r.records.success)} succeeded${errs ? `; ${errs}` : ''}; ${int(r.records.kernelStamps)} with kernel receive times)` +
        (k ? ` · k6 summary counts ${int(k.requests)}` : ''),
    );
  }
  if (r.match) {
    const m = r.match;
    const off = a ? ` · last request byte captured ${signed(a.offset.p50)} ms after the meter's write time (p50), max ${signed(a.offset.max)} ms` : '';
    out.push(`  matching          ${int(m.matched)} matched · ${int(m.unmatchedRecords)} records unmatched · ${int(m.unmatchedCaptured)} captured chat requests unmatched${m.conflicts ? ` (${m.conflicts} records claimed an already matched request)` : ''}${off}`);
  }
  if (r.capture) {
    const c = r.capture;
    const drops = `${int(c.droppedByKernel)} dropped by kernel${c.droppedByInterface !== null ? `, ${int(c.droppedByInterface)} dropped by interface` : ''}`;
    const lost = (c.droppedByKernel ?? 0) > 0 || (c.droppedByInterface ?? 0) > 0 || c.droppedByKernel === null;
    const reasm = `${int(c.retransmitted)} retransmitted, ${int(c.outOfOrder)} out of order, ${int(c.stuck)} unfilled gaps, ${int(c.withoutSyn)} without SYN, ${int(c.unreadable)} unreadable connections`;
    out.push(`  capture           ${int(c.packets)} packets (${fixed(c.bytes / 1e6, 0)} MB), ${drops}${lost ? '  ← THE CAPTURE LOST PACKETS: wire figures are incomplete' : ''}`);
    out.push(`                    reassembly: ${reasm}${c.truncated ? `, ${int(c.truncated)} truncated records` : ''}${c.leftoverBytes ? `, ${int(c.leftoverBytes)} bytes of a cut last record` : ''}`);
  }
  return out;
}

/** The closing table: one row per load. */
export function formatTable(results: LoadResult[], references: ReferenceResult[] = []): string[] {
  const cols: [string, number][] = [
    ['streams', 7],
    ['prompts', 8],
    ['ITL', 5],
    ['events/s', 9],
    ['µs/tok k6+m', 12],
    ['k6', 6],
    ['meter', 6],
    ['MB/stream', 10],
    ['k6 MB pk/end', 13],
    ['meter MB pk/end', 16],
    ['TTFT err p50/p99/max ms', 26],
    ['ITL err p50/p99/max ms', 26],
    ['mock delay p50/p99', 19],
    ['match/unm', 12],
    ['drops', 6],
    ['busy/outside cores', 19],
  ];
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(cols[i]![1])).join(' ');
  const out = [line(cols.map(([h]) => h))];
  for (const r of results) {
    const cpe = cpuPerToken(r);
    const used = eventsUsed(r).events;
    const perSec = r.window && isNum(used) ? used / (r.window.ms / 1000) : null;
    const a = r.accuracy;
    const three = (s: Spread | undefined) => (s && s.n > 0 ? `${signed(s.p50)}/${signed(s.p99)}/${signed(s.max)}` : '-');
    const memPair = (m: Memory) => `${fixed(isNum(m.hwmKb) ? m.hwmKb / 1024 : null, 0)}/${fixed(isNum(m.rssKb) ? m.rssKb / 1024 : null, 0)}`;
    const m = r.match;
    const drops = r.capture ? int((r.capture.droppedByKernel ?? NaN) + (r.capture.droppedByInterface ?? 0)) : '-';
    out.push(
      line([
        String(r.streams),
        r.prompts,
        String(r.itlMs),
        int(perSec),
        fixed(cpe?.total, 2),
        fixed(cpe?.k6, 2),
        fixed(cpe?.meter, 2),
        fixed(memoryPerStream(r)?.total, 2),
        memPair(r.memory.k6),
        memPair(r.memory.meter),
        three(a?.ttftError),
        three(a?.itlError),
        r.server ? `${signed(r.server.ttft.p50, 2)}/${signed(r.server.ttft.p99, 2)}` : '-',
        m ? `${m.matched}/${m.unmatchedRecords + m.unmatchedCaptured}` : '-',
        drops,
        r.machine ? `${fixed(r.machine.busyCores, 2)}/${fixed(r.machine.outsideCores, 2)}` : '-',
      ]),
    );
  }
  for (const r of references) {
    const cpt = referencePerToken(r);
    out.push(line([String(r.streams), 'ref', '', r.window && isNum(r.events) ? int(r.events / (r.window.ms / 1000)) : '-', fixed(cpt, 2), '', '', fixed(isNum(r.memory.hwmKb) ? r.memory.hwmKb / 1024 / r.streams : null, 2), '', '', '', '', '', '', '', '']));
  }
  out.push(targetsLine());
  return out;
}

/** The targets, in one line. */
export function targetsLine(): string {
  return (
    `targets: k6+meter ≤ ${TARGETS.cpuUsPerToken} µs CPU per token (stretch ${TARGETS.cpuUsPerTokenStretch}) at ${TARGETS.cpuAtStreams} streams with unique prompts; ` +
    `k6+meter ≤ ${TARGETS.memoryMbPerStream} MB per stream at ${TARGETS.memoryAtStreams} streams; TTFT and ITL error |p50| ≤ ${TARGETS.p50Ms} ms and p99 ≤ ${TARGETS.p99Ms} ms at ${TARGETS.accuracyAtStreams.join(', ')} streams (printed, not judged)`
  );
}

/** The reference client's µs of CPU per output token. */
export function referencePerToken(r: ReferenceResult): number | null {
  return r.cpuMs !== null && isNum(r.tokens) && r.tokens > 0 ? (r.cpuMs * 1000) / r.tokens : null;
}

/** The reference client's lines at one load. */
export function formatReference(r: ReferenceResult): string[] {
  const out: string[] = [];
  out.push(`  reference client  a minimal aiohttp streaming client (tools/bench/reference-client.py, like vLLM's benchmark request function), same mock, ${r.streams} concurrent streams, unique prompts`);
  for (const p of r.problems) out.push(`  PROBLEM           ${p}`);
  const cpt = referencePerToken(r);
  const cpe = r.cpuMs !== null && isNum(r.events) && r.events > 0 ? (r.cpuMs * 1000) / r.events : null;
  const perSec = r.window && isNum(r.tokens) ? r.tokens / (r.window.ms / 1000) : null;
  out.push(`                    CPU per token ${fixed(cpt, 2)} µs (per event ${fixed(cpe, 2)} µs) · ${int(perSec)} tokens/s held · memory per stream ${fixed(isNum(r.memory.hwmKb) ? r.memory.hwmKb / 1024 / r.streams : null, 2)} MB`);
  const f = r.figures;
  if (f) out.push(`                    its own TTFT p50 ${fixed(f.ttftP50, 2)} · p99 ${fixed(f.ttftP99, 2)} ms; ITL p50 ${fixed(f.itlP50, 2)} · p99 ${fixed(f.itlP99, 2)} ms; ${int(f.requests)} requests, ${int(f.errors)} errors`);
  return out;
}
