// Real k6 runs of the realtime, batch and mixed workloads and of every
// arrival pattern against the mock (TTFT 100 ms, ITL 10 ms). Short and
// bounded; count bounds are loose (5σ and more) so a busy machine cannot
// make them flake. The 60 s Poisson acceptance run is in `npm run bench`.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sharedIterationsStripe } from '../../src/arrivals/segments.ts';
import { ROOT, runWorkload, startMock } from './harness.ts';
import type { MockServer } from '../../tools/mock-server/server.ts';

describe('workloads and arrival patterns against the mock', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    mock = await startMock(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '32']);
  });
  after(async () => mock.server.close());

  test('realtime: Poisson arrivals sent on schedule, E2E and dropped arrivals reported', async () => {
    const res = await runWorkload('realtime', { LLM_BASE_URL: mock.url, LLM_RATE: '10', LLM_DURATION: '8s' });
    assert.equal(res.code, 0, res.stderr);
    const w = res.summary?.workloads.realtime;
    assert.ok(w?.arrivals, 'arrivals reported');
    const a = w.arrivals;
    assert.equal(a.pattern, 'poisson');
    // 6 s load at 10/s: 60 expected; 5σ ≈ 39.
    assert.ok(a.scheduled >= 25 && a.scheduled <= 100, `scheduled ${a.scheduled}`);
    assert.equal(a.sent, a.scheduled);
    assert.equal(a.droppedLate + a.droppedUnstarted, 0);
    assert.ok(a.lagMs && a.lagMs.p50 < 20, `lag p50 ${a.lagMs?.p50}`);
    assert.equal(w.requests, a.sent);
    // 16 tokens: E2E = 100 + 15 × 10 ms.
    assert.ok(w.e2eMs && w.e2eMs.p50 >= 249 && w.e2eMs.p50 < 320, `E2E p50 ${w.e2eMs?.p50}`);
    assert.equal(w.successRate, 1);
    assert.match(res.stdout, /arrivals poisson at 10\/s/);
    assert.match(res.stdout, /schedule lag \(ms\)/);
  });

  test('a run short of VUs reports schedule lag and dropped arrivals instead of slowing down', async () => {
    // 1 VU, 250 ms per request: at most 4/s of the 20/s asked for.
    const res = await runWorkload('realtime', { LLM_BASE_URL: mock.url, LLM_RATE: '20', LLM_VUS: '1', LLM_DURATION: '5s', LLM_THRESHOLDS: 'none' });
    assert.equal(res.code, 0, res.stderr);
    const a = res.summary?.workloads.realtime?.arrivals;
    assert.ok(a);
    const dropped = a.droppedLate + a.droppedUnstarted;
    assert.equal(a.sent + dropped, a.scheduled, 'every arrival is either sent or counted as dropped');
    assert.ok(a.sent <= 20, `sent ${a.sent}`);
    assert.ok(dropped >= a.scheduled / 2, `dropped ${dropped} of ${a.scheduled}`);
    assert.ok(a.lagMs && a.lagMs.max > 100, `lag max ${a.lagMs?.max}`);
    assert.ok(res.summary?.warnings.some((w) => /arrival schedule was not kept/.test(w)));
    assert.match(res.stdout, /WARNING: realtime: the arrival schedule was not kept/);
  });

  for (const [arrival, extra] of [
    ['constant', {}],
    ['gamma', { LLM_BURSTINESS: '0.5' }],
    ['linear', { LLM_RAMP_FROM: '2' }],
  ] as const) {
    test(`realtime with ${arrival} arrivals`, async () => {
      const res = await runWorkload('realtime', { LLM_BASE_URL: mock.url, LLM_RATE: '8', LLM_ARRIVAL: arrival, LLM_DURATION: '5s', ...extra });
      assert.equal(res.code, 0, res.stderr);
      const a = res.summary?.workloads.realtime?.arrivals;
      assert.ok(a && a.pattern === arrival);
      // Load 3.75 s (5 s less a 1.25 s graceful stop): constant 30 exactly; gamma ~30; linear 2 → 8/s ~19.
      if (arrival === 'constant') assert.equal(a.scheduled, 30);
      else assert.ok(a.scheduled >= 5 && a.scheduled <= 60, `scheduled ${a.scheduled}`);
      assert.equal(a.sent, a.scheduled);
    });
  }

  test('LLM_ARRIVAL=ramp, the linear pattern\'s old name, still runs it, with one deprecation line', async () => {
    const res = await runWorkload('realtime', { LLM_BASE_URL: mock.url, LLM_RATE: '8', LLM_ARRIVAL: 'ramp', LLM_RAMP_FROM: '2', LLM_DURATION: '5s' });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.summary?.workloads.realtime?.arrivals?.pattern, 'linear');
    assert.equal((res.stderr + res.stdout).split('LLM_ARRIVAL=ramp is deprecated: the pattern is now called linear').length - 1, 1, res.stderr);
  });

  test('trace replay: recorded times and lengths, records past the window left out', async () => {
    const res = await runWorkload('realtime', { LLM_BASE_URL: mock.url, LLM_TRACE: join(ROOT, 'test/fixtures/trace.jsonl'), LLM_DURATION: '4s' });
    assert.equal(res.code, 0, res.stderr);
    const w = res.summary?.workloads.realtime;
    assert.ok(w?.arrivals);
    assert.equal(w.arrivals.pattern, 'trace');
    assert.equal(w.arrivals.scheduled, 5);
    assert.equal(w.arrivals.sent, 5);
    // Output lengths come from the trace: 5 + 3 + 7 + 4 + 6.
    assert.equal(w.outputTokens, 25);
  });

  test('batch: the whole job at a fixed concurrency, job time and tokens/s over the job; ends with the job', async () => {
    const res = await runWorkload('batch', {
      LLM_BASE_URL: mock.url,
      LLM_BATCH_SIZE: '24',
      LLM_VUS: '6',
      LLM_MAX_TOKENS: '40',
      LLM_IGNORE_EOS: 'true',
      LLM_DURATION: '30s',
    });
    assert.equal(res.code, 0, res.stderr);
    const w = res.summary?.workloads.batch;
    assert.ok(w?.batch);
    assert.equal(w.batch.finished, 24);
    assert.equal(w.batch.complete, true);
    // ignore_eos: exactly max_tokens each, past the mock's natural 32.
    assert.equal(w.outputTokens, 24 * 40);
    // 4 rounds of 100 + 39 × 10 ms = 490 ms: about 2 s.
    assert.ok(w.batch.jobMs !== null && w.batch.jobMs >= 1900 && w.batch.jobMs < 6000, `job ${w.batch.jobMs} ms`);
    assert.ok((res.summary?.testRunDurationMs ?? Infinity) < 15_000, `the run ends with the job: ${res.summary?.testRunDurationMs} ms`);
    assert.match(res.stdout, /batch job: 24\/24 requests/);
  });

  test('batch without streaming: E2E only, no TTFT reported', async () => {
    const res = await runWorkload('batch', { LLM_BASE_URL: mock.url, LLM_BATCH_SIZE: '8', LLM_VUS: '4', LLM_STREAM: 'false', LLM_DURATION: '20s' });
    assert.equal(res.code, 0, res.stderr);
    const w = res.summary?.workloads.batch;
    assert.ok(w?.batch?.complete);
    assert.equal(w.ttftMs, null);
    assert.ok(w.e2eMs && w.e2eMs.count === 8);
  });

  test('chat as an open model: conversations arrive on schedule, turns carry the history', async () => {
    const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_RATE: '2', LLM_TURNS: '3', LLM_THINK_TIME: '100ms', LLM_DURATION: '6s' });
    assert.equal(res.code, 0, res.stderr);
    const w = res.summary?.workloads.chat;
    assert.ok(w?.arrivals && w.arrivals.sent > 0);
    // Every conversation has 3 turns (the last ones may be cut by the end).
    assert.ok(w.requests >= 2 * w.arrivals.sent && w.requests <= 3 * w.arrivals.sent, `${w.requests} requests for ${w.arrivals.sent} conversations`);
    assert.ok(w.ttftMs && w.ttftMs.p50 >= 99 && w.ttftMs.p50 < 150);
  });

  test('a dataset feeds the prompts; a malformed line fails before any load, naming file and line', async () => {
    const ok = await runWorkload('realtime', { LLM_BASE_URL: mock.url, LLM_DATASET: join(ROOT, 'test/fixtures/prompts.jsonl'), LLM_DURATION: '3s' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.summary?.workloads.realtime?.successRate, 1);
    const before = mock.server.stats().requests;
    const bad = await runWorkload('realtime', { LLM_BASE_URL: mock.url, LLM_DATASET: join(ROOT, 'test/fixtures/prompts-malformed.jsonl') });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /invalid dataset .*prompts-malformed.jsonl at line 2; expected one JSON object per line/);
    assert.equal(mock.server.stats().requests, before);
  });

  test('invalid pattern knobs fail before any load, naming the variable', async () => {
    const before = mock.server.stats().requests;
    for (const [name, value, pattern] of [
      ['LLM_ARRIVAL', 'bursty', /invalid LLM_ARRIVAL; expected one of constant, poisson, gamma, linear, trace/],
      ['LLM_RATE', '-1', /invalid LLM_RATE; expected a number > 0/],
      ['LLM_BURSTINESS', '0', /invalid LLM_BURSTINESS; expected a number > 0/],
    ] as const) {
      const res = await runWorkload('realtime', { LLM_BASE_URL: mock.url, [name]: value });
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, pattern);
    }
    assert.equal(mock.server.stats().requests, before);
  });

  test('mixed: the three workloads run at once, reported and judged apart', async () => {
    const res = await runWorkload('mixed', { LLM_BASE_URL: mock.url, LLM_MIX: 'chat=1,realtime=5,batch=2', LLM_BATCH_SIZE: '6', LLM_DURATION: '8s', LLM_TURNS: '2', LLM_THINK_TIME: '100ms' });
    // A 6-item job cannot reach batch's 100 tokens/s over the whole run: only
    // batch's SLO fails (exit 99) while chat's and realtime's hold.
    assert.equal(res.code, 99, res.stderr);
    const failed = res.summary!.thresholds.filter((t) => !t.ok).map((t) => t.metric);
    assert.deepEqual(failed, ['llm_output_tokens{workload:batch}']);
    const s = res.summary;
    assert.deepEqual(Object.keys(s?.workloads ?? {}).sort(), ['batch', 'chat', 'realtime']);
    const { chat, realtime, batch } = s!.workloads as Record<string, NonNullable<typeof s>['workloads'][string]>;
    assert.ok(chat!.requests > 0 && realtime!.requests > 0 && batch!.requests > 0);
    assert.ok(realtime!.arrivals && realtime!.arrivals.ratePerSec === 5);
    assert.ok(chat!.arrivals && chat!.arrivals.ratePerSec === 1);
    assert.equal(batch!.batch?.finished, 6);
    // realtime answers 16 tokens, chat 128 max (the mock's 32): E2E apart per workload.
    assert.ok(realtime!.e2eMs!.p50 < 300 && chat!.e2eMs!.p50 > 350, `realtime ${realtime!.e2eMs!.p50}, chat ${chat!.e2eMs!.p50}`);
    for (const w of ['chat', 'realtime', 'batch']) {
      assert.ok(s!.thresholds.some((t) => t.metric.endsWith(`{workload:${w}}`)), `thresholds of ${w}`);
    }
    assert.match(res.stdout, /workload chat[\s\S]*workload realtime[\s\S]*workload batch/);
  });

  test('two k6 instances on execution segments send the single-instance schedule between them', async () => {
    const vars = { LLM_BASE_URL: mock.url, LLM_RATE: '12', LLM_DURATION: '6s', LLM_THRESHOLDS: 'none' };
    const sequence = '0,1/3,1';
    const [a, b] = await Promise.all([
      runWorkload('realtime', vars, {}, undefined, ['--execution-segment', '0:1/3', '--execution-segment-sequence', sequence]),
      runWorkload('realtime', vars, {}, undefined, ['--execution-segment', '1/3:1', '--execution-segment-sequence', sequence]),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const single = await runWorkload('realtime', vars);
    const total = single.summary!.workloads.realtime!.arrivals!.scheduled;
    const ra = a.summary!.workloads.realtime!.arrivals!;
    const rb = b.summary!.workloads.realtime!.arrivals!;
    // Same seeded schedule everywhere; each instance sends its stripe of it.
    assert.equal(ra.scheduled, total);
    assert.equal(rb.scheduled, total);
    // k6 splits shared-iterations by each instance's VUs (16 VUs: 5 + 11).
    const vus = Math.min(16, total);
    assert.equal(ra.sent, sharedIterationsStripe(total, vus, sequence, '0:1/3').length);
    assert.equal(rb.sent, sharedIterationsStripe(total, vus, sequence, '1/3:1').length);
    assert.equal(ra.sent + rb.sent, total);
    assert.equal(single.summary!.workloads.realtime!.arrivals!.sent, total);
  });
});
