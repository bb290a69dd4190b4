import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunArgs, UsageError } from '../../../tools/cli/args.ts';
import { parseBaselineFlags } from '../../../tools/cli/baseline-command.ts';

test('flags map one-to-one onto LLM_* variables', () => {
  const run = parseRunArgs(['chat', '--url', 'http://h:1/v1', '--model=m', '--vus', '4', '-e', 'LLM_MAX_TOKENS=9', '--thresholds', 'relaxed', '--out-dir', 'o']);
  assert.equal(run.workload, 'chat');
  assert.deepEqual(run.variables, { LLM_BASE_URL: 'http://h:1/v1', LLM_MODEL: 'm', LLM_VUS: '4', LLM_MAX_TOKENS: '9', LLM_THRESHOLDS: 'relaxed' });
  assert.equal(run.outDir, 'o');
});

test('usage errors are one line and say what to do', () => {
  const cases: [string[], RegExp][] = [
    [[], /expected a workload name/],
    [['chat', 'batch'], /expected one workload name, got a second one/],
    [['chat', '--vus'], /invalid --vus; expected a value after it/],
    [['chat', '--modle', 'x'], /^invalid flag --modle; did you mean --model\? \(k6-llm --help lists every flag\)$/],
    [['chat', '--zzzzzzzz', 'x'], /^invalid flag --zzzzzzzz; expected one of --url, /],
    [['chat', '-e', 'NOEQUALS'], /invalid -e NOEQUALS; expected KEY=VALUE/],
  ];
  for (const [argv, pattern] of cases) {
    assert.throws(() => parseRunArgs(argv), (err: unknown) => err instanceof UsageError && pattern.test(err.message) && !err.message.includes('\n'), argv.join(' '));
  }
});

test('the API key is refused on the command line, without echoing it', () => {
  assert.throws(
    () => parseRunArgs(['chat', '-e', 'LLM_API_KEY=sk-secret-1']),
    (err: unknown) => err instanceof UsageError && /expected the key in the environment/.test(err.message) && !err.message.includes('sk-secret-1'),
  );
});

test('baseline flags: tolerances, min samples, the rest passed on', () => {
  const { flags, rest } = parseBaselineFlags(['chat', '--baseline', 'b.json', '--tolerance', '5%', '--tolerance', 'ttft_p95=2%', '--min-samples', '50', '--vus', '2']);
  assert.deepEqual(rest, ['chat', '--vus', '2']);
  assert.equal(flags.baseline, 'b.json');
  assert.equal(flags.options.tolerance, 0.05);
  assert.deepEqual(flags.options.tolerances, { ttft_p95: 0.02 });
  assert.equal(flags.options.minSamples, 50);
  assert.throws(() => parseBaselineFlags(['--tolerance', 'ttft_p42=1%']), /invalid --tolerance figure "ttft_p42"/);
  assert.throws(() => parseBaselineFlags(['--tolerance', 'lots']), /invalid --tolerance; expected e\.g\. 10% or ttft_p95=5%/);
});
