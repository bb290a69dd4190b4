// The k6-operator runner entrypoint (ci/k8s/k6-llm-runner.sh), run locally
// the way k6-operator runs its runners: `k6 run --quiet --execution-segment=…
// --execution-segment-sequence=… <script> --address=… --paused --tag
// instance_id=N --tag testrun_name=NAME`, resumed through k6's REST API as
// the operator's starter does, then merged with `k6-llm merge` as
// docs/instances-and-kubernetes.md says. No Docker: the script, not the image.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LlmReport } from '../../src/summary/schema.ts';
import { ensureMeter } from '../../tools/provision/meter.ts';
import { k6, ROOT, runProcess, startMock, type ProcessResult } from './harness.ts';
import type { MockServer } from '../../tools/mock-server/server.ts';

const RUNNER = join(ROOT, 'ci', 'k8s', 'k6-llm-runner.sh');
// The shell that runs it: sh (dash on Debian); K6_LLM_RUNNER_SHELL="busybox sh" runs it as the Alpine image's ash would.
const [SH, ...SH_ARGS] = (process.env.K6_LLM_RUNNER_SHELL ?? 'sh').split(' ') as [string, ...string[]];
const SCRIPT = join(ROOT, 'dist', 'chat.js');
const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');
const TESTRUN = 'k6-llm-chat-test';
// The meter's secret as it would appear in a leaked URL (userinfo) or header value.
const SECRET = /k6llm:[0-9a-f]{32}|[0-9a-f]{32}@127\.0\.0\.1/;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** k6-operator's segment flags for runner `index` (1-based) of `total` (pkg/segmentation). */
function segmentArgs(index: number, total: number): string[] {
  const part = (i: number) => (i === 0 ? '0' : i === total ? '1' : `${i}/${total}`);
  const sequence = ['0', ...Array.from({ length: total - 1 }, (_, i) => `${i + 1}/${total}`), '1'].join(',');
  return [`--execution-segment=${part(index - 1)}:${part(index)}`, `--execution-segment-sequence=${sequence}`];
}

