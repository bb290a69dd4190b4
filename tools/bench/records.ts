// Reads the stream meter's records file (`meter --records FILE`, one JSON
// line per finished /stream request; docs/meter-protocol.md) and turns each
// record into the figures k6 computes from it: the same recordFromMeter
// (StreamMeter over times, data and fast) the k6 transport calls. Streamed
// line by line: a 2000-stream run writes tens of MB.

import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { recordFromMeter } from '../../src/measure/meter-record.ts';
import { parseRecordsLine } from '../../src/meter/record.ts';
import type { RequestRecord } from '../../src/measure/request-record.ts';
import type { ProtocolAdapter } from '../../src/protocols/protocol.ts';

/** One request as the meter (and so k6) measured it. */
export interface ClientRequest {
  /** The upstream connection's local port; 0 when the meter did not know it. */
  localPort: number;
  /** Wall-clock time the request was written (Unix ns, as a double: ~0.25 µs resolution). */
  sentUnixNs: number;
  url: string;
  vu: string;
  /** What k6 computes from this record. */
  record: RequestRecord;
  /** Events the meter framed. */
  events: number;
  kernelStamps: boolean;
}

/** What reading the file found. */
export interface RecordsFile {
  requests: ClientRequest[];
  /** Lines that were not a meter record (with the first one, cut to 120 characters). */
  unreadable: number;
  firstUnreadable: string | null;
}

/** Turns one records-file line into a ClientRequest; null when it is not a record. */
export function clientRequestOf(line: string, adapter: ProtocolAdapter): ClientRequest | null {
  const read = parseRecordsLine(line);
  if (typeof read === 'string') return null;
  const { record: rec, url, vu } = read;
  return {
    localPort: rec.localPort,
    sentUnixNs: rec.sentUnixNs,
    url,
    vu,
    // Every request of the bench's chat workload asks for a stream.
    record: recordFromMeter(adapter, rec, true),
    events: rec.times.length,
    kernelStamps: rec.kernelStamps,
  };
}

/** Reads every line of a records file, `chunkBytes` at a time. */
export function readRecordsFile(path: string, adapter: ProtocolAdapter, chunkBytes = 1024 * 1024): RecordsFile {
  const out: RecordsFile = { requests: [], unreadable: 0, firstUnreadable: null };
  const take = (line: string): void => {
    if (line.trim() === '') return;
    const r = clientRequestOf(line, adapter);
    if (r) out.requests.push(r);
    else {
      out.unreadable++;
      out.firstUnreadable ??= line.slice(0, 120);
    }
  };
  const fd = openSync(path, 'r');
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(chunkBytes);
  let rest = '';
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, chunkBytes, null);
      if (n === 0) break;
      const text = rest + decoder.write(buf.subarray(0, n));
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) take(line);
    }
  } finally {
    closeSync(fd);
  }
  take(rest + decoder.end());
  return out;
}

/** The records files of several instances as one. */
export function joinRecords(files: RecordsFile[]): RecordsFile {
  return { requests: files.flatMap((f) => f.requests), unreadable: files.reduce((n, f) => n + f.unreadable, 0), firstUnreadable: files.find((f) => f.firstUnreadable !== null)?.firstUnreadable ?? null };
}
