// The meter's contract, read from the shared vectors the Go encoder is also
// tested against (test/fixtures/meter-records.json): every record reads back
// as the fields it holds, every records-file line as its record, vu, url and
// context, and anything else is refused with its reason.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encodeContext, parseMeterRecord, parseRecordsLine, readContext, type MeterRecord, type RequestContext } from '../../../src/meter/record.ts';

interface Vectors {
  records: { name: string; json: string; record: MeterRecord }[];
  lines: { name: string; of: number; vu: string; url: string; ctx: string | null; context: RequestContext | null }[];
  invalid: { json: string; reason: string }[];
}

const vectors = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/meter-records.json'), 'utf8')) as Vectors;

describe('the meter record contract', () => {
  it('reads every record the Go encoder writes as the fields it holds', () => {
    assert.ok(vectors.records.length >= 4);
    for (const v of vectors.records) assert.deepEqual(parseMeterRecord(v.json), v.record, v.name);
  });

  it('reads a records-file line (the record with vu, url and ctx spliced in, as the meter writes it)', () => {
    for (const v of vectors.lines) {
      const rec = vectors.records[v.of] as Vectors['records'][number];
      const line = `${rec.json.slice(0, -1)},"vu":${JSON.stringify(v.vu)},"url":${JSON.stringify(v.url)}${v.ctx === null ? '' : `,"ctx":${v.ctx}`}}`;
      assert.deepEqual(parseRecordsLine(line), { record: rec.record, vu: v.vu, url: v.url, context: v.context }, v.name);
    }
  });

  it('refuses what is not a record, saying why', () => {
    for (const v of vectors.invalid) assert.equal(parseMeterRecord(v.json), v.reason, v.json);
    assert.equal(parseMeterRecord('{'), 'not JSON');
    assert.equal(parseRecordsLine('{"status":200}'), '"times" is not a list');
  });

  it('encodes the context with the short keys the vectors hold, and reads it back', () => {
    for (const v of vectors.lines) {
      if (v.context === null || v.ctx === null) continue;
      assert.equal(JSON.stringify(encodeContext(v.context)), v.ctx, v.name);
      assert.deepEqual(readContext(JSON.parse(v.ctx)), v.context, v.name);
    }
    assert.equal(encodeContext({ workload: 'ramp', timeline: false, startedMs: 1, streamed: true, protocol: null, level: { label: '2', sinceStartMs: 1.23456 }, images: [] }).le, 1.235);
    assert.equal(readContext({ other: 'script' }), null);
  });
});
