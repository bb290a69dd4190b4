// Runs every test file under test/ with Node's test runner and tsx (Node 20
// does not expand globs in `node --test` arguments). Optional arguments
// narrow the run to paths containing one of them, e.g. `unit` or `k6/`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, sep } from 'node:path';

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
// Unit files assert nothing about wall-clock time (what they time runs on fake
// clocks), so they run side by side, one per core. Integration files (test/k6/,
// test/engine/) start k6 runs, engines and captures that each use the 2 cores
// and time what they see: one file at a time, after the unit files.
const unit = `test${sep}unit${sep}`;
const groups = [
  { name: 'unit', files: files.filter((f) => f.startsWith(unit)), concurrency: Math.max(2, availableParallelism()) },
  { name: 'integration', files: files.filter((f) => !f.startsWith(unit)), concurrency: 1 },
].filter((g) => g.files.length > 0);

// Every temporary file of the run (k6 result folders, captures, engine logs) goes
// under one folder: removed when the run passes, kept and named when it does not,
// so a failure can be looked into and green runs leave nothing behind.
const runTmp = mkdtempSync(join(tmpdir(), 'k6-llm-tests-'));
let status = 0;
const summaries = [];
for (const [i, group] of groups.entries()) {
  // TAP as before; every failure again at the end of the whole run
  // (test/failure-summary.mjs), the groups' lists kept until then.
  const summary = join(runTmp, `.failures-${i}.txt`);
  summaries.push(summary);
  const reporters = [
    '--test-reporter=tap', '--test-reporter-destination=stdout',
    '--test-reporter=./test/failure-summary.mjs', `--test-reporter-destination=${summary}`,
  ];
  const started = performance.now();
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${group.concurrency}`, ...reporters, ...group.files], {
    stdio: 'inherit',
    env: { ...process.env, TMPDIR: runTmp },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`# ${group.name}: ${group.files.length} file${group.files.length === 1 ? '' : 's'}, ${group.concurrency} at a time, ${seconds} s${res.status === 0 ? '' : `, exit ${res.status ?? res.signal}`}`);
  if (res.status !== 0) status = res.status ?? 1;
}
for (const summary of summaries) if (existsSync(summary)) process.stdout.write(readFileSync(summary, 'utf8'));
if (status === 0) rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
else console.log(`# the run's temporary files are kept in ${runTmp}`);
process.exit(status);
