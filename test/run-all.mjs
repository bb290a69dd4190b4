// Runs every test file under test/ with Node's test runner and tsx (Node 20
// does not expand globs in `node --test` arguments). Optional arguments
// narrow the run to paths containing one of them, e.g. `unit` or `k6/`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

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
// `slowest`: how many of the group's files to name with their time at the end.
const groups = [
  { name: 'unit', files: files.filter((f) => f.startsWith(unit)), concurrency: Math.max(2, availableParallelism()), slowest: 5 },
  { name: 'integration', files: files.filter((f) => !f.startsWith(unit)), concurrency: 1, slowest: Infinity },
].filter((g) => g.files.length > 0);

/** The group's files by the time their tests took (test/file-durations.mjs), slowest first, as `#` lines. */
function timeLines(group, durations) {
  if (!existsSync(durations)) return '';
  const rows = readFileSync(durations, 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t'));
  rows.sort((a, b) => Number(b[0]) - Number(a[0]));
  const shown = rows.slice(0, group.slowest).map(([ms, file]) => `#   ${(Number(ms) / 1000).toFixed(1).padStart(6)} s  ${relative(process.cwd(), file)}\n`);
  return shown.length === 0 ? '' : `# ${group.name} files by the time of their tests${rows.length > shown.length ? ` (the ${shown.length} slowest)` : ''}:\n${shown.join('')}`;
}

// Every temporary file of the run (k6 result folders, captures, engine logs) goes
// under one folder: removed when the run passes, kept and named when it does not,
// so a failure can be looked into and green runs leave nothing behind.
const runTmp = mkdtempSync(join(tmpdir(), 'k6-llm-tests-'));
let status = 0;
const summaries = [];
let times = '';
for (const [i, group] of groups.entries()) {
  // TAP as before; at the end of the whole run, where the time went and every
  // failure again (test/failure-summary.mjs), the groups' lists kept until then.
  const summary = join(runTmp, `.failures-${i}.txt`);
  const durations = join(runTmp, `.durations-${i}.tsv`);
  summaries.push(summary);
  const reporters = [
    '--test-reporter=tap', '--test-reporter-destination=stdout',
    '--test-reporter=./test/failure-summary.mjs', `--test-reporter-destination=${summary}`,
    '--test-reporter=./test/file-durations.mjs', `--test-reporter-destination=${durations}`,
  ];
  const started = performance.now();
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${group.concurrency}`, ...reporters, ...group.files], {
    stdio: 'inherit',
    env: { ...process.env, TMPDIR: runTmp },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  times += `# ${group.name}: ${group.files.length} file${group.files.length === 1 ? '' : 's'}, ${group.concurrency} at a time, ${seconds} s${res.status === 0 ? '' : `, exit ${res.status ?? res.signal}`}\n`;
  times += timeLines(group, durations);
  if (res.status !== 0) status = res.status ?? 1;
}
process.stdout.write(times);
for (const summary of summaries) if (existsSync(summary)) process.stdout.write(readFileSync(summary, 'utf8'));
if (status === 0) rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
else console.log(`# the run's temporary files are kept in ${runTmp}`);
process.exit(status);
