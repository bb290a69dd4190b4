// Pairs what the meter (and so k6) measured with what the wire shows, and
// says how far apart they are. A meter record belongs to the captured
// request on the same client port (the record's localPort) whose start is
// nearest the record's write time (sentUnixNs); a port is reused over a run,
// but its requests are seconds apart while a record and its packet are
// microseconds apart. Per pair: client − wire for TTFT, and for every ITL
// gap by its index within the request.

import { quantileSorted } from '../../src/measure/quantile.ts';
import type { ClientRequest } from './records.ts';
import type { RequestRecord } from '../../src/measure/request-record.ts';
import type { WireTruth } from './wire-truth.ts';

/** Order statistics of a set of values (NaN when empty). */
export interface Spread {
  n: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
}

/** p50, p99, min and max (k6's interpolation) of values; values is not changed. */
export function spread(values: ArrayLike<number>): Spread {
  const sorted = Float64Array.from(values).sort();
  const arr = sorted as unknown as number[];
  const n = sorted.length;
  return { n, min: n ? sorted[0]! : NaN, p50: quantileSorted(arr, 0.5), p99: quantileSorted(arr, 0.99), max: n ? sorted[n - 1]! : NaN };
}

/** A meter record and the captured request it measured. */
export interface Pair {
  client: ClientRequest;
  wire: WireTruth;
  /** Wire request start − the record's write time (ms): how long after the write the last request byte was captured. */
  offsetMs: number;
}

/** The result of matching. */
export interface MatchResult {
  pairs: Pair[];
  /** Records with no captured request on their port within the limit (or without a port). */
  unmatchedClients: ClientRequest[];
  /** Captured requests no record claimed. */
  unmatchedWire: WireTruth[];
  /** Records whose nearest captured request another record had already claimed. */
  conflicts: number;
}

/**
 * Matches records to captured requests: same client port, nearest start to
 * the write time, within maxOffsetMs; one record per captured request.
 * baseSec is the capture's base second (wire times count from it).
 */
export function matchRequests(clients: readonly ClientRequest[], wire: readonly WireTruth[], baseSec: number, maxOffsetMs = 500): MatchResult {
  const byPort = new Map<number, WireTruth[]>();
  for (const w of wire) {
    let list = byPort.get(w.clientPort);
    if (!list) byPort.set(w.clientPort, (list = []));
    list.push(w);
  }
  for (const list of byPort.values()) list.sort((a, b) => a.startNs - b.startNs);
  const base = baseSec * 1e9;
  const claimed = new Set<WireTruth>();
  const result: MatchResult = { pairs: [], unmatchedClients: [], unmatchedWire: [], conflicts: 0 };
  for (const client of clients) {
    const list = client.localPort > 0 ? byPort.get(client.localPort) : undefined;
    if (!list || client.sentUnixNs <= 0) {
      result.unmatchedClients.push(client);
      continue;
    }
    const sentNs = client.sentUnixNs - base;
    const best = nearest(list, sentNs);
    const offsetMs = (best.startNs - sentNs) / 1e6;
    if (Math.abs(offsetMs) > maxOffsetMs) {
      result.unmatchedClients.push(client);
    } else if (claimed.has(best)) {
      result.conflicts++;
      result.unmatchedClients.push(client);
    } else {
      claimed.add(best);
      result.pairs.push({ client, wire: best, offsetMs });
    }
  }
  for (const w of wire) if (!claimed.has(w)) result.unmatchedWire.push(w);
  return result;
}

/** The element of ascending `list` (non-empty) whose startNs is nearest t. */
function nearest(list: WireTruth[], t: number): WireTruth {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.startNs < t) lo = mid + 1;
    else hi = mid;
  }
  const after = list[lo]!;
  const before = lo > 0 ? list[lo - 1]! : after;
  return Math.abs(before.startNs - t) <= Math.abs(after.startNs - t) ? before : after;
}

/** How far the client's figures are from the wire's. */
export interface Accuracy {
  /** Pairs where both sides saw a first token. */
  requests: number;
  /** client TTFT − wire TTFT (ms). */
  ttftError: Spread;
  /** client ITL[i] − wire ITL[i] (ms), every gap of every pair. */
  itlError: Spread;
  /** Pairs whose gap counts differ (only the common gaps are compared). */
  itlCountMismatches: number;
  wireTtft: Spread;
  clientTtft: Spread;
  wireItl: Spread;
  clientItl: Spread;
  /** Wire request start − record write time (ms). */
  offset: Spread;
}

/** TTFT and ITL differences over the pairs. */
export function accuracy(pairs: readonly Pair[]): Accuracy {
  const ttftErr: number[] = [];
  const itlErr: number[] = [];
  const wireTtft: number[] = [];
  const clientTtft: number[] = [];
  const wireItl: number[] = [];
  const clientItl: number[] = [];
  const offsets: number[] = [];
  let mismatches = 0;
  for (const { client, wire, offsetMs } of pairs) {
    offsets.push(offsetMs);
    const c = client.record;
    const w = wire.record;
    if (!w || c.ttftMs === null || w.ttftMs === null) continue;
    ttftErr.push(c.ttftMs - w.ttftMs);
    wireTtft.push(w.ttftMs);
    clientTtft.push(c.ttftMs);
    if (c.itlMs.length !== w.itlMs.length) mismatches++;
    const n = Math.min(c.itlMs.length, w.itlMs.length);
    for (let i = 0; i < n; i++) {
      itlErr.push(c.itlMs[i]! - w.itlMs[i]!);
      wireItl.push(w.itlMs[i]!);
      clientItl.push(c.itlMs[i]!);
    }
  }
  return {
    requests: ttftErr.length,
    ttftError: spread(ttftErr),
    itlError: spread(itlErr),
    itlCountMismatches: mismatches,
    wireTtft: spread(wireTtft),
    clientTtft: spread(clientTtft),
    wireItl: spread(wireItl),
    clientItl: spread(clientItl),
    offset: spread(offsets),
  };
}

