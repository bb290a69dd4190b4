// The bench's text: CPU per event from the right event count (the capture's
// unless it lost packets), a capture that dropped packets says so, targets
// beside the figures at the loads they apply to, the closing table.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spread } from '../../../tools/bench/match.ts';
import { cpuPerEvent, cpuPerToken, eventsUsed, formatLoad, formatReference, formatTable, memoryPerStream, referencePerToken, signed, type LoadResult, type ReferenceResult } from '../../../tools/bench/report.ts';

function result(over: Partial<LoadResult> = {}): LoadResult {
  const s = spread([0.01, 0.02, 0.03]);
  return {
    streams: 500,
    prompts: 'unique',
    ttftMs: 200,
    itlMs: 100,
    itlNote: null,
    window: { ms: 20_000, fromFirstRequestMs: 3000, beforeLoadEndMs: 1500 },
    events: { capture: 100_000, mock: 99_000 },
    tokens: 75_000,
    cpuMs: { k6: 1000, meter: 500 },
    otherCpuMs: { mock: 2000, tcpdump: 100 },
    machine: { cores: 2, busyCores: 0.5, outsideCores: 0.02, stealCores: 0 },
    memory: { k6: { hwmKb: 700 * 1024, rssKb: 690 * 1024 }, meter: { hwmKb: 70 * 1024, rssKb: 60 * 1024 } },
    capture: { packets: 1000, bytes: 5e6, droppedByKernel: 0, droppedByInterface: null, retransmitted: 0, outOfOrder: 0, stuck: 0, withoutSyn: 0, unreadable: 0, truncated: 0, leftoverBytes: 0 },
    match: { records: 10, captured: 10, matched: 10, unmatchedRecords: 0, unmatchedCaptured: 0, conflicts: 0 },
    accuracy: { requests: 3, ttftError: s, itlError: s, itlCountMismatches: 0, wireTtft: s, clientTtft: s, wireItl: s, clientItl: s, offset: s },
    outliers: {
      ttft: { limitMs: 5, count: 2, firstNs: 2e9, lastNs: 4e9, worst: [{ wireStartNs: 4e9, clientPort: 40001, gap: -1, clientMs: 400, wireMs: 200, errorMs: 200 }] },
      itl: { limitMs: 5, count: 0, firstNs: NaN, lastNs: NaN, worst: [] },
      firstRequestNs: 1e9,
    },
    server: { ttft: s, itl: s },
    records: { total: 10, success: 9, errors: { interrupted: 1 }, kernelStamps: 10, ttft: s, itl: s },
    k6Summary: { requests: 10, ttft: { p50: 200.1, p99: 210 }, itl: { p50: 100, p99: 101 } },
    mock: { latenessP99: 1, loopDelayP99: 2 },
    problems: [],
    ...over,
  };
}

