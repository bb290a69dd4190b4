import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../tools/cli/args.ts';
import { parseCommandLine } from '../../../tools/cli/command-line.ts';

const env = {};

test('run takes the baseline gate flags', () => {
  const line = parseCommandLine(['run', 'chat', '--url', 'http://h/v1', '--baseline', 'b.json', '--tolerance', '5%', '--confidence', '90%'], env);
  assert.equal(line.command, 'run');
  if (line.command !== 'run') return;
  assert.equal(line.run.baseline.baseline, 'b.json');
  assert.equal(line.run.baseline.options.tolerance, 0.05);
  assert.equal(line.run.run.workload, 'chat');
});

test("run refuses baseline save's --out and --from in one line instead of taking them without a word", () => {
  assert.throws(() => parseCommandLine(['run', 'chat', '--url', 'http://h/v1', '--out', 'x.json'], env), (e: unknown) => e instanceof UsageError && /^invalid flag --out for run; expected --out-dir DIR/.test(e.message));
  assert.throws(() => parseCommandLine(['run', 'chat', '--url', 'http://h/v1', '--from', 'results/x'], env), (e: unknown) => e instanceof UsageError && /^invalid flag --from for run; expected --baseline FILE/.test(e.message));
});

test('baseline save still takes --out and --from', () => {
  const line = parseCommandLine(['baseline', 'save', '--from', 'results/a', '--from', 'results/b', '--out', 'base.json'], env);
  assert.equal(line.command, 'baseline');
  if (line.command !== 'baseline') return;
  assert.deepEqual(line.baseline.flags.from, ['results/a', 'results/b']);
  assert.equal(line.baseline.flags.out, 'base.json');
});