/** The server's own share: wire TTFT − configured TTFT and wire ITL − configured ITL (ms), over every captured answer with a token. */
export function serverShare(wire: readonly WireTruth[], ttftMs: number, itlMs: number): { ttft: Spread; itl: Spread } {
  const ttft: number[] = [];
  const itl: number[] = [];
  for (const w of wire) {
    const r = w.record;
    if (!r || r.ttftMs === null) continue;
    ttft.push(r.ttftMs - ttftMs);
    for (const gap of r.itlMs) itl.push(gap - itlMs);
  }
  return { ttft: spread(ttft), itl: spread(itl) };
}

/** SSE events captured in [fromNs, toNs) (capture clock). */
export function eventsBetween(wire: readonly WireTruth[], fromNs: number, toNs: number): number {
  let n = 0;
  for (const w of wire) for (const t of w.eventNs) if (t >= fromNs && t < toNs) n++;
  return n;
}

/** One large difference, with where it was. */
export interface Outlier {
  /** Wire start of the request (ns, capture clock). */
  wireStartNs: number;
  clientPort: number;
  /** The gap's index within the request (ITL); -1 for TTFT. */
  gap: number;
  clientMs: number;
  wireMs: number;
  errorMs: number;
}

/** Differences larger than a limit: how many, when, and the worst few. */
export interface Outliers {
  limitMs: number;
  count: number;
  /** Wire starts of the first and last request with one (ns); NaN when none. */
  firstNs: number;
  lastNs: number;
  /** Largest |error| first. */
  worst: Outlier[];
}

/** TTFT (gap −1) and ITL differences beyond limitMs over the pairs. */
export function outliers(pairs: readonly Pair[], limitMs: number, keep = 3): { ttft: Outliers; itl: Outliers } {
  const make = (): Outliers => ({ limitMs, count: 0, firstNs: NaN, lastNs: NaN, worst: [] });
  const ttft = make();
  const itl = make();
  const note = (o: Outliers, x: Outlier): void => {
    o.count++;
    if (!(o.firstNs <= x.wireStartNs)) o.firstNs = x.wireStartNs;
    if (!(o.lastNs >= x.wireStartNs)) o.lastNs = x.wireStartNs;
    o.worst.push(x);
    o.worst.sort((a, b) => Math.abs(b.errorMs) - Math.abs(a.errorMs));
    if (o.worst.length > keep) o.worst.pop();
  };
  for (const { client, wire } of pairs) {
    const c = client.record;
    const w = wire.record;
    if (!w || c.ttftMs === null || w.ttftMs === null) continue;
    const base = { wireStartNs: wire.startNs, clientPort: wire.clientPort };
    const e = c.ttftMs - w.ttftMs;
    if (Math.abs(e) > limitMs) note(ttft, { ...base, gap: -1, clientMs: c.ttftMs, wireMs: w.ttftMs, errorMs: e });
    const n = Math.min(c.itlMs.length, w.itlMs.length);
    for (let i = 0; i < n; i++) {
      const g = c.itlMs[i]! - w.itlMs[i]!;
      if (Math.abs(g) > limitMs) note(itl, { ...base, gap: i, clientMs: c.itlMs[i]!, wireMs: w.itlMs[i]!, errorMs: g });
    }
  }
  return { ttft, itl };
}

/**
 * The invariant k6-llm keeps against the wire, for one figure of one
 * request: within `limitMs` of the capture, or flagged (its bound above
 * `flagMs`) with a bound at least as large as its error (client − wire).
 */
export function vouchedFor(deltaMs: number | null, boundMs: number | null, limitMs = 1, flagMs = 1): boolean {
  if (deltaMs === null) return false;
  if (Math.abs(deltaMs) <= limitMs) return true;
  return boundMs !== null && boundMs > flagMs && deltaMs > 0 && boundMs >= deltaMs;
}

/** Records: requests, successes, errors by kind, share with kernel receive times, and TTFT/ITL over all of them. */
export interface RecordsSummary {
  total: number;
  success: number;
  errors: Record<string, number>;
  kernelStamps: number;
  ttft: Spread;
  itl: Spread;
}

/** The records' outcomes and TTFT/ITL spread, for the bench's requests line. */
export function recordSummary(records: RequestRecord[], kernelStamps: number): RecordsSummary {
  const errors: Record<string, number> = {};
  let success = 0;
  const ttft: number[] = [];
  const itl: number[] = [];
  for (const r of records) {
    if (r.success) success++;
    else errors[r.error ?? 'unknown'] = (errors[r.error ?? 'unknown'] ?? 0) + 1;
    if (r.ttftMs !== null) ttft.push(r.ttftMs);
    for (const gap of r.itlMs) itl.push(gap);
  }
  return { total: records.length, success, errors, kernelStamps, ttft: spread(ttft), itl: spread(itl) };
}
