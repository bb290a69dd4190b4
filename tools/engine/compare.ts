// Puts three views of each request to the real engine side by side: what
// k6-llm measured (the stream meter's record, as k6 computes it), what the
// packet capture on loopback shows (tools/bench/wire-truth.ts: the request's
// last packet → the first packet carrying a content delta, → the packet
// carrying the last token), and what llama.cpp logged for it (prefill and
// decode times). The server serves one request at a time and logs each when
// it finishes, so its n-th log block of a run is the request whose last token
// reached the wire n-th. For the same reason a request's queue wait is read
// off the capture: its turn comes when the request before it in that order
// has sent its last token (or when it arrives, if later). Pure: pairs and log
// blocks in, rows and figures out.

import type { Pair, Spread } from '../bench/match.ts';
import { spread } from '../bench/match.ts';
import { decodeMsPerToken, type EngineTimings } from './server-log.ts';

/** One request, three ways. Times in ms. */
export interface RequestRow {
  clientPort: number;
  /** Wire time of the request's last token (ns since the capture's base second). */
  wireEndNs: number;
  clientTtftMs: number | null;
  wireTtftMs: number | null;
  clientE2eMs: number | null;
  wireE2eMs: number | null;
  /** client − wire; null when either is missing. */
  ttftDeltaMs: number | null;
  e2eDeltaMs: number | null;
  /** How late k6-llm says its TTFT and E2E may read (the meter's stamp bounds); null without kernel stamps. */
  ttftBoundMs: number | null;
  e2eBoundMs: number | null;
  outputTokens: number;
  tokensEstimated: boolean;
  tpotMs: number | null;
  /** llama.cpp's prompt eval time and tokens; null when the log could not be matched. */
  prefillMs: number | null;
  prefillTokens: number | null;
  /** llama.cpp's eval time ÷ runs. */
  decodeMsPerToken: number | null;
  /** Client TTFT − logged prefill. */
  ttftMinusPrefillMs: number | null;
  /** From the capture: the request's last packet → the previous request's last token (0 when the slot was free). */
  queueWaitMs: number;
  /** Client TTFT − queue wait − logged prefill: what the server adds to prefill once the request has the slot. */
  ttftMinusWaitAndPrefillMs: number | null;
  /** Client TPOT − logged decode time per token. */
  tpotMinusDecodeMs: number | null;
}

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);

/**
 * One row per pair, in the order the server finished them; log blocks are
 * matched to rows by that order only when there are as many as rows (else
 * every log figure is null: an unmatched log says nothing per request).
 */
export function requestRows(pairs: readonly Pair[], blocks: readonly EngineTimings[]): RequestRow[] {
  const endNs = (p: Pair): number => p.wire.startNs + (p.wire.record?.e2eMs ?? 0) * 1e6;
  const ordered = [...pairs].sort((a, b) => endNs(a) - endNs(b));
  const matched = blocks.length === ordered.length;
  return ordered.map((p, i) => {
    const c = p.client.record;
    const w = p.wire.record;
    const block = matched ? blocks[i]! : null;
    const decode = block ? decodeMsPerToken(block) : null;
    const previousEndNs = i > 0 ? endNs(ordered[i - 1]!) : -Infinity;
    const queueWaitMs = Math.max(0, (previousEndNs - p.wire.startNs) / 1e6);
    return {
      clientPort: p.wire.clientPort,
      wireEndNs: endNs(p),
      clientTtftMs: c.ttftMs,
      wireTtftMs: w?.ttftMs ?? null,
      clientE2eMs: c.e2eMs,
      wireE2eMs: w?.e2eMs ?? null,
      ttftDeltaMs: diff(c.ttftMs, w?.ttftMs ?? null),
      e2eDeltaMs: diff(c.e2eMs, w?.e2eMs ?? null),
      ttftBoundMs: c.ttftBoundMs,
      e2eBoundMs: c.e2eBoundMs,
      outputTokens: c.outputTokens,
      tokensEstimated: c.tokensEstimated,
      tpotMs: c.tpotMs,
      prefillMs: block ? block.promptEvalMs : null,
      prefillTokens: block ? block.promptTokens : null,
      decodeMsPerToken: decode,
      ttftMinusPrefillMs: block ? diff(c.ttftMs, block.promptEvalMs) : null,
      queueWaitMs,
      ttftMinusWaitAndPrefillMs: block && c.ttftMs !== null ? c.ttftMs - queueWaitMs - block.promptEvalMs : null,
      tpotMinusDecodeMs: diff(c.tpotMs, decode),
    };
  });
}

