// A run's records file (the stream meter's requests.jsonl) read as k6 counted
// it: each line checked by the one validating reader (src/meter/record.ts),
// turned into a RequestRecord by the same recordFromMeter k6 uses, with the
// workload it belongs to. Shared by `k6-llm merge` and the regression gate.

import type { RequestRecord } from '../../src/measure/request-record.ts';
import { recordFromMeter } from '../../src/measure/meter-record.ts';
import { parseRecordsLine, type MeterRecord, type RequestContext } from '../../src/meter/record.ts';
import type { ProtocolAdapter } from '../../src/protocols/protocol.ts';
import { fileLines } from './jsonl.ts';

/** Bad merge input: one line, exit 2. */
export class MergeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeInputError';
  }
}

/** One request of a records file. */
export interface RunRecord {
  /** The workload it belongs to (its context's, else the run's only one). */
  workload: string;
  record: RequestRecord;
  raw: MeterRecord;
  context: RequestContext | null;
  /** Its line in the file (1-based), for error messages. */
  line: number;
}

/** What readRecords passed over. */
export interface RecordsCount {
  /** Lines read (records). */
  records: number;
  /**
   * Records of requests k6 abandoned when the test ended (meter errorKind
   * `canceled`: k6 closed its call and the script never saw an answer):
   * yielded as `interrupted` requests, as one k6 process counts them at
   * teardown; no figure but the request and error counts takes them.
   */
  cutAtEnd: number;
}

/**
 * Yields each request of the records file at `path`, those k6 cut included;
 * `only` is the workload of records without one in their context (null when
 * the run had several: such a record is then an error). Throws
 * MergeInputError naming the file and line.
 */
export function* readRecords(path: string, adapter: ProtocolAdapter, only: string | null, count: RecordsCount = { records: 0, cutAtEnd: 0 }): Generator<RunRecord> {
  for (const { text, line } of fileLines(path)) {
    const read = parseRecordsLine(text);
    if (typeof read === 'string') {
      throw new MergeInputError(`invalid ${path} line ${line}; expected one JSON meter record per line (docs/meter-protocol.md), got ${snippet(text)} (${read})`);
    }
    const { record: raw, context } = read;
    count.records++;
    if (raw.errorKind === 'canceled') count.cutAtEnd++;
    const workload = context && context.workload !== '' ? context.workload : only;
    if (workload === null) throw new MergeInputError(`invalid ${path} line ${line}; expected the request's workload in ctx.w (k6-llm's scripts send it), got none with several workloads to choose from`);
    const streamed = context ? context.streamed : raw.isSSE || raw.fast.length > 0;
    yield { workload, record: recordFromMeter(adapter, raw, streamed), raw, context, line };
  }
}

/** A line of input quoted in an error: JSON-quoted, cut at 60 characters. */
export function snippet(text: string): string {
  const t = text.trim();
  return JSON.stringify(t.length > 60 ? `${t.slice(0, 60)}…` : t);
}
