import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { combineProgress, levelLabel, progressLine, readMeterProgress, startProgress } from '../../../tools/cli/progress.ts';
import { parseRunArgs } from '../../../tools/cli/args.ts';
import { until } from '../mock-server/fake-clock.ts';

test('a progress line: elapsed / total, requests, TTFT p50, errors', () => {
  assert.equal(progressLine({ elapsedMs: 12_400, totalMs: 60_000, requests: 340, ttftP50Ms: 211.6, errors: 3 }), 'k6-llm: 12 s / 60 s · 340 requests · TTFT p50 212 ms · 3 errors');
  assert.equal(progressLine({ elapsedMs: 61_000, totalMs: 60_000, requests: 1, ttftP50Ms: null, errors: 1 }), 'k6-llm: 60 s / 60 s · 1 requests · TTFT p50 – · 1 error');
  assert.equal(progressLine({ elapsedMs: 5_000, totalMs: null, requests: 0, ttftP50Ms: null, errors: 0 }), 'k6-llm: 5 s · 0 requests · TTFT p50 – · 0 errors');
});

test("the ramp's line names its planned level", () => {
  assert.equal(levelLabel([1, 2, 4, 8], 10_000, ' streams', 25_000), '4 streams (3 of 4)');
  assert.equal(levelLabel([1, 2, 4, 8], 10_000, ' streams', 99_000), '8 streams (4 of 4)');
  assert.equal(levelLabel([5, 10], 30_000, '/s', 0), '5/s (1 of 2)');
  assert.equal(progressLine({ elapsedMs: 25_000, totalMs: 41_000, requests: 9, ttftP50Ms: 80, errors: 0, level: '4 streams (3 of 4)' }), 'k6-llm: 25 s / 41 s · level 4 streams (3 of 4) · 9 requests · TTFT p50 80 ms · 0 errors');
});

test('--quiet is the CLI\'s own flag', () => {
  assert.equal(parseRunArgs(['chat', '--quiet', '--vus', '2']).quiet, true);
  assert.equal(parseRunArgs(['chat']).quiet, false);
});

/** A stand-in meter answering the three progress endpoints, checking the secret. */
async function fakeMeter(): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    if (req.headers['x-k6-llm-meter-secret'] !== 's3cr3t') return void res.writeHead(401).end();
    const body = req.url === '/health' ? { version: '1', streams: 2, maxStreams: 8, started: 42 } : req.url?.startsWith('/store/summary?prefix=llm_ttft%3A') ? { count: 40, p50: 187.2 } : req.url?.startsWith('/store/keys?prefix=llm_cause%3A') ? { keys: { 'llm_cause:chat:401 Unauthorized': 3, 'llm_cause:chat:connect': 1 } } : null;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://k6llm:s3cr3t@127.0.0.1:${port}`, close: () => server.close() };
}

test('the figures come from the meter: requests it took, TTFT p50 of the store, errors by cause', async () => {
  const meter = await fakeMeter();
  try {
    assert.deepEqual(await readMeterProgress(meter.url), { requests: 42, ttftP50Ms: 187.2, errors: 4 });
    assert.equal(await readMeterProgress(meter.url.replace('s3cr3t', 'wrong')), null);
  } finally {
    meter.close();
  }
});

/** A fake time and a hand-driven ticker for startProgress: `step(ms)` sets the time and ticks once. */
function handClock(writes: string[]): { now: () => number; repeat: (ms: number, tick: () => void) => () => void; step(atMs: number): Promise<void>; everyMs: () => number | null; cancelled: () => boolean } {
  let time = 1_000;
  let tick: (() => void) | null = null;
  let every: number | null = null;
  let cancelled = false;
  return {
    now: () => time,
    repeat: (ms, t) => {
      every = ms;
      tick = t;
      return () => (cancelled = true);
    },
    async step(atMs) {
      time = 1_000 + atMs;
      const before = writes.length;
      tick!();
      await until(() => writes.length > before, 'a progress line was written');
    },
    everyMs: () => every,
    cancelled: () => cancelled,
  };
}

test('on a terminal one line rewritten in place every second, cleared at the end; elsewhere plain lines every 10 s', async () => {
  const meter = await fakeMeter();
  try {
    const tty: string[] = [];
    const clock = handClock(tty);
    const p = startProgress({ meterUrls: [meter.url], totalMs: 10_000, tty: true, write: (t) => tty.push(t), now: clock.now, repeat: clock.repeat });
    assert.equal(clock.everyMs(), 1_000);
    await clock.step(400);
    await clock.step(2_900);
    await clock.step(11_000);
    await p.stop();
    assert.ok(clock.cancelled());
    const line = (time: string): string => `\r\x1b[2Kk6-llm: ${time} · 42 requests · TTFT p50 187 ms · 4 errors`;
    assert.deepEqual(tty, [line('0 s / 10 s'), line('2 s / 10 s'), line('10 s / 10 s'), '\r\x1b[2K']);

    const plain: string[] = [];
    const plainClock = handClock(plain);
    const q = startProgress({ meterUrls: [meter.url], totalMs: null, tty: false, write: (t) => plain.push(t), now: plainClock.now, repeat: plainClock.repeat });
    assert.equal(plainClock.everyMs(), 10_000);
    await plainClock.step(0);
    await plainClock.step(20_500);
    await q.stop();
    assert.deepEqual(plain, ['k6-llm: 0 s · 42 requests · TTFT p50 187 ms · 4 errors\n', 'k6-llm: 20 s · 42 requests · TTFT p50 187 ms · 4 errors\n'], 'no line clearing off a terminal');
  } finally {
    meter.close();
  }
});

test('several instances: requests and errors summed, the instances\' TTFT p50s as a range (medians do not add up)', async () => {
  const a = { requests: 40, ttftP50Ms: 187.2, errors: 1 };
  const b = { requests: 38, ttftP50Ms: 201.9, errors: 0 };
  const both = combineProgress([a, b]);
  assert.deepEqual(both, { requests: 78, ttftP50Ms: 187.2, ttftP50MaxMs: 201.9, errors: 1 });
  assert.equal(progressLine({ ...both!, elapsedMs: 3_000, totalMs: 10_000 }), 'k6-llm: 3 s / 10 s · 78 requests · TTFT p50 187–202 ms · 1 error');
  // One that could not be asked is left out; none: no line.
  assert.deepEqual(combineProgress([a, null]), { requests: 40, ttftP50Ms: 187.2, ttftP50MaxMs: 187.2, errors: 1 });
  assert.equal(progressLine({ ...combineProgress([a, null])!, elapsedMs: 0, totalMs: null }), 'k6-llm: 0 s · 40 requests · TTFT p50 187 ms · 1 error');
  assert.equal(combineProgress([null, null]), null);
  const meters = [await fakeMeter(), await fakeMeter()];
  try {
    const lines: string[] = [];
    const clock = handClock(lines);
    const p = startProgress({ meterUrls: meters.map((m) => m.url), totalMs: null, tty: false, write: (t) => lines.push(t), everyMs: 250, now: clock.now, repeat: clock.repeat });
    assert.equal(clock.everyMs(), 250);
    await clock.step(3_000);
    await p.stop();
    assert.deepEqual(lines, ['k6-llm: 3 s · 84 requests · TTFT p50 187 ms · 8 errors\n']);
  } finally {
    for (const m of meters) m.close();
  }
});
