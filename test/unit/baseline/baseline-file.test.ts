// The baseline file: saved from run folders (their summaries and the meter's
// records, pooled), read back as written (to the microsecond), compared with
// a later run; an old, foreign or malformed file is refused in one line that
// says what to do.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BaselineError, parseBaseline, renderBaseline } from '../../../tools/baseline/baseline-file.ts';
import { readRunSamples } from '../../../tools/baseline/run-samples.ts';
import { gateRuns, readBaselineFile, saveBaseline } from '../../../tools/cli/baseline-command.ts';
import { seeded, streamTimes, syntheticRecordLine, syntheticSummary } from '../../../tools/merge/synthetic.ts';
import type { LlmReport } from '../../../src/summary/schema.ts';

const root = mkdtempSync(join(tmpdir(), 'k6-llm-baseline-'));

/** A run folder: `n` chat streams over 20 s with TTFT around `ttftMs`. */
function run(name: string, seed: number, n: number, ttftMs: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const random = seeded(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(syntheticRecordLine({ workload: 'chat', tokenTimes: streamTimes(random, ttftMs, 20, 8), startedMs: (i * 20_000) / n }));
  // A request k6 abandoned at the end: left out, as the summary leaves it out.
  lines.push(syntheticRecordLine({ workload: 'chat', tokenTimes: [], errorKind: 'canceled', startedMs: 19_999 }));
  writeFileSync(join(dir, 'requests.jsonl'), `${lines.join('\n')}\n`);
  const summary = syntheticSummary('chat', null, 20_000) as LlmReport;
  (summary.workloads.chat as { requests: number }).requests = n;
  writeFileSync(join(dir, 'llm-summary.json'), JSON.stringify(summary));
  return dir;
}

const options = { tolerance: 0.1, tolerances: {}, minSamples: 30, confidence: 0.95 };

test('saved from two runs: pooled per workload, every request in its window, read back as written', () => {
  const a = run('a', 1, 300, 100);
  const b = run('b', 2, 300, 100);
  const out = join(root, 'baseline.json');
  const saved = saveBaseline([a, join(b, 'llm-summary.json')], out, '2026-01-01T00:00:00.000Z');
  const chat = saved.workloads.chat;
  assert.ok(chat);
  assert.equal(chat.requests, 600);
  assert.equal(chat.blocks.length, 40);
  assert.deepEqual(new Set(chat.blocks.map((x) => x.run)), new Set([0, 1]));
  assert.equal(chat.blocks.reduce((n, x) => n + x.ttftMs.length, 0), 600);
  assert.equal(chat.blocks.reduce((n, x) => n + x.itlMs.length, 0), 600 * 7);
  assert.deepEqual(saved.runs.map((r) => r.source), [a, b]);
  const read = readBaselineFile(out);
  assert.deepEqual(read, parseBaseline(renderBaseline(saved), out));
  assert.equal(read.workloads.chat?.blocks[3]?.ttftMs[0], Math.round((chat.blocks[3]?.ttftMs[0] as number) * 1000) / 1000);
  // One window a line: the file stays readable and small (600 requests × 9 numbers).
  assert.ok(statSync(out).size < 80_000, `${statSync(out).size} bytes`);
  assert.equal(readFileSync(out, 'utf8').split('\n').filter((l) => l.includes('"run":')).length, 40);
});

test('a later run 30 % slower fails the gate (97) and its summary keeps the verdict; one alike passes', () => {
  const out = join(root, 'baseline-gate.json');
  saveBaseline([run('g1', 3, 400, 100), run('g2', 4, 400, 100)], out);
  const lines: string[] = [];
  const slow = run('slow', 5, 400, 130);
  assert.equal(gateRuns(out, [slow], options, (l) => lines.push(l)), 97);
  const text = lines.join('\n');
  assert.match(text, /chat\s+ttft_p50\s+\d+\.\d+ ms\s+1[23]\d\.\d+ ms\s+\+\d\d\.\d\d ms \[\+\d\d\.\d\d, \+\d\d\.\d\d\]\s+\+\d\d\.\d % \[\+\d\d\.\d, \+\d\d\.\d\]\s+10 %\s+800\/400\s+REGRESSED/);
  assert.match(text, /regression: chat ttft_p50 \+\d\d\.\d %/);
  const summary = JSON.parse(readFileSync(join(slow, 'llm-summary.json'), 'utf8')) as LlmReport;
  assert.equal(summary.regression?.failed, true);
  assert.equal(summary.regression?.rows.find((r) => r.figure === 'ttft_p50')?.verdict, 'regressed');
  const same = run('same', 6, 400, 100);
  assert.equal(gateRuns(out, [same], options, () => {}), 0);
  assert.equal((JSON.parse(readFileSync(join(same, 'llm-summary.json'), 'utf8')) as LlmReport).regression?.failed, false);
});

test('several current runs are pooled', () => {
  const s = readRunSamples([run('p1', 7, 100, 100), run('p2', 8, 150, 100)]);
  assert.equal(s.workloads.chat?.requests, 250);
  assert.equal(s.runs.length, 2);
});

test('an old, foreign or malformed baseline is refused in one line', () => {
  const path = 'k6-llm-baseline.json';
  const refuse = (value: unknown, pattern: RegExp) =>
    assert.throws(
      () => parseBaseline(typeof value === 'string' ? value : JSON.stringify(value), path),
      (err: unknown) => err instanceof BaselineError && !err.message.includes('\n') && pattern.test(err.message),
    );
  refuse('{"version": 1, "savedAt": "x", "source": "s", "model": "m", "workloads": {}}', /^invalid baseline k6-llm-baseline\.json; expected version 2 \(per-request samples\), got version 1 .*save it again from the run folders: k6-llm baseline save --from <run folder>/);
  refuse('{"tool": "k6-llm", "kind": "baseline", "version": 3}', /expected version 2, got version 3 \(saved by a newer k6-llm\?\)/);
  refuse('{"tool": "k6-llm", "workloads": {}}', /expected a k6-llm baseline \(saved by `k6-llm baseline save`\), got another JSON file/);
  refuse('{not json', /got unreadable JSON/);
  const good = JSON.parse(readFileSync(join(root, 'baseline.json'), 'utf8'));
  const bad = structuredClone(good);
  bad.workloads.chat.blocks[2].ttftMs = [1, 'two'];
  refuse(bad, /at workloads\.chat\.blocks\[2\]\.ttftMs; expected a list of numbers \(ms\), got \[1,"two"\]/);
  const badRun = structuredClone(good);
  badRun.workloads.chat.blocks[0].run = 5;
  refuse(badRun, /at workloads\.chat\.blocks\[0\]\.run; expected a run index below 2, got 5/);
  assert.throws(() => readBaselineFile(join(root, 'nope.json')), /invalid --baseline; expected a file saved by `k6-llm baseline save`, got ".*nope\.json" \(no such file\)/);
});

test('a run folder without the meter\'s records is refused in one line', () => {
  const dir = join(root, 'no-records');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'llm-summary.json'), JSON.stringify(syntheticSummary('chat', null, 20_000)));
  assert.throws(() => readRunSamples([dir]), /^BaselineError: invalid run folder .*no-records; expected the stream meter's requests\.jsonl in it/);
});