/** Resumes a paused k6 through its REST API, as k6-operator's starter does; retries until k6 listens (30 s). */
async function resume(address: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://${address}/v1/status`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { paused: false } } }),
      });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`k6 at ${address} could not be resumed: ${last}`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('k6-operator runner entrypoint', () => {
  let mock: { server: MockServer; url: string };
  let results: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    mock = await startMock(['--ttft-ms', '50', '--itl-ms', '10', '--output-tokens', '16']);
    results = mkdtempSync(join(tmpdir(), 'k6-llm-k8s-'));
    env = {
      K6_LLM_REAL_K6: k6(),
      K6_LLM_METER: ensureMeter({ log: () => {} }),
      K6_LLM_RESULTS: results,
      // What the TestRun's runner.env sets.
      LLM_BASE_URL: mock.url,
      LLM_DURATION: '5s',
      LLM_VUS: '4',
      // The SLOs are not what this tests (a loaded shared machine can breach the TTFT spread bound).
      LLM_THRESHOLDS: 'none',
    };
  });

  after(async () => {
    await mock.server.close();
  });

  test('two instances, each an execution segment with its own meter: one folder each with its summary and meter records, merged into one; the secret nowhere', async () => {
    const before = mock.server.stats().requests;
    const addresses = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
    const runs: Promise<ProcessResult>[] = addresses.map((address, i) =>
      runProcess(SH, [...SH_ARGS, RUNNER, 'run', '--quiet', ...segmentArgs(i + 1, 2), SCRIPT, `--address=${address}`, '--paused', '--tag', `instance_id=${i + 1}`, '--tag', `testrun_name=${TESTRUN}`], env),
    );
    await Promise.all(addresses.map(resume));
    const done = await Promise.all(runs);
    const instances = done.map((run, i) => {
      assert.equal(run.code, 0, run.stderr);
      const dir = join(results, TESTRUN, `instance-${i + 1}`);
      for (const f of ['llm-summary.json', 'llm-summary.md', 'llm-junit.xml', 'requests.jsonl', 'meter.log']) assert.ok(existsSync(join(dir, f)), `${dir}/${f}: ${run.stderr}`);
      const records = readFileSync(join(dir, 'requests.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
      const summary = JSON.parse(readFileSync(join(dir, 'llm-summary.json'), 'utf8')) as LlmReport;
      const requests = summary.workloads.chat?.requests ?? 0;
      assert.match(run.stderr, new RegExp(`k6-llm-runner: instance instance-${i + 1}: k6 exited 0, stream meter exited 0, ${records.length} request records in ${dir}/requests.jsonl`));
      // Every request the instance sent went through its own meter and left a record.
      assert.equal(records.length, requests, `instance ${i + 1}: ${records.length} records, ${requests} requests`);
      assert.ok(requests > 0);
      return { dir, requests, run, ttftCount: summary.workloads.chat?.ttftMs?.count ?? 0 };
    });
    console.log(`instances: ${instances.map((x) => `${x.requests} requests`).join(', ')}; mock received ${mock.server.stats().requests - before}`);
    // Together the instances sent exactly what reached the endpoint: no request bypassed a meter.
    assert.equal(instances.reduce((n, x) => n + x.requests, 0), mock.server.stats().requests - before);
    // The meter's secret is in neither the logs nor the results.
    for (const { run } of instances) assert.doesNotMatch(run.stdout + run.stderr, SECRET);
    for (const file of filesUnder(results)) assert.doesNotMatch(readFileSync(file, 'utf8'), SECRET, file);
    // The documented merge step: one summary of both instances' records.
    const out = join(mkdtempSync(join(tmpdir(), 'k6-llm-k8s-merged-')), 'merged');
    const merge = await runProcess(process.execPath, [CLI, 'merge', ...instances.map((x) => x.dir), '--out', out, '--thresholds', 'none'], {});
    assert.equal(merge.code, 0, merge.stderr);
    const merged = JSON.parse(readFileSync(join(out, 'llm-summary.json'), 'utf8')) as LlmReport;
    const chat = merged.workloads.chat;
    assert.ok(chat, merge.stderr);
    assert.equal(chat.requests, instances.reduce((n, x) => n + x.requests, 0));
    assert.equal(chat.ttftMs?.count, instances.reduce((n, x) => n + x.ttftCount, 0));
  });

  test('a results folder that holds a run already is refused before k6 starts', async () => {
    const run = await runProcess(SH, [...SH_ARGS, RUNNER, 'run', '--quiet', SCRIPT, '--tag', 'instance_id=1', '--tag', `testrun_name=${TESTRUN}`], env);
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim(), `k6-llm-runner: invalid results folder ${join(results, TESTRUN, 'instance-1')}; expected a new one, got one that holds a run already (remove it, or use another testrun name or K6_LLM_RESULTS)`);
  });

  test('SIGTERM (a deleted pod) reaches k6, which stops and writes its reports; the meter drains and keeps its records', async () => {
    let child: { kill(signal: NodeJS.Signals): boolean } | null = null;
    const running = runProcess(SH, [...SH_ARGS, RUNNER, 'run', '--quiet', SCRIPT, '--tag', 'instance_id=1', '--tag', 'testrun_name=sigterm'], { ...env, LLM_DURATION: '30s' }, 60_000, (c) => (child = c));
    await new Promise((r) => setTimeout(r, 4000));
    assert.ok(child);
    (child as { kill(signal: NodeJS.Signals): boolean }).kill('SIGTERM');
    const run = await running;
    const dir = join(results, 'sigterm', 'instance-1');
    // k6's code for a run stopped from outside.
    assert.equal(run.code, 105, run.stderr);
    assert.ok(existsSync(join(dir, 'llm-summary.json')), run.stderr);
    const records = readFileSync(join(dir, 'requests.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').length;
    assert.ok(records > 0, run.stderr);
    assert.match(run.stderr, new RegExp(`k6 exited 105, stream meter exited 0, ${records} request records`));
  });

  test('the operator\'s initializer (k6 archive, then k6 inspect of the archive) gets a meter of its own for the script\'s init, and no results folder', async () => {
    const initEnv = { ...env, K6_LLM_RESULTS: join(results, 'none') };
    const archive = join(mkdtempSync(join(tmpdir(), 'k6-llm-k8s-archive-')), 'chat.js.archived.tar');
    // k6-operator's initializer: `k6 archive <script> -O <tar> <TestRun arguments>`; archive and inspect read
    // -e variables only, so settings that shape the load belong in the TestRun's arguments (-e LLM_VUS=4).
    const archived = await runProcess(SH, [...SH_ARGS, RUNNER, 'archive', SCRIPT, '-O', archive, '-e', 'LLM_VUS=4'], initEnv);
    assert.equal(archived.code, 0, archived.stderr);
    // The archive records its -e variables: the URL of the meter that served the archive step, stopped since.
    const recorded = /"LLM_METER_URL":\s*"http:\/\/k6llm:[0-9a-f]{32}@(127\.0\.0\.1:\d+)"/.exec(readFileSync(archive, 'latin1'));
    assert.ok(recorded, 'the archive records LLM_METER_URL');
    await assert.rejects(fetch(`http://${recorded[1]}/`), /fetch failed/);
    const inspect = await runProcess(SH, [...SH_ARGS, RUNNER, 'inspect', '--execution-requirements', archive], initEnv);
    assert.equal(inspect.code, 0, inspect.stderr);
    const requirements = JSON.parse(inspect.stdout) as { maxVUs?: number; totalDuration?: string };
    // The chat scenario's 4 VUs (from -e: the environment's LLM_VUS is not seen here) plus the generator probe's one.
    assert.equal(requirements.maxVUs, 5, inspect.stdout);
    assert.ok(requirements.totalDuration, inspect.stdout);
    assert.equal(existsSync(join(results, 'none')), false);
    // Any other command goes to k6 as it is: the runner's `version` is the real k6's, whichever k6 that is (v1 or v2).
    const version = await runProcess(SH, [...SH_ARGS, RUNNER, 'version'], initEnv);
    const direct = await runProcess(k6(), ['version'], initEnv);
    assert.match(version.stdout, /^k6 v\d+\.\d+\.\d+/);
    assert.equal(version.stdout, direct.stdout);
    assert.equal(version.stderr, '');
  });
});
