// Several k6 instances on execution segments send, together, exactly the
// requests one instance sends: the same prompts (and chat histories), none
// twice, none missing, each on its schedule. Every instance runs beside its
// own stream meter and sends through its own request log (a capture proxy
// in front of one mock), so the test knows which instance sent what and
// when. Closed chat (a VU a user, and 4 users a VU), open chat (Poisson) and realtime run as 1, 2 and 4
// instances; batch, availability, mixed and a rate ramp as 1 and 2;
// coldstart refuses in one line. Figures (send lateness, offsets against the single run) are printed.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildSchedule } from '../../src/arrivals/index.ts';
import { sharedIterationsStripe } from '../../src/arrivals/segments.ts';
import { CHAT_DEFAULTS, CHAT_OPEN_DEFAULTS, firstTurnMessages } from '../../src/workloads/chat.ts';
import { splitDuration } from '../../src/workloads/options.ts';
import { promptSourceFor, shapeOf } from '../unit/support/prompts.ts';
import { REALTIME_DEFAULTS } from '../../src/workloads/realtime.ts';
import { resolveSettings, type WorkloadDefaults } from '../../src/workloads/settings.ts';
import { parseWorkloadConfig } from '../../src/config/scope.ts';
import { startMeter } from '../../tools/provision/meter.ts';
import type { MockServer } from '../../tools/mock-server/server.ts';
import { startCapture, type CapturedRequest } from './capture.ts';
import { runWorkload, startMock, type K6Result } from './harness.ts';

/** One instance's run: its k6 result and the generation requests its log saw. */
interface InstanceRun {
  res: K6Result;
  requests: CapturedRequest[];
}

/** A request's identity: its whole body (prompt, history, length). */
const bodyKey = (r: CapturedRequest): string => JSON.stringify(r.body);
/** Only the messages: how a test maps a request back to its scheduled arrival. */
const messagesKey = (messages: unknown): string => JSON.stringify(messages);

/** The sequence of n equal segments: 0,1/n,…,1. */
function sequenceOf(n: number): string {
  return ['0', ...Array.from({ length: n - 1 }, (_, i) => `${i + 1}/${n}`), '1'].join(',');
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}

/** `vars` as n instances at once (segments of sequenceOf(n); no segment flags for n = 1), each with its own meter and request log. */
async function runInstances(upstream: string, workload: string, vars: Record<string, string>, n: number): Promise<InstanceRun[]> {
  const sequence = sequenceOf(n);
  const points = sequence.split(',');
  const meters = await Promise.all(Array.from({ length: n }, () => startMeter({ log: () => {} })));
  const captures = await Promise.all(Array.from({ length: n }, () => startCapture(upstream)));
  try {
    const results = await Promise.all(
      meters.map((m, i) =>
        runWorkload(
          workload,
          { ...vars, LLM_BASE_URL: (captures[i] as { url: string }).url, LLM_METER_URL: m.url },
          {},
          undefined,
          n === 1 ? [] : ['--execution-segment', `${points[i]}:${points[i + 1]}`, '--execution-segment-sequence', sequence],
        ),
      ),
    );
    return results.map((res, i) => ({
      res,
      requests: (captures[i] as { requests: CapturedRequest[] }).requests.filter((r) => r.method === 'POST' && Array.isArray(r.body?.messages)),
    }));
  } finally {
    await Promise.all(captures.map((c) => c.close()));
    await Promise.all(meters.map((m) => m.stop()));
  }
}

/** Sorted request bodies of every instance together. */
function union(runs: InstanceRun[]): string[] {
  return runs.flatMap((r) => r.requests.map(bodyKey)).sort();
}

/** The first-turn messages of each scheduled arrival, as the workload builds them (pure code, no k6). */
function scheduledMessages(workload: string, vars: Record<string, string>, defaults: WorkloadDefaults, chat: boolean): { atMs: number; messages: string }[] {
  const config = parseWorkloadConfig(vars, workload);
  const settings = resolveSettings(config, workload, defaults);
  const schedule = buildSchedule(settings.arrival, {
    ratePerSec: settings.rate,
    durationMs: splitDuration(config.load.durationMs).loadMs,
    seed: settings.seed,
    burstiness: config.load.burstiness,
    rampFromPerSec: config.load.rampFrom,
    trace: null,
  });
  const prompts = promptSourceFor(config, settings);
  return schedule.map((arrival, i) => ({
    atMs: arrival.atMs,
    messages: messagesKey(chat ? firstTurnMessages(prompts, i, 'You are a helpful assistant.') : prompts.request(i, shapeOf(config, settings), arrival).messages),
  }));
}

