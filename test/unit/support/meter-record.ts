// A meter record (src/meter/record.ts) for tests: an empty 200 answer with
// the fields a test names replaced.
import type { MeterRecord } from '../../../src/meter/record.ts';

/** An empty record with `fields` over it. */
export function meterRecord(fields: Partial<MeterRecord>): MeterRecord {
  return {
    status: 200,
    retryAfter: '',
    headersMs: 0,
    endMs: 0,
    isSSE: true,
    times: [],
    data: [],
    fast: [],
    comments: 0,
    unterminated: false,
    body: '',
    bodyBytes: 0,
    errorKind: '',
    errorMessage: '',
    kernelStamps: true,
    readLagMaxMs: 0,
    sendLagMs: 0,
    localPort: 0,
    sentUnixNs: 0,
    stampBounds: [],
    resent: 0,
    resentCause: '',
    ...fields,
  };
}
