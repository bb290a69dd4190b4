// k6-llm installed as a user installs it: the release is packed once (npm
// run pack's makeRelease, into a temporary folder), then in an empty folder
// `npm init -y` and `npm install` of the main tarball and this platform's
// meter tarball, with Go off PATH and an empty k6-llm cache (k6 itself is
// the provisioned one, through K6_BINARY, so it is not downloaded again).
// Then, against the mock: `npx k6-llm demo chat`, `npx k6-llm run
// ./my-test.ts` (a script importing 'k6-llm', which also type-checks with
// only the package installed), and `npx k6-llm meter` + plain `k6 run` of a
// `k6-llm build` script, figures asserted; `--version` names the packaged
// meter; a packaged meter that is not the recorded binary is refused in one
// line before any load.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { before, describe, test } from 'node:test';
import type { LlmReport } from '../../src/summary/schema.ts';
import { makeRelease } from '../../tools/pack/main.ts';
import { findOnPath } from '../../tools/provision/k6.ts';
import { meterBinaryPath, meterPackageName, meterPlatform } from '../../tools/provision/meter-platforms.ts';
import { k6, ROOT, runProcess, startMock } from './harness.ts';
import { tempDirs } from '../temp-dirs.ts';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const PLATFORM = meterPlatform();
const TTFT_MS = 120;
const TOKENS = 16;

/** A script of one's own, importing the installed package by name. */
const SCRIPT = `import { Client, closedUsers, llmOptions, type LlmResult } from 'k6-llm';

const client = new Client({ workload: 'mine' });

export const options = llmOptions({
  scenarios: { mine: closedUsers({ vus: 3, duration: '4s', gracefulStop: '5s' }) },
  thresholds: { 'llm_ttft{workload:mine}': ['p(95)<1000'] },
});

export default function (): void {
  const result: LlmResult = client.chat({ messages: [{ role: 'user', content: 'Hello ' + __VU + ' ' + __ITER }], maxTokens: 64 });
  void result.outputTokens;
}
`;

/** PATH without any folder holding `go`; node, npm and npx through links in `bin` when they shared a folder with it. */
function pathWithoutGo(bin: string): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !existsSync(join(d, 'go')));
  const kept = dirs.join(delimiter);
  mkdirSync(bin, { recursive: true });
  for (const tool of ['node', 'npm', 'npx']) {
    if (findOnPath(tool, { PATH: kept })) continue;
    const found = findOnPath(tool);
    if (found) symlinkSync(found, join(bin, tool));
  }
  return [bin, ...dirs].join(delimiter);
}

const tempDir = tempDirs();

function figures(report: LlmReport, workload: string, ttftMs: number, tokens: number, tolMs: number): void {
  const w = report.workloads[workload];
  assert.ok(w, `the summary has workload ${workload}: ${Object.keys(report.workloads).join(', ')}`);
  assert.ok(w.requests >= 6, `requests ${w.requests}`);
  assert.equal(w.successRate, 1);
  assert.ok(w.ttftMs && Math.abs(w.ttftMs.p50 - ttftMs) <= tolMs, `TTFT p50 ${w.ttftMs?.p50} against the mock's ${ttftMs}`);
  assert.equal(w.outputTokens, (w.requests - w.interrupted) * tokens, 'tokens exact (usage reported; requests cut by the end carry none)');
}