/**
 * Maps every run's first-turn requests to their scheduled arrivals: each
 * arrival sent exactly once by the instances together; per instance, how
 * late each send was behind its own earliest (send − intended) offset.
 */
function checkSchedule(label: string, runs: InstanceRun[], expected: { atMs: number; messages: string }[]): { p50: number; max: number } {
  const byMessages = new Map(expected.map((e, i) => [e.messages, i]));
  const seen = new Map<number, number>();
  const lateness: number[] = [];
  runs.forEach((run, instance) => {
    const offsets: number[] = [];
    for (const r of run.requests) {
      const index = byMessages.get(messagesKey(r.body?.messages));
      if (index === undefined) continue; // a later chat turn
      assert.equal(seen.get(index), undefined, `${label}: arrival ${index} sent by instances ${seen.get(index)} and ${instance}`);
      seen.set(index, instance);
      offsets.push(r.atMs - (expected[index] as { atMs: number }).atMs);
    }
    const base = Math.min(...offsets);
    for (const o of offsets) lateness.push(o - base);
  });
  assert.equal(seen.size, expected.length, `${label}: ${seen.size} of ${expected.length} scheduled arrivals sent`);
  return { p50: quantile(lateness, 0.5), max: Math.max(...lateness) };
}

/**
 * Per request, its send offset from its instance's first request minus the
 * single run's offset of the same request: how far the split run strays
 * from the single run's timing.
 */
function offsetsAgainst(single: InstanceRun[], runs: InstanceRun[]): { p50: number; max: number } {
  const t0 = (r: InstanceRun) => Math.min(...r.requests.map((q) => q.atMs));
  const base = new Map<string, number>();
  const s = single[0] as InstanceRun;
  for (const q of s.requests) base.set(bodyKey(q), q.atMs - t0(s));
  const diffs: number[] = [];
  for (const run of runs) {
    const start = t0(run);
    for (const q of run.requests) diffs.push(Math.abs(q.atMs - start - (base.get(bodyKey(q)) as number)));
  }
  return { p50: quantile(diffs, 0.5), max: Math.max(...diffs) };
}

const ok = (runs: InstanceRun[]) => runs.forEach((r) => assert.equal(r.res.code, 0, r.res.stderr));

