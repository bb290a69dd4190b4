// Runs every test file under test/ with Node's test runner and tsx (Node 20
// does not expand globs in `node --test` arguments). Optional arguments
// narrow the run to paths containing one of them, e.g. `unit` or `k6/`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...find(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = find('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(', ')}`);
  process.exit(1);
}
// Integration files start k6 runs that each use the 2 cores: one file at a time.
// TAP as before, then every failure again at the end (test/failure-summary.mjs).
const reporters = [
  '--test-reporter=tap', '--test-reporter-destination=stdout',
  '--test-reporter=./test/failure-summary.mjs', '--test-reporter-destination=stdout',
];
// Every temporary file of the run (k6 result folders, captures, engine logs) goes
// under one folder: removed when the run passes, kept and named when it does not,
// so a failure can be looked into and green runs leave nothing behind.
const runTmp = mkdtempSync(join(tmpdir(), 'k6-llm-tests-'));
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...reporters, ...files], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: runTmp },
});
if (res.status === 0) rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
else console.log(`# the run's temporary files are kept in ${runTmp}`);
process.exit(res.status ?? 1);