describe('bench report', () => {
  it('divides CPU by the captured events, or by the mock’s when the capture lost packets', () => {
    assert.deepEqual(cpuPerEvent(result()), { total: 15, k6: 10, meter: 5 });
    const lossy = result({ capture: { ...result().capture!, droppedByKernel: 12 } });
    assert.equal(eventsUsed(lossy).source, 'mock counters');
    assert.equal(cpuPerEvent(lossy)!.total, (1500 * 1000) / 99_000);
    assert.equal(cpuPerEvent(result({ cpuMs: null })), null);
  });

  it('divides CPU by the output tokens the mock sent, and memory by the streams', () => {
    assert.deepEqual(cpuPerToken(result()), { total: 20, k6: 1000 / 75, meter: 500 / 75 });
    assert.equal(cpuPerToken(result({ tokens: null })), null);
    assert.deepEqual(memoryPerStream(result()), { total: 770 / 500, k6: 700 / 500, meter: 70 / 500 });
    assert.equal(memoryPerStream(result({ memory: { k6: { hwmKb: null, rssKb: null }, meter: { hwmKb: 1, rssKb: 1 } } })), null);
  });

  it('prints targets beside the figures at the loads they apply to, and flags a lossy capture', () => {
    const text = formatLoad(result()).join('\n');
    assert.match(text, /CPU per token     k6\+meter 20\.00 µs · k6 13\.33 µs · meter 6\.67 µs   \[target ≤ 40 µs per token, stretch 20, at 500 streams\]/);
    assert.match(text, /CPU per event     k6\+meter 15\.00 µs · k6 10\.00 µs · meter 5\.00 µs$/m);
    assert.match(text, /prompts           unique prompts/);
    assert.match(text, /memory per stream k6\+meter 1\.54 MB · k6 1\.40 MB · meter 0\.14 MB \(peak RSS ÷ 500 streams\)$/m);
    assert.doesNotMatch(formatLoad(result({ prompts: 'repeated' })).join('\n'), /target ≤ 40/);
    assert.match(formatLoad(result({ streams: 2000 })).join('\n'), /\[target ≤ 0\.5 MB per stream at 2000 streams\]/);
    assert.match(text, /TTFT client−wire  p50 \+0\.020 · p99 \+0\.030 · max \+0\.030 · min \+0\.010 ms \(3 requests\)   \[target \|p50\| ≤ 1 ms, p99 ≤ 5 ms\]/);
    assert.match(text, /0 dropped by kernel$/m);
    assert.match(text, /TTFT outliers     2 requests off by more than 5 ms, in requests from 1\.0 s to 3\.0 s after the first request; worst \+200\.00 ms \(client 400\.00 \/ wire 200\.00, port 40001, at 3\.0 s\)/);
    assert.doesNotMatch(text, /ITL  outliers/);
    assert.match(text, /0\.50 of 2 cores busy in the window; 0\.02 cores outside the bench's processes/);
    assert.doesNotMatch(text, /LOST PACKETS/);
    const at20 = formatLoad(result({ streams: 20 })).join('\n');
    assert.doesNotMatch(at20, /target/);
    const lossy = formatLoad(result({ capture: { ...result().capture!, droppedByKernel: 12, droppedByInterface: 3 } })).join('\n');
    assert.match(lossy, /12 dropped by kernel, 3 dropped by interface  ← THE CAPTURE LOST PACKETS/);
    const none = formatLoad(result({ capture: null, accuracy: null, server: null, match: null })).join('\n');
    assert.match(none, /TTFT\/ITL vs wire  - \(no capture\)/);
  });

  it('prints the reference client’s CPU per token, tokens held and its own figures', () => {
    const ref: ReferenceResult = {
      streams: 500,
      window: { ms: 10_000 },
      cpuMs: 6000,
      tokens: 50_000,
      events: 56_000,
      memory: { hwmKb: 100 * 1024, rssKb: null },
      figures: { requests: 1500, errors: 0, ttftP50: 201, ttftP99: 900, itlP50: 100, itlP99: 130 },
      problems: [],
    };
    assert.equal(referencePerToken(ref), 120);
    const text = formatReference(ref).join('\n');
    assert.match(text, /CPU per token 120\.00 µs \(per event 107\.14 µs\) · 5,000 tokens\/s held · memory per stream 0\.20 MB/);
    assert.match(text, /its own TTFT p50 201\.00 · p99 900\.00 ms/);
    assert.equal(referencePerToken({ ...ref, cpuMs: null }), null);
  });

  it('ends with one row per load, the reference client’s and the targets', () => {
    const ref: ReferenceResult = { streams: 500, window: { ms: 10_000 }, cpuMs: 6000, tokens: 50_000, events: 56_000, memory: { hwmKb: 100 * 1024, rssKb: null }, figures: null, problems: [] };
    const rows = formatTable([result(), result({ streams: 2000, itlMs: 200 })], [ref]);
    assert.equal(rows.length, 5);
    assert.match(rows[1]!, /^\s+500\s+unique\s+100\s+5,000\s+20\.00\s+13\.33\s+6\.67\s+1\.54\s+700\/690\s+70\/60.*0\.50\/0\.02$/);
    assert.match(rows[2]!, /^\s+2000\s+unique\s+200/);
    assert.match(rows[3]!, /^\s+500\s+ref\s+5,600\s+120\.00\s+0\.20/);
    assert.match(rows[4]!, /^targets:/);
    assert.equal(signed(-0.0042), '−0.004');
  });
});