describe('installed as a user installs it', { skip: PLATFORM ? false : `no meter package for ${process.platform}/${process.arch}` }, () => {
  let release = '';
  let project = '';
  let env: NodeJS.ProcessEnv = {};
  let cache = '';
  let installStarted = 0;

  /** npx k6-llm ... in the project, as the user (Go off PATH, empty cache). */
  const npx = (args: string[], extra: NodeJS.ProcessEnv = {}, timeoutMs = 120_000) => runProcess('npx', ['--no-install', 'k6-llm', ...args], { ...env, ...extra }, timeoutMs, undefined, project);

  before(() => {
    const started = Date.now();
    release = tempDir('release');
    makeRelease(ROOT, release, () => {});
    const packed = Date.now();

    project = tempDir('user');
    cache = tempDir('cache');
    const { K6_LLM_METER_BINARY: _m, LLM_BASE_URL: _u, LLM_METER_URL: _mu, ...inherited } = process.env;
    env = { ...inherited, PATH: pathWithoutGo(tempDir('bin')), K6_LLM_CACHE: cache, K6_BINARY: k6(), npm_config_update_notifier: 'false' };
    const go = spawnSync('go', ['version'], { env });
    assert.ok(go.error, 'go is not on the PATH the user has');

    const npm = (args: string[]) => {
      const res = spawnSync('npm', args, { cwd: project, env, encoding: 'utf8', timeout: 300_000 });
      assert.equal(res.status, 0, `npm ${args.join(' ')}: ${res.stdout}\n${res.stderr}`);
    };
    npm(['init', '-y']);
    installStarted = Date.now();
    // Offline as far as k6-llm goes: both tarballs from the release folder (its other platform
    // packages are optional, unpublished and skipped); esbuild and @types/k6 from npm's cache or registry.
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(release, `k6-llm-${VERSION}.tgz`), join(release, `k6-llm-meter-${PLATFORM!.os}-${PLATFORM!.cpu}-${VERSION}.tgz`)]);
    process.stderr.write(`# install test: pack ${((packed - started) / 1000).toFixed(1)} s, npm install ${((Date.now() - installStarted) / 1000).toFixed(1)} s\n`);
  });

  test('the release folder has every tarball and the single-file library, the same bytes as installed', () => {
    const files = readdirSync(release).sort();
    for (const p of ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64']) assert.ok(files.includes(`k6-llm-meter-${p}-${VERSION}.tgz`), p);
    assert.ok(files.includes(`k6-llm-${VERSION}.tgz`) && files.includes('k6-llm.js') && files.includes('k6-llm.d.ts') && files.includes('SHA256SUMS'), files.join(' '));
    const installed = join(project, 'node_modules', 'k6-llm');
    assert.deepEqual(readFileSync(join(installed, 'lib', 'k6-llm.js')), readFileSync(join(release, 'k6-llm.js')));
    assert.ok(!existsSync(join(installed, 'src')) && !existsSync(join(installed, 'test')), 'no sources or tests installed');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> };
    assert.equal(manifest.optionalDependencies[meterPackageName(PLATFORM!)], VERSION, 'pinned exactly');
  });

  test('npx k6-llm demo chat: the packaged meter, no Go, reports with the mock\'s figures', async (t) => {
    const out = join(project, 'out-demo');
    const res = await npx(['demo', 'chat', '--duration', '5s', '--quiet', '--out-dir', out]);
    assert.equal(res.code, 0, res.stderr);
    const firstReport = Date.now();
    const report = JSON.parse(readFileSync(join(out, 'llm-summary.json'), 'utf8')) as LlmReport;
    // The demo's mock: TTFT 200 ms, 64 tokens per answer.
    figures(report, 'chat', 200, 64, 10);
    // The Linux binaries keep kernel receive stamps (CGO_ENABLED=0 changes nothing there).
    assert.equal(report.generator.kernelStamps, process.platform === 'linux');
    // Nothing was built: the cache holds no meter build (k6 came through K6_BINARY).
    assert.deepEqual(readdirSync(cache).filter((f) => f.startsWith('meter-')), []);
    t.diagnostic(`npm install to the first report: ${((firstReport - installStarted) / 1000).toFixed(1)} s`);
    process.stderr.write(`# install test: npm install to the first report ${((firstReport - installStarted) / 1000).toFixed(1)} s\n`);
  });

  test('npx k6-llm run ./my-test.ts: a script importing k6-llm, type-checked with only the package installed', async () => {
    writeFileSync(join(project, 'my-test.ts'), SCRIPT);
    writeFileSync(join(project, 'misuse.ts'), SCRIPT.replace('maxTokens: 64', "maxTokens: '64'"));
    const tsconfig = (file: string) => ({ compilerOptions: { strict: true, noEmit: true, target: 'ES2020', module: 'ESNext', moduleResolution: 'Bundler', types: ['k6'], lib: ['ES2020'] }, files: [file] });
    const tsc = (file: string) => {
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig(file)));
      return spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(project, 'tsconfig.json')], { cwd: project, encoding: 'utf8' });
    };
    const good = tsc('my-test.ts');
    assert.equal(good.status, 0, good.stdout);
    const bad = tsc('misuse.ts');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout, /misuse\.ts.*not assignable to type 'number'/);
    rmSync(join(project, 'misuse.ts'));

    const mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', '5', '--output-tokens', String(TOKENS)]);
    try {
      const res = await npx(['run', './my-test.ts', '--url', mock.url, '--model', 'm', '--quiet', '--out-dir', 'out-run']);
      assert.equal(res.code, 0, res.stderr);
      const report = JSON.parse(readFileSync(join(project, 'out-run', 'llm-summary.json'), 'utf8')) as LlmReport;
      figures(report, 'mine', TTFT_MS, TOKENS, 2);
      assert.equal(mock.server.stats().requests, report.workloads.mine?.requests, 'each request counted once');
    } finally {
      await mock.server.close();
    }
  });

  test('npx k6-llm build, then npx k6-llm meter and plain k6 run', async () => {
    const built = await npx(['build', './my-test.ts', '--out', 'my-test.js']);
    assert.equal(built.code, 0, built.stderr);
    const mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', '5', '--output-tokens', String(TOKENS)]);
    const meter = spawn('npx', ['--no-install', 'k6-llm', 'meter'], { cwd: project, env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: meter.stdout });
        lines.once('line', (line) => (line.startsWith('LLM_METER_URL=') ? resolve(line.slice('LLM_METER_URL='.length)) : reject(new Error(line))));
        meter.once('exit', (code) => reject(new Error(`npx k6-llm meter exited with ${code}`)));
      });
      const res = await runProcess(k6(), ['run', '--quiet', '-e', `LLM_BASE_URL=${mock.url}`, '-e', 'LLM_MODEL=m', 'my-test.js'], { ...env, LLM_METER_URL: url }, 120_000, undefined, project);
      assert.equal(res.code, 0, res.stderr);
      figures(JSON.parse(readFileSync(join(project, 'llm-summary.json'), 'utf8')) as LlmReport, 'mine', TTFT_MS, TOKENS, 2);
    } finally {
      meter.kill('SIGTERM');
      await mock.server.close();
    }
  });

  test('npx k6-llm --version names the packaged meter, checked', async () => {
    const res = await npx(['--version']);
    assert.equal(res.code, 0, res.stderr);
    const [pkg, k6Line, meterLine] = res.stdout.trimEnd().split('\n');
    assert.match(pkg ?? '', new RegExp(`^k6-llm ${VERSION.replace(/\./g, '\\.')} \\(.*node_modules/k6-llm\\)$`));
    assert.match(k6Line ?? '', /^k6: k6 v\d+\.\d+\.\d+ .*\(K6_BINARY\)$/);
    const name = meterPackageName(PLATFORM!);
    assert.match(meterLine ?? '', new RegExp(`^meter: k6-llm-meter ${VERSION.replace(/\./g, '\\.')} \\(${process.platform}/.* at .*${name}/${meterBinaryPath(PLATFORM!)} \\(${name}, SHA-256 checked\\)$`));
  });

  test('a packaged meter that is not the recorded binary is refused in one line, before any load', async () => {
    const binary = join(project, 'node_modules', meterPackageName(PLATFORM!), meterBinaryPath(PLATFORM!));
    const size = statSync(binary).size;
    const mock = await startMock(['--ttft-ms', '20']);
    appendFileSync(binary, Buffer.from([0]));
    try {
      const res = await npx(['run', 'chat', '--url', mock.url, '--model', 'm', '--duration', '3s', '--quiet', '--out-dir', 'out-refused']);
      assert.equal(res.code, 2, res.stderr);
      const lines = res.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, res.stderr);
      assert.match(lines[0] ?? '', new RegExp(`^k6-llm: invalid ${meterPackageName(PLATFORM!)}@${VERSION.replace(/\./g, '\\.')} \\(.*\\); expected the binary k6-llm ${VERSION.replace(/\./g, '\\.')} recorded \\(SHA-256 [0-9a-f]{16}…\\), got SHA-256 [0-9a-f]{16}…, so it is not started; reinstall k6-llm`));
      assert.equal(mock.server.stats().requests, 0, 'no load');
    } finally {
      truncateSync(binary, size);
      await mock.server.close();
    }
  });
});
