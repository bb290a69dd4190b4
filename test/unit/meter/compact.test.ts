// The meter's compact answer against the protocol adapters, the one
// authority on what an event means: for every transcript of
// test/fixtures/sse (and hand-made outcomes), the RequestRecord k6 builds
// from the compact answer the Go encoder wrote (test/fixtures/meter-compact.json,
// pinned byte for byte by meter/compact_vectors_test.go) must equal the one
// the adapter gives reading every event's data itself (recordFromMeter with
// no plain-token flags): every figure, every ITL gap, bit for bit.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recordFromCompact, recordFromMeter } from '../../../src/measure/meter-record.ts';
import { StreamMeter } from '../../../src/measure/stream-meter.ts';
import { parseCompactAnswer, parseMeterRecord, readCompactAnswer, type MeterRecord } from '../../../src/meter/record.ts';
import { protocolByName } from '../../../src/protocols/index.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { ALL_TRANSCRIPTS, loadTranscript, okOutcome, parseWhole, PROTOCOL_TRANSCRIPTS } from '../support/transcript.ts';

interface Vector {
  name: string;
  protocol: string;
  streamed?: boolean;
  transcript?: string;
  events?: string[];
  rule: boolean;
  bounds: boolean;
  times?: number[];
  record: string;
  compact: string;
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/meter-compact.json'), 'utf8')) as { vectors: Vector[] };

/** Each event's data as k6-llm's own SSE parser reads the vector's transcript (or the events it lists). */
function eventData(v: Vector): string[] {
  if (v.transcript !== undefined) return parseWhole(loadTranscript(v.transcript)).events.map((e) => e.data);
  return v.events ?? [];
}

/** The meter's record of the vector with every event's data: what the adapter alone reads. */
function fullRecord(v: Vector): MeterRecord {
  const head = parseMeterRecord(v.record);
  assert.ok(typeof head !== 'string', `${v.name}: ${head as string}`);
  const data = eventData(v);
  const times = v.times ?? [];
  assert.equal(data.length, times.length, `${v.name}: the Go parser and k6-llm's found as many events`);
  return { ...head, times, data, fast: [] };
}

describe('the compact answer', () => {
  it('gives every figure the adapter gives reading every event, on every transcript and hand-made outcome', () => {
    for (const v of fixture.vectors) {
      const adapter = protocolByName(v.protocol);
      const streamed = v.streamed ?? true;
      const compact = parseCompactAnswer(v.compact);
      assert.ok(typeof compact !== 'string', `${v.name}: ${compact as string}`);
      const expected = recordFromMeter(adapter, fullRecord(v), streamed);
      assert.deepEqual(recordFromCompact(adapter, compact, streamed), expected, v.name);
    }
  });

  it('covers every transcript with its own protocol, plain-token runs and stamp bounds', () => {
    const own: Record<string, string> = { ...PROTOCOL_TRANSCRIPTS };
    for (const name of ALL_TRANSCRIPTS) {
      const protocol = own[name] ?? 'openai-chat';
      assert.ok(
        fixture.vectors.some((v) => v.transcript === name && v.protocol === protocol && v.rule && v.bounds),
        `no vector reads ${name} with ${protocol} and its plain-token rule`,
      );
    }
    // The vectors exercise what they are for: long runs, runs broken by other events, bounds by time.
    const runs = fixture.vectors.map((v) => readCompactAnswer(JSON.parse(v.compact))).filter((c) => typeof c !== 'string');
    assert.ok(runs.some((c) => c.runs.length >= 8), 'a stream with several runs');
    assert.ok(runs.some((c) => c.gaps.length >= 31), 'a run of 32 tokens');
    assert.ok(runs.some((c) => c.stampBounds.length > 0), 'stamp bounds');
  });

  it('hands the ITL list over as the meter sent it when one run holds every gap', () => {
    const v = fixture.vectors.find((x) => x.name.startsWith("the mock's stream"));
    assert.ok(v);
    const compact = parseCompactAnswer(v.compact);
    assert.ok(typeof compact !== 'string');
    const record = recordFromCompact(openaiChat, compact, true);
    assert.equal(record.itlMs, compact.gaps);
    assert.equal(record.itlMs.length, 31);
    assert.equal(record.tokenChunks, 32);
    assert.equal(record.success, true);
  });

  it('a run adds its gaps after a boundary gap, as its events one by one would', () => {
    const one = new StreamMeter(openaiChat, 0);
    const many = new StreamMeter(openaiChat, 0);
    for (const m of [one, many]) m.onEvent(5, '{"choices":[{"delta":{"reasoning_content":"hm"}}]}');
    one.onRun(10, 30.5, 3, [99, 10.25, 10.25, 99], 1);
    many.onEvents([10, 20.25, 30.5], ['', '', ''], [1, 1, 1]);
    assert.deepEqual(one.finish(okOutcome(31)), many.finish(okOutcome(31)));
  });

  it('refuses what is not a compact answer, saying why', () => {
    assert.equal(parseCompactAnswer('{'), 'not JSON');
    assert.equal(parseCompactAnswer('{"status":200}'), 'not a JSON array');
    assert.equal(parseCompactAnswer('[2,200]'), 'not a compact answer of version 1 (first element 2)');
    assert.equal(parseCompactAnswer('[1,"200",0,0,0,0,0,0,"","","","",[],[],[],[]]'), 'status (element 1) is not a number');
    assert.equal(parseCompactAnswer('[1,200,0,0,0,0,0,0,"","","","",[1],[],[],[]]'), 'events or runs are not whole pairs and quadruples');
    assert.equal(parseCompactAnswer('[1,200,0,0,0,0,0,0,"","","","",[],[],{},[]]'), 'gaps (element 14) is not a list');
  });
});
