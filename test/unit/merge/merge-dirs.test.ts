// k6-llm merge over instance folders written here (synthetic meter records
// and summaries): merged percentiles equal the union's, computed
// independently from the TTFTs written; the SLO is judged on the merged
// figures (a bound one instance alone passes and the union fails, and the
// reverse); exit codes 0 / 99; malformed input fails with one line naming
// the file and line.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MergeInputError, mergeRunDirs } from '../../../tools/merge/merge-dirs.ts';
import { parseMergeArgs, runMerge } from '../../../tools/cli/merge-command.ts';
import { seeded, streamTimes, syntheticRecordLine, syntheticSummary } from '../../../tools/merge/synthetic.ts';
import type { LlmReport } from '../../../src/summary/schema.ts';

function reference(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const i = p * (s.length - 1);
  const lo = s[Math.floor(i)] as number;
  return lo + ((s[Math.ceil(i)] as number) - lo) * (i - Math.floor(i));
}

interface Written {
  dir: string;
  ttfts: number[];
  itls: number[];
}

/** An instance folder with `n` streams of TTFT around `ttftMs`, and its summary naming `source` as its SLO. */
function instance(root: string, name: string, seed: number, n: number, ttftMs: number, source: string | null): Written {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const random = seeded(seed);
  const ttfts: number[] = [];
  const itls: number[] = [];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const times = streamTimes(random, ttftMs, 20, 8);
    ttfts.push(times[0] as number);
    for (let k = 1; k < times.length; k++) itls.push((times[k] as number) - (times[k - 1] as number));
    lines.push(syntheticRecordLine({ workload: 'chat', tokenTimes: times }, i % 4));
  }
  writeFileSync(join(dir, 'requests.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'llm-summary.json'), JSON.stringify(syntheticSummary('chat', source)));
  return { dir, ttfts, itls };
}

function slo(root: string, name: string, thresholds: Record<string, string[]>): string {
  const path = join(root, name);
  writeFileSync(path, JSON.stringify({ thresholds }));
  return path;
}

const quiet = () => {};

describe('merge of instance folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'k6-llm-merge-'));
  const fast = instance(root, 'fast', 1, 60, 100, 'thresholds/chat.json (default)');
  const slow = instance(root, 'slow', 2, 40, 400, 'thresholds/chat.json (default)');

  it('reports the exact TTFT and ITL percentiles of the union of the instances', () => {
    const { report, stats } = mergeRunDirs([fast.dir, slow.dir]);
    const ttfts = [...fast.ttfts, ...slow.ttfts];
    const itls = [...fast.itls, ...slow.itls];
    const w = report.workloads.chat;
    assert.ok(w?.ttftMs && w.itlMs);
    assert.equal(w.requests, 100);
    assert.equal(w.ttftMs.count, 100);
    for (const [key, p] of [['p50', 0.5], ['p90', 0.9], ['p95', 0.95], ['p99', 0.99]] as const) {
      assert.equal(w.ttftMs[key], reference(ttfts, p), `TTFT ${key}`);
      assert.equal(w.itlMs[key], reference(itls, p), `ITL ${key}`);
    }
    assert.equal(w.itlMs.count, itls.length);
    assert.equal(w.outputTokens, 800);
    assert.equal(stats.records, 100);
    assert.deepEqual(report.merge?.instances, [fast.dir, slow.dir]);
  });

  it('judges the SLO on the merged figures: pass where one instance alone fails, fail where one alone passes', () => {
    const all = [...fast.ttfts, ...slow.ttfts];
    // Union p50 is a fast request's TTFT, p90 a slow one's: the slow instance alone fails the first bound, the fast one passes the second.
    assert.ok(reference(all, 0.5) < 250 && reference(slow.ttfts, 0.5) > 250);
    assert.ok(reference(all, 0.9) > 250 && reference(fast.ttfts, 0.9) < 250);
    const pass = slo(root, 'pass.json', { llm_ttft: ['p(50)<250'] });
    const fail = slo(root, 'fail.json', { llm_ttft: ['p(90)<250'] });
    const ok = mergeRunDirs([fast.dir, slow.dir], { thresholds: pass });
    assert.equal(ok.failed, false);
    assert.deepEqual(ok.report.thresholds.map((t) => [t.metric, t.expression, t.verdict, t.measured]), [['llm_ttft{workload:chat}', 'p(50)<250', 'ok', reference(all, 0.5)]]);
    const bad = mergeRunDirs([fast.dir, slow.dir], { thresholds: fail });
    assert.equal(bad.failed, true);
    assert.deepEqual(bad.report.thresholds.map((t) => [t.verdict, t.measured]), [['fail', reference(all, 0.9)]]);
  });

  it('judges with the SLO file the instances ran with (their summaries name it), bundled default included', () => {
    const { report } = mergeRunDirs([fast.dir, slow.dir]);
    const p99 = report.thresholds.find((t) => t.expression === 'p(99)<500');
    assert.equal(p99?.metric, 'llm_ttft{workload:chat}');
    assert.equal(p99?.measured, reference([...fast.ttfts, ...slow.ttfts], 0.99));
    assert.equal(report.workloads.chat?.thresholdsSource, 'thresholds/chat.json (default)');
  });

  it('exits 0 when every bound holds and 99 when one fails, and writes the JSON, Markdown and JUnit reports', () => {
    const out = join(root, 'out-pass');
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let codes: number[];
    try {
      codes = [
        runMerge({ dirs: [fast.dir, slow.dir], out, thresholds: slo(root, 'p.json', { llm_ttft: ['p(50)<250'] }) }, quiet),
        runMerge({ dirs: [fast.dir, slow.dir], out: join(root, 'out-fail'), thresholds: slo(root, 'f.json', { llm_ttft: ['p(90)<250'] }) }, quiet),
        runMerge({ dirs: [fast.dir, slow.dir], out: join(root, 'out-none'), thresholds: 'none' }, quiet),
      ];
    } finally {
      process.stdout.write = write;
    }
    assert.deepEqual(codes, [0, 99, 0]);
    const merged = JSON.parse(readFileSync(join(out, 'llm-summary.json'), 'utf8')) as LlmReport;
    assert.equal(merged.workloads.chat?.requests, 100);
    assert.match(readFileSync(join(join(root, 'out-fail'), 'llm-junit.xml'), 'utf8'), /<failure/);
    assert.match(readFileSync(join(out, 'llm-summary.md'), 'utf8'), /Merged from 2 instances/);
  });

  it('a bound on a Trend without samples passes as in k6 and says "no data"; a counter without samples is a measured 0', () => {
    const dir = join(root, 'failures-only');
    mkdirSync(dir);
    writeFileSync(join(dir, 'requests.jsonl'), `${syntheticRecordLine({ workload: 'chat', tokenTimes: [], status: 500, body: 'boom' })}\n`);
    writeFileSync(join(dir, 'llm-summary.json'), JSON.stringify(syntheticSummary('chat', null)));
    const { report, failed } = mergeRunDirs([dir], { thresholds: slo(root, 'nd.json', { llm_ttft: ['p(95)<300'], llm_errors: ['count<2'], llm_retries: ['count<1'] }) });
    assert.equal(failed, false);
    assert.deepEqual(
      report.thresholds.map((t) => [t.metric, t.verdict, t.measured]),
      [['llm_errors{workload:chat}', 'ok', 1], ['llm_retries{workload:chat}', 'ok', 0], ['llm_ttft{workload:chat}', 'no data', null]],
    );
  });

  it('counts failed requests and their causes across instances', () => {
    const dir = join(root, 'errors');
    mkdirSync(dir);
    const lines = [
      syntheticRecordLine({ workload: 'chat', tokenTimes: [], status: 503, body: '{"error":{"message":"overloaded"}}' }),
      syntheticRecordLine({ workload: 'chat', tokenTimes: [], status: 503, body: '{"error":{"message":"overloaded"}}' }),
      syntheticRecordLine({ workload: 'chat', tokenTimes: [], status: 0, errorKind: 'canceled' }),
    ];
    writeFileSync(join(dir, 'requests.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'llm-summary.json'), JSON.stringify(syntheticSummary('chat', null)));
    const { report, failed } = mergeRunDirs([fast.dir, dir], { thresholds: slo(root, 's.json', { llm_request_success: ['rate>0.99'] }) });
    const w = report.workloads.chat;
    // The canceled record is a request k6 abandoned at the end of the test: a
    // single run counts it at teardown as a request cut by the end, judged by nothing.
    assert.equal(w?.requests, 63);
    assert.equal(w?.interrupted, 1);
    assert.equal(report.merge?.cutAtEnd, 1);
    assert.deepEqual(w?.errors, { http_5xx: 2 });
    assert.equal(w?.successRate, 60 / 62);
    assert.match(w?.errorCause ?? '', /^503 Service Unavailable: "overloaded" \(2 of 63 requests\)$/);
    assert.equal(failed, true);
  });

  it('carries the prompt cache and the images: hit ratio, cached tokens, TTFT of hits and misses, image sizes, and bounds on them', () => {
    const dirs = [0, 1].map((n) => {
      const dir = join(root, `vision-${n}`);
      mkdirSync(dir);
      // Per instance: a miss at 100 ms, hits of 4 and 8 cached tokens at 40 and 50 ms, one with no cache figure; 2 images.
      const lines = [
        syntheticRecordLine({ workload: 'chat', tokenTimes: [100 + n, 110], cachedTokens: 0, images: [1000, 256, -1, -1] }),
        syntheticRecordLine({ workload: 'chat', tokenTimes: [40 + n, 45], cachedTokens: 4 }),
        syntheticRecordLine({ workload: 'chat', tokenTimes: [50 + n, 55], cachedTokens: 8 }),
        syntheticRecordLine({ workload: 'chat', tokenTimes: [70, 75] }),
      ];
      writeFileSync(join(dir, 'requests.jsonl'), `${lines.join('\n')}\n`);
      writeFileSync(join(dir, 'llm-summary.json'), JSON.stringify(syntheticSummary('chat', null)));
      return dir;
    });
    const { report, failed } = mergeRunDirs(dirs, { thresholds: slo(root, 'cache.json', { 'llm_ttft{cache:hit}': ['p(50)<45'], llm_prompt_cache_hit: ['rate>0.6'] }) });
    const c = report.workloads.chat?.promptCache;
    assert.deepEqual([c?.reported, c?.hits, c?.hitRatio, c?.cachedTokens, c?.cachedTokenShare], [6, 4, 4 / 6, 24, 24 / 80]);
    assert.deepEqual([c?.ttftHitMs?.count, c?.ttftHitMs?.p50, c?.ttftMissMs?.count, c?.ttftMissMs?.p50], [4, 45.5, 2, 100.5]);
    const images = report.workloads.chat?.images;
    assert.deepEqual([images?.count, images?.bytes?.count, images?.bytes?.max, images?.pixels?.max], [4, 2, 1000, 256]);
    // Judged exactly on the merged samples: hits' TTFT p50 45.5 breaks its bound; the hit ratio 0.67 holds.
    assert.deepEqual(report.thresholds.map((t) => [t.metric, t.verdict, t.measured]), [
      ['llm_prompt_cache_hit{workload:chat}', 'ok', 4 / 6],
      ['llm_ttft{workload:chat,cache:hit}', 'fail', 45.5],
    ]);
    assert.equal(failed, true);
  });
});

describe('merge input errors: one line naming the file and line', () => {
  const root = mkdtempSync(join(tmpdir(), 'k6-llm-merge-bad-'));
  const good = instance(root, 'good', 3, 5, 100, null);
  const broken = (name: string, text: string, summary = true): string => {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'requests.jsonl'), text);
    if (summary) writeFileSync(join(dir, 'llm-summary.json'), JSON.stringify(syntheticSummary('chat', null)));
    return dir;
  };
  const line = syntheticRecordLine({ workload: 'chat', tokenTimes: [100, 120] });

  const rampDir = (name: string, ramp: object | null, record: string): string => {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'requests.jsonl'), `${record}\n`);
    writeFileSync(join(dir, 'llm-summary.json'), JSON.stringify(syntheticSummary('ramp', null)));
    if (ramp) writeFileSync(join(dir, 'ramp.json'), JSON.stringify(ramp));
    return dir;
  };
  const ramp = (levels: number[]) => ({
    tool: 'k6-llm', report: 'ramp', rampBy: 'concurrency', shape: 'chat', thresholdsSource: null,
    settings: { levels, levelDurationSeconds: 3, warmupSeconds: 1, stopErrorRate: null, stopTtftFactor: null, saturationGainPct: 5 },
    stop: { rule: 'off', firedAtLevel: null, breaches: [], skippedLevels: [] }, levels: [], testRunDurationMs: 7000, warnings: [],
  });
  const rampLine = (ctx: object) => JSON.stringify({ ...JSON.parse(syntheticRecordLine({ workload: 'ramp', tokenTimes: [100, 120] })), ctx: { w: 'ramp', t: 0, s: 0, st: 1, ...ctx } });
  const cases: [string, () => unknown, RegExp][] = [
    ['a line that is not JSON', () => mergeRunDirs([good.dir, broken('notjson', `${line}\n${line}\n{"status":200,"times":[1,\n`)]), /^invalid .*notjson\/requests\.jsonl line 3; expected one JSON meter record per line \(docs\/meter-protocol\.md\), got "\{\\"status\\":200,\\"times\\":\[1," \(not JSON\)$/],
    ['JSON that is not a record', () => mergeRunDirs([broken('notrecord', `${line}\n\n{"status":200}\n`)]), /^invalid .*notrecord\/requests\.jsonl line 3; expected one JSON meter record per line \(docs\/meter-protocol\.md\), got "\{\\"status\\":200\}" \("times" is not a list\)$/],
    ['a folder without records', () => { mkdirSync(join(root, 'empty-x')); return mergeRunDirs([good.dir, join(root, 'empty-x')]); }, /^invalid instance folder .*empty-x; expected the stream meter's requests\.jsonl in it/],
    ['no folder', () => mergeRunDirs([join(root, 'nope')]), /^invalid instance folder .*nope; expected a folder of a k6-llm run/],
    ['no summary anywhere', () => mergeRunDirs([broken('nosummary', `${line}\n`, false)]), /^invalid merge; expected at least one instance folder with llm-summary\.json, got none/],
    ['a summary that is not JSON', () => { const d = broken('badsummary', `${line}\n`, false); writeFileSync(join(d, 'llm-summary.json'), '{'); return mergeRunDirs([d]); }, /^invalid .*badsummary\/llm-summary\.json; expected k6-llm's JSON summary, got unreadable JSON/],
    ['a ramp request without its level', () => mergeRunDirs([rampDir('ramp-nolevel', ramp([1, 2]), rampLine({}))]), /^invalid .*ramp-nolevel\/requests\.jsonl line 1; expected a ramp request's level \(ctx\.l, one of 1, 2\) and its start in it \(ctx\.le\), got .*older than the ramp merge\?\)$/],
    ['a ramp request of a level the ramp does not have', () => mergeRunDirs([rampDir('ramp-badlevel', ramp([1, 2]), rampLine({ l: '8', le: 100 }))]), /line 1; expected a ramp request's level \(ctx\.l, one of 1, 2\)/],
    ['ramp.json in only some instances', () => mergeRunDirs([rampDir('ramp-a', ramp([1, 2]), rampLine({ l: '1', le: 1 })), rampDir('ramp-b', null, rampLine({ l: '1', le: 1 }))]), /^invalid merge of a ramp; expected ramp\.json in every instance folder, got none in .*ramp-b/],
    ['instances of different ramps', () => mergeRunDirs([rampDir('ramp-c', ramp([1, 2]), rampLine({ l: '1', le: 1 })), rampDir('ramp-d', ramp([1, 4]), rampLine({ l: '1', le: 1 }))]), /^invalid merge of a ramp; expected every instance to run the same ramp, got .*\[1,4\].* in .*ramp-d/],
  ];
  for (const [what, run, message] of cases) {
    it(what, () => {
      assert.throws(run, (err: unknown) => {
        assert.ok(err instanceof MergeInputError, String(err));
        assert.match(err.message, message);
        assert.equal(err.message.includes('\n'), false);
        return true;
      });
    });
  }

  it('a merged report is refused as an instance', () => {
    const out = join(root, 'merged');
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      runMerge({ dirs: [good.dir], out, thresholds: null }, quiet);
    } finally {
      process.stdout.write = write;
    }
    writeFileSync(join(out, 'requests.jsonl'), readFileSync(join(good.dir, 'requests.jsonl')));
    assert.throws(() => mergeRunDirs([out]), /^MergeInputError: invalid instance folder .*merged; expected one instance's results, got a merged report/);
  });

  it('arguments: instance folders and --out are required', () => {
    assert.throws(() => parseMergeArgs(['a']), /expected --out DIR/);
    assert.throws(() => parseMergeArgs(['--out', 'x']), /expected instance folders/);
    assert.throws(() => parseMergeArgs(['a', '--outt', 'x']), /invalid flag --outt for merge/);
    assert.deepEqual(parseMergeArgs(['a', 'b', '--out', 'o', '--thresholds', 'none']), { dirs: ['a', 'b'], out: 'o', thresholds: 'none' });
  });
});
