// The run's requests as the stream meter recorded them (its --records file,
// docs/meter-protocol.md): each line turned into a RequestRecord by the same
// recordFromMeter and protocol adapter k6 uses, so the report's figures are
// the summary's. Pure: the caller reads the file.

import { recordFromMeter } from '../measure/meter-record.ts';
import type { RequestRecord } from '../measure/request-record.ts';
import { parseRecordsLine, type RecordsLine } from '../meter/record.ts';
import type { ProtocolAdapter } from '../protocols/protocol.ts';

/** One request of the run. */
export interface RequestPoint {
  workload: string;
  /** When it was sent, ms after the first request of the run was sent. */
  sentMs: number;
  record: RequestRecord;
}

/** The records file read: requests by send time, and lines that were not records. */
export interface RunRequests {
  points: RequestPoint[];
  /** Wall-clock time the first request was sent (ms since the epoch); null when the records carry none. */
  startUnixMs: number | null;
  skippedLines: number;
}

/** Parses a records file; requests without a workload in their ctx count as `fallbackWorkload`. */
export function requestsFromRecords(text: string, adapter: ProtocolAdapter, fallbackWorkload: string): RunRequests {
  const lines: RecordsLine[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const r = parseRecordsLine(line);
    if (typeof r === 'string') skippedLines++;
    else lines.push(r);
  }
  const sentNs = (r: RecordsLine): number | null => (r.record.sentUnixNs > 0 ? r.record.sentUnixNs : null);
  const byNs = lines.map(sentNs).filter((n): n is number => n !== null);
  const t0 = byNs.length ? Math.min(...byNs) : 0;
  const points = lines.map((line) => {
    const { record, context } = line;
    // k6-llm's context says whether the request streamed; without it, an event stream or a plain-token rule says so.
    const streamed = context ? context.streamed : record.isSSE || record.fast.length > 0;
    const ns = sentNs(line);
    return {
      workload: context && context.workload !== '' ? context.workload : fallbackWorkload,
      sentMs: ns === null ? (context?.startedMs ?? 0) : (ns - t0) / 1e6,
      record: recordFromMeter(adapter, record, streamed),
    };
  });
  points.sort((a, b) => a.sentMs - b.sentMs);
  return { points, skippedLines, startUnixMs: byNs.length ? t0 / 1e6 : null };
}