describe('execution segments: N instances send exactly the single-instance requests', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    // One turn: 20 ms to the first token, 7 more at 5 ms: about 55 ms.
    mock = await startMock(['--ttft-ms', '20', '--itl-ms', '5', '--output-tokens', '8']);
  });
  after(async () => mock.server.close());

  const cases: { name: string; workload: string; vars: Record<string, string>; schedule?: () => { atMs: number; messages: string }[] }[] = [
    {
      // 5 users (3 + 2, 2 + 1 + 1 + 1), conversations of 2 turns 600 ms apart (about 720 ms):
      // starts at 0, 0.72 … 2.88 s, the load window closes at 3.15 s, between two starts.
      name: 'chat, closed pool',
      workload: 'chat',
      vars: { LLM_VUS: '5', LLM_TURNS: '2', LLM_THINK_TIME: '600ms', LLM_PROMPT_TOKENS: '12', LLM_DURATION: '4200ms', LLM_THRESHOLDS: 'none' },
    },
    {
      // The same pool as 16 users, 4 to a VU (asynchronous requests): the users, not the VUs, are split.
      name: 'chat, closed pool, 4 users per VU',
      workload: 'chat',
      vars: { LLM_VUS: '16', LLM_USERS_PER_VU: '4', LLM_TURNS: '2', LLM_THINK_TIME: '600ms', LLM_PROMPT_TOKENS: '12', LLM_DURATION: '4200ms', LLM_THRESHOLDS: 'none' },
    },
    {
      name: 'chat, open (Poisson)',
      workload: 'chat',
      vars: { LLM_RATE: '6', LLM_ARRIVAL: 'poisson', LLM_TURNS: '2', LLM_THINK_TIME: '300ms', LLM_PROMPT_TOKENS: '12', LLM_DURATION: '5s', LLM_THRESHOLDS: 'none' },
    },
    { name: 'realtime (Poisson)', workload: 'realtime', vars: { LLM_RATE: '10', LLM_DURATION: '4s', LLM_THRESHOLDS: 'none' } },
  ];
  const scheduleOf: Record<string, () => { atMs: number; messages: string }[]> = {
    'chat, open (Poisson)': () => scheduledMessages('chat', cases[2]!.vars, { ...CHAT_DEFAULTS, ...CHAT_OPEN_DEFAULTS }, true),
    'realtime (Poisson)': () => scheduledMessages('realtime', cases[3]!.vars, REALTIME_DEFAULTS, false),
  };

  for (const c of cases) {
    test(`${c.name}: 2 and 4 instances send the single instance's requests, on its schedule`, async () => {
      const single = await runInstances(mock.url, c.workload, c.vars, 1);
      ok(single);
      const expected = union(single);
      assert.ok(expected.length >= 20, `${expected.length} requests in the single run`);
      assert.equal(new Set(expected).size, expected.length, 'no request body repeats in the single run');
      const schedule = scheduleOf[c.name]?.();
      if (schedule) {
        const late = checkSchedule(`${c.name} ×1`, single, schedule);
        console.log(`${c.name} ×1: ${expected.length} requests; send lateness p50 ${late.p50.toFixed(1)} ms, max ${late.max.toFixed(1)} ms`);
      }
      for (const n of [2, 4]) {
        const runs = await runInstances(mock.url, c.workload, c.vars, n);
        ok(runs);
        // Every instance sent some of it (no instance idle, none sent it all).
        for (const [i, r] of runs.entries()) assert.ok(r.requests.length > 0 && r.requests.length < expected.length, `instance ${i} of ${n}: ${r.requests.length} requests`);
        assert.deepEqual(union(runs), expected, `${c.name}: the ${n} instances' requests together`);
        let line = `${c.name} ×${n}: ${runs.map((r) => r.requests.length).join(' + ')} = ${expected.length} requests`;
        if (!schedule) {
          // A closed pool's users run back to back from the start: every request goes out about when the
          // single run sent it. Per-request overheads differ from run to run by a few ms, so the offsets
          // drift by tens of ms over a run; a conversation started one slot early or late would be 720 ms off.
          const drift = offsetsAgainst(single, runs);
          line += `; offset from the single run p50 ${drift.p50.toFixed(1)} ms, max ${drift.max.toFixed(1)} ms`;
          assert.ok(drift.max < 300, `offset from the single run max ${drift.max} ms`);
        } else {
          const late = checkSchedule(`${c.name} ×${n}`, runs, schedule);
          line += `; send lateness p50 ${late.p50.toFixed(1)} ms, max ${late.max.toFixed(1)} ms`;
          // The realtime k6 test's own bound on schedule lag p50 (20 ms) holds per instance.
          assert.ok(late.p50 < 20, `send lateness p50 ${late.p50} ms`);
        }
        console.log(line);
        for (const r of runs) assert.match(r.res.stderr + r.res.stdout, /execution segment \S+ of [0-9/,]+: this instance sends its share/);
      }
    });
  }

  test('batch: 2 instances send the job of 7 items once between them (5 + 2 on 3 VUs)', async () => {
    const vars = { LLM_BATCH_SIZE: '7', LLM_VUS: '3', LLM_MAX_TOKENS: '8', LLM_DURATION: '10s', LLM_THRESHOLDS: 'none' };
    const single = await runInstances(mock.url, 'batch', vars, 1);
    const runs = await runInstances(mock.url, 'batch', vars, 2);
    ok(single);
    ok(runs);
    assert.equal(union(single).length, 7);
    assert.deepEqual(union(runs), union(single));
    assert.deepEqual(
      runs.map((r) => r.requests.length),
      ['0:1/2', '1/2:1'].map((s) => sharedIterationsStripe(7, 3, '0,1/2,1', s).length),
    );
    assert.match(runs[0]!.res.stderr, /batch: this instance sends 5 of the job's 7 items/);
    // Each instance's report counts its share as its job, finished: the shares add up to the job.
    assert.deepEqual(
      runs.map((r) => [r.res.summary?.workloads.batch?.batch?.jobSize, r.res.summary?.workloads.batch?.batch?.complete]),
      [
        [5, true],
        [2, true],
      ],
    );
    assert.equal(single[0]!.res.summary?.workloads.batch?.batch?.jobSize, 7);
  });

  test('availability: 2 instances send the steady stream of one between them', async () => {
    // 5/s for a 3.9 s load window: 20 requests at 0, 0.2 … 3.8 s, none within 100 ms of the window's end
    // (k6 starts an iteration due right at the end on some runs, not others).
    const vars = { LLM_RATE: '5', LLM_DURATION: '5200ms', LLM_PROMPT_TOKENS: '12', LLM_THRESHOLDS: 'none' };
    const single = await runInstances(mock.url, 'availability', vars, 1);
    const runs = await runInstances(mock.url, 'availability', vars, 2);
    ok(single);
    ok(runs);
    console.log(`availability ×2: ${runs.map((r) => r.requests.length).join(' + ')} requests; ×1: ${union(single).length}`);
    assert.equal(union(single).length, 20);
    assert.deepEqual(union(runs), union(single));
    assert.match(runs[1]!.res.stderr, /availability: this instance sends its stripe/);
  });

  test('mixed: 2 instances send the chat arrivals, realtime arrivals and batch job of one between them', async () => {
    const vars = { LLM_MIX: 'chat=2,realtime=5,batch=2', LLM_BATCH_SIZE: '5', LLM_TURNS: '2', LLM_THINK_TIME: '100ms', LLM_PROMPT_TOKENS: '12', LLM_DURATION: '4s', LLM_THRESHOLDS: 'none' };
    const single = await runInstances(mock.url, 'mixed', vars, 1);
    const runs = await runInstances(mock.url, 'mixed', vars, 2);
    ok(single);
    ok(runs);
    console.log(`mixed ×2: ${runs.map((r) => r.requests.length).join(' + ')} = ${union(runs).length} requests; ×1: ${union(single).length}`);
    assert.ok(union(single).length >= 15, `${union(single).length} requests`);
    assert.deepEqual(union(runs), union(single));
  });

  test('ramp by rate: 2 instances send every level\'s requests of one between them', async () => {
    // 4/s then 5/s for 2.1 s each: arrivals at 0 … 2.0 s of each level, 100 ms from the level's end.
    const vars = { LLM_RAMP_BY: 'rate', LLM_LEVELS: '4,5', LLM_LEVEL_DURATION: '2100ms', LLM_WARMUP: '500ms', LLM_PROMPT_TOKENS: '12', LLM_THRESHOLDS: 'none' };
    const single = await runInstances(mock.url, 'ramp', vars, 1);
    const runs = await runInstances(mock.url, 'ramp', vars, 2);
    ok(single);
    ok(runs);
    console.log(`ramp ×2: ${runs.map((r) => r.requests.length).join(' + ')} = ${union(runs).length} requests; ×1: ${union(single).length}`);
    assert.equal(union(single).length, 9 + 11);
    assert.equal(new Set(union(single)).size, 20, 'no prompt repeats across levels');
    assert.deepEqual(union(runs), union(single));
    assert.match(runs[0]!.res.stderr, /ramp: this instance runs its share of every level/);
  });

  test('coldstart under a partial segment stops before any request, in one line', async () => {
    const vars = { LLM_IDLE: '0s', LLM_PROBES: '1', LLM_WARM_REQUESTS: '1', LLM_THRESHOLDS: 'none' };
    const runs = await runInstances(mock.url, 'coldstart', vars, 2);
    for (const r of runs) {
      assert.equal(r.res.code, 108, r.res.stderr);
      assert.equal(r.requests.length, 0);
      assert.match(
        r.res.stderr,
        /test aborted: k6-llm: invalid workload coldstart under an execution segment; expected one instance \(coldstart runs one probe VU\), got segment (0:1\/2|1\/2:1) of 0,1\/2,1"/,
      );
    }
  });

  test('a segment inside the test without a sequence stops before any request (k6 would stripe the instances apart)', async () => {
    const capture = await startCapture(mock.url);
    try {
      const res = await runWorkload('realtime', { LLM_BASE_URL: capture.url, LLM_RATE: '5', LLM_DURATION: '2s' }, {}, undefined, ['--execution-segment', '1/3:2/3']);
      assert.equal(res.code, 108, res.stderr);
      assert.equal(capture.requests.length, 0);
      assert.match(res.stderr, /test aborted: k6-llm: invalid --execution-segment-sequence; expected the sequence every instance shares \(e\.g\. 0,1\/3,2\/3,1\)/);
    } finally {
      await capture.close();
    }
  });
});