/** The spreads a run's rows add up to. */
export interface RowFigures {
  requests: number;
  clientTtft: Spread;
  /** max |client − wire| over the rows (ms); NaN when none. */
  maxAbsTtftDeltaMs: number;
  maxAbsE2eDeltaMs: number;
  ttftMinusPrefill: Spread;
  queueWait: Spread;
  ttftMinusWaitAndPrefill: Spread;
  tpotMinusDecode: Spread;
  prefill: Spread;
  decodePerToken: Spread;
}

const present = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);
const maxAbs = (xs: number[]): number => (xs.length ? Math.max(...xs.map(Math.abs)) : NaN);

/** Spreads of the rows' figures. */
export function rowFigures(rows: readonly RequestRow[]): RowFigures {
  return {
    requests: rows.length,
    clientTtft: spread(present(rows.map((r) => r.clientTtftMs))),
    maxAbsTtftDeltaMs: maxAbs(present(rows.map((r) => r.ttftDeltaMs))),
    maxAbsE2eDeltaMs: maxAbs(present(rows.map((r) => r.e2eDeltaMs))),
    ttftMinusPrefill: spread(present(rows.map((r) => r.ttftMinusPrefillMs))),
    queueWait: spread(rows.map((r) => r.queueWaitMs)),
    ttftMinusWaitAndPrefill: spread(present(rows.map((r) => r.ttftMinusWaitAndPrefillMs))),
    tpotMinusDecode: spread(present(rows.map((r) => r.tpotMinusDecodeMs))),
    prefill: spread(present(rows.map((r) => r.prefillMs))),
    decodePerToken: spread(present(rows.map((r) => r.decodeMsPerToken))),
  };
}

const f = (x: number | null, digits = 2): string => (x === null || Number.isNaN(x) ? '-' : x.toFixed(digits));

/** A plain table of the rows, one line per request, for a person reading the test output. */
export function formatRows(label: string, rows: readonly RequestRow[]): string {
  const head = `${label}: ${rows.length} requests (ms; Δ = k6-llm − capture)`;
  const cols = '   #  TTFT   wire   ΔTTFT   E2E     wire    ΔE2E   bound  tokens TPOT  prefill(tok)  decode/tok  TTFT−prefill    wait  TTFT−wait−prefill  TPOT−decode';
  const lines = rows.map((r, i) =>
    [
      String(i + 1).padStart(4),
      f(r.clientTtftMs, 1).padStart(6),
      f(r.wireTtftMs, 1).padStart(6),
      f(r.ttftDeltaMs, 3).padStart(7),
      f(r.clientE2eMs, 1).padStart(7),
      f(r.wireE2eMs, 1).padStart(7),
      f(r.e2eDeltaMs, 3).padStart(7),
      f(r.ttftBoundMs === null && r.e2eBoundMs === null ? null : Math.max(r.ttftBoundMs ?? 0, r.e2eBoundMs ?? 0), 2).padStart(7),
      `${r.outputTokens}${r.tokensEstimated ? '~' : ''}`.padStart(6),
      f(r.tpotMs, 1).padStart(5),
      `${f(r.prefillMs, 1)}(${r.prefillTokens ?? '-'})`.padStart(13),
      f(r.decodeMsPerToken, 2).padStart(11),
      f(r.ttftMinusPrefillMs, 1).padStart(13),
      f(r.queueWaitMs, 1).padStart(7),
      f(r.ttftMinusWaitAndPrefillMs, 1).padStart(18),
      f(r.tpotMinusDecodeMs, 2).padStart(12),
    ].join(' '),
  );
  return [head, cols, ...lines].join('\n');
}

/** One line of a run's figures. */
export function formatFigures(label: string, x: RowFigures): string {
  const s = (sp: Spread, d = 1) => `p50 ${f(sp.p50, d)} p99 ${f(sp.p99, d)} (min ${f(sp.min, d)}, max ${f(sp.max, d)})`;
  return (
    `${label}: ${x.requests} requests · TTFT ${s(x.clientTtft)} · max |Δ| vs capture: TTFT ${f(x.maxAbsTtftDeltaMs, 3)} ms, E2E ${f(x.maxAbsE2eDeltaMs, 3)} ms · ` +
    `prefill ${s(x.prefill)} · TTFT−prefill ${s(x.ttftMinusPrefill)} · queue wait ${s(x.queueWait)} · TTFT−wait−prefill ${s(x.ttftMinusWaitAndPrefill)} · decode/token ${s(x.decodePerToken, 2)} · TPOT−decode ${s(x.tpotMinusDecode, 2)}`
  );
}
