// Never exit 0 without the reports: which files a run must leave, and the one
// line when k6 exited well but they are missing or left by an earlier run.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { expectedReports, missingReports, NO_REPORTS_EXIT_CODE, promisesReports } from '../../../tools/cli/report-check.ts';

test('the reports of a run: the JSON summary (LLM_SUMMARY_JSON when set), then Markdown and JUnit, or the ramp\'s', () => {
  assert.deepEqual(expectedReports('/r/chat-1', 'chat', null), ['/r/chat-1/llm-summary.json', '/r/chat-1/llm-summary.md', '/r/chat-1/llm-junit.xml']);
  assert.deepEqual(expectedReports('/r/x', 'ramp', null), ['/r/x/llm-summary.json', '/r/x/ramp.json']);
  assert.deepEqual(expectedReports('/r/x', 'batch', 'out/s.json'), [resolve('out/s.json'), '/r/x/llm-summary.md', '/r/x/llm-junit.xml']);
});

test('all written since k6 started: no line', () => {
  const since = 1_000_000;
  assert.equal(missingReports(['/a', '/b'], since, 0, () => since + 5), null);
  // A coarse file-system clock may stamp a file up to 2 s before the start it followed.
  assert.equal(missingReports(['/a'], since, 99, () => since - 1500), null);
});

test('a missing report, or one left by an earlier run, is one line naming it, with k6\'s exit code and the CLI\'s', () => {
  const since = 1_000_000;
  const times: Record<string, number | null> = { '/d/llm-summary.json': null, '/d/llm-summary.md': since - 60_000, '/d/llm-junit.xml': since + 10 };
  const line = missingReports(Object.keys(times), since, 0, (p) => times[p] ?? null);
  assert.equal(
    line,
    "k6 exited 0 but the run's reports were not written (no /d/llm-summary.json; only an earlier run's /d/llm-summary.md): its handleSummary failed or a file could not be written (k6's error is above); exit 96",
  );
  assert.ok(!line!.includes('\n'));
  assert.equal(NO_REPORTS_EXIT_CODE, 96);
});

test('only k6\'s "ran to the end" codes promise reports: 0 and 99; its other codes stand as they are', () => {
  assert.equal(promisesReports(0), true);
  assert.equal(promisesReports(99), true);
  for (const c of [105, 107, 108, 130, 1]) assert.equal(promisesReports(c), false, String(c));
});
