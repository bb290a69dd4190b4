// Truth under a starved generator: chat through the meter against the mock,
// captured on loopback (tcpdump) as ground truth, while CPU hogs at a higher
// priority take both cores in bursts for part of the run. Events that
// waited unread then come up in one read under the last one's receive time;
// the meter bounds them, and for every request TTFT and E2E are within 1 ms
// of the wire, or the request is flagged with a bound at least as large as
// its error (the invariant of issue 22, held per request).
//
// Bounded: one 14 s k6 run; the hogs stop themselves after 7 s.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { matchRequests, vouchedFor } from '../../tools/bench/match.ts';
import { readRecordsFile } from '../../tools/bench/records.ts';
import { findTcpdump, startCapture, TCPDUMP_HINT } from '../../tools/bench/tcpdump.ts';
import { analyseCapture } from '../../tools/bench/wire-truth.ts';
import { startMeter } from '../../tools/provision/meter.ts';
import { openaiChat } from '../../src/protocols/openai-chat.ts';
import { runWorkload, startMock } from './harness.ts';

/** A busy loop at nice −15 that burns `burstMs`, rests `restMs`, and ends after `forMs`. */
function hog(burstMs: number, restMs: number, forMs: number): ChildProcess {
  const code = `const end=Date.now()+${forMs};(function burn(){if(Date.now()>end)process.exit(0);const t=Date.now()+${burstMs};while(Date.now()<t);setTimeout(burn,${restMs});})();`;
  return spawn('nice', ['-n', '-15', process.execPath, '-e', code], { stdio: 'ignore' });
}

describe('truth under a starved generator', () => {
  test('every request within 1 ms of the wire, or flagged with a bound at least its error', async () => {
    const tcpdump = findTcpdump();
    assert.ok(tcpdump, TCPDUMP_HINT);
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-starved-'));
    // Tokens 3 ms apart: a reader that comes 20 ms late finds several of them queued.
    const mock = await startMock(['--ttft-ms', '60', '--itl-ms', '3', '--output-tokens', '40', '--keepalive-every', '0']);
    const port = Number(new URL(mock.url).port);
    const recordsPath = join(dir, 'requests.jsonl');
    const meter = await startMeter({ records: recordsPath, log: () => {} });
    const capture = await startCapture({ binary: tcpdump, iface: 'lo', filter: `tcp port ${port}`, file: join(dir, 'lo.pcap'), bufferKiB: 32768 });
    const hogs: ChildProcess[] = [];
    const starter = setTimeout(() => hogs.push(hog(25, 10, 7000), hog(25, 10, 7000)), 3000);
    try {
      const res = await runWorkload('chat', {
        LLM_BASE_URL: mock.url,
        LLM_METER_URL: meter.url,
        LLM_VUS: '16',
        LLM_DURATION: '14s',
        LLM_TURNS: '1',
        LLM_PROMPT_TOKENS: '16',
        LLM_MAX_TOKENS: '40',
        LLM_THRESHOLDS: 'none',
      });
      assert.equal(res.code, 0, res.stderr.slice(-2000));
    } finally {
      clearTimeout(starter);
      for (const h of hogs) h.kill('SIGKILL');
      await meter.stop();
      await capture.stop();
      await mock.server.close();
    }
    const records = readRecordsFile(recordsPath, openaiChat);
    const analysis = analyseCapture(join(dir, 'lo.pcap'), openaiChat);
    const wire = analysis.requests.filter((w) => w.method === 'POST' && w.target.endsWith(openaiChat.path));
    const matched = matchRequests(records.requests, wire, analysis.baseSec);
    assert.equal(matched.unmatchedClients.length, 0, 'every record matched to its captured request');
    assert.ok(matched.pairs.length >= 50, `${matched.pairs.length} requests`);
    let flagged = 0;
    let worstUnflagged = 0;
    let worstFlagged = { error: 0, bound: 0 };
    const broken: string[] = [];
    for (const { client, wire: w } of matched.pairs) {
      const r = client.record;
      if (!r.success || w.record === null) continue;
      const figures: [string, number | null, number | null, number | null][] = [
        ['TTFT', r.ttftMs, w.record.ttftMs, r.ttftBoundMs],
        ['E2E', r.e2eMs, w.record.e2eMs, r.e2eBoundMs],
      ];
      const isFlagged = Math.max(r.ttftBoundMs ?? 0, r.e2eBoundMs ?? 0) > 1;
      if (isFlagged) flagged++;
      for (const [name, mine, truth, bound] of figures) {
        const delta = mine === null || truth === null ? null : mine - truth;
        if (!vouchedFor(delta, bound)) broken.push(`${name} ${mine} vs wire ${truth}, bound ${bound} (port ${client.localPort})`);
        if (delta === null) continue;
        if (isFlagged && delta > worstFlagged.error) worstFlagged = { error: delta, bound: bound ?? 0 };
        if (!isFlagged) worstUnflagged = Math.max(worstUnflagged, Math.abs(delta));
      }
    }
    console.log(
      `starved: ${matched.pairs.length} requests, ${flagged} flagged; largest error unflagged ${worstUnflagged.toFixed(3)} ms, ` +
        `flagged ${worstFlagged.error.toFixed(3)} ms (its bound ${worstFlagged.bound.toFixed(3)} ms)`,
    );
    assert.deepEqual(broken, [], 'figures neither within 1 ms of the wire nor flagged with a bound at least their error');
    assert.ok(flagged > 0, 'the hogs starved no read: the test proved nothing (no request was flagged)');
  });
});
