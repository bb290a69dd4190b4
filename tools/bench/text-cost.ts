// `npm run bench -- --text [runs]`: what asking for the answer's text costs
// k6. A user script (written to a temporary folder and built with
// `k6-llm build`, as a user would) sends chat requests through the stream
// meter to the mock, with and without `{ text: true }`, in alternating runs
// (`runs` of each, default 4). Printed per run and as medians: k6's CPU
// (user + system of the k6 process and its children, from the shell's
// `times`, so the whole run including start-up), the requests and output
// tokens of its summary, CPU per token and per request, and the ratio.
// Without the text the meter answers with the request's figures only; with
// it every event crosses to k6 and goes through the protocol adapter in the
// interpreter. Figures only; nothing passes or fails.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantileSorted } from '../../src/measure/quantile.ts';
import type { LlmReport } from '../../src/summary/schema.ts';
import { ensureK6, k6Version, K6_ENV } from '../provision/k6.ts';
import { ensureMeter, startMeter } from '../provision/meter.ts';
import { startMock } from './mock-process.ts';

const VUS = 100;
const DURATION = '20s';
const TOKENS = 64;
const TTFT_MS = 200;
const ITL_MS = 20;
const PROMPT_TOKENS = 100;
const K6_LIMIT_MS = 120_000;

/** The user script: unique prompts (the VU and iteration first), the text asked for when TEXT=1, checked so it cannot be skipped. */
const SCRIPT = `import { Client, closedUsers, llmOptions, syntheticPrompt } from 'k6-llm';
import exec from 'k6/execution';

const client = new Client();
const TEXT = __ENV.TEXT === '1';

export const options = llmOptions({ scenarios: { chat: closedUsers({ vus: ${VUS}, duration: '${DURATION}', gracefulStop: '5s' }) } });

export default function () {
  const vu = exec.vu;
  const r = client.chat({ messages: [{ role: 'user', content: vu.idInTest + ' ' + vu.iterationInScenario + ' ' + syntheticPrompt(${PROMPT_TOKENS}, vu.iterationInScenario) }], maxTokens: ${TOKENS} }, { text: TEXT });
  if (TEXT && r.success && !r.text) throw new Error('asked for the text and got none');
}
`;

interface TextCostRun {
  text: boolean;
  cpuS: number;
  requests: number;
  tokens: number;
}


/** Children's user and system seconds from bash's `times` (its second line: "0m2.450s 0m0.210s"). */
export function childCpuSeconds(timesOutput: string): number | null {
  const line = timesOutput.trim().split('\n').at(-1) ?? '';
  const m = /^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s$/.exec(line.trim());
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
}

async function runOnce(root: string, k6: string, meterBinary: string, script: string, text: boolean): Promise<TextCostRun> {
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-text-cost-'));
  const mock = await startMock(root, { ttftMs: TTFT_MS, itlMs: ITL_MS, outputTokens: TOKENS });
  const meter = await startMeter({ binary: meterBinary, maxStreams: 4096 }).catch(async (err: unknown) => {
    await mock.stop();
    throw err;
  });
  try {
    const args = ['run', '--quiet', '-e', `LLM_METER_URL=${meter.url}`, '-e', `LLM_BASE_URL=${mock.url}`, '-e', 'LLM_MODEL=mock', '-e', `LLM_OUT_DIR=${dir}`, '-e', `TEXT=${text ? 1 : 0}`, script];
    // bash's `times` after k6 has exited: the CPU of k6 and whatever it started.
    const child = spawn('bash', ['-c', '"$@" >/dev/null 2>&1; rc=$?; times; exit $rc', 'bash', k6, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...K6_ENV } });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (out += c));
    const limit = setTimeout(() => child.kill('SIGKILL'), K6_LIMIT_MS);
    const code = await new Promise<number | null>((r) => child.once('close', r));
    clearTimeout(limit);
    const cpuS = childCpuSeconds(out);
    if (cpuS === null) throw new Error(`no CPU figure from the k6 run (exit ${code}); bash printed: ${out.trim() || '(nothing)'}`);
    let report: LlmReport;
    try {
      report = JSON.parse(readFileSync(join(dir, 'llm-summary.json'), 'utf8')) as LlmReport;
    } catch (err) {
      throw new Error(`k6 exited ${code} without a readable llm-summary.json: ${(err as Error).message}`);
    }
    const w = report.workloads['chat'];
    if (!w || !w.outputTokens) throw new Error(`the run's summary has no chat tokens (k6 exit ${code})`);
    return { text, cpuS, requests: w.requests, tokens: w.outputTokens };
  } finally {
    await meter.stop().catch(() => 1);
    await mock.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function textCostBench(root: string, argv: string[]): Promise<void> {
  const runs = argv[0] === undefined ? 4 : Number(argv[0]);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error(`invalid runs; expected a whole number from 1 to 20, got ${argv[0]}`);
  const k6 = ensureK6();
  const meterBinary = ensureMeter();
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-text-cost-script-'));
  try {
    const source = join(dir, 'text-cost.ts');
    const script = join(dir, 'text-cost.js');
    writeFileSync(source, SCRIPT);
    const built = spawnSync(process.execPath, [join(root, 'dist', 'tools', 'cli.mjs'), 'build', source, '--out', script], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`k6-llm build failed: ${(built.stderr || built.stdout).trim()}`);
    console.log(`k6-llm bench · the cost of { text: true } · k6 v${k6Version(k6) ?? '?'} beside the meter`);
    console.log(`load: a user script (closedUsers ${VUS} VUs, ${DURATION}, unique prompts of about ${PROMPT_TOKENS} tokens, maxTokens ${TOKENS}) against the mock (TTFT ${TTFT_MS} ms, ITL ${ITL_MS} ms, ${TOKENS} tokens); ${runs} runs of each, alternating`);
    console.log("CPU: k6's user + system seconds over the whole run (bash times), divided by the summary's output tokens and requests");
    const all: TextCostRun[] = [];
    for (let i = 0; i < runs; i++) {
      for (const text of [false, true]) {
        const r = await runOnce(root, k6, meterBinary, script, text);
        all.push(r);
        console.log(`  ${text ? 'text   ' : 'no text'}  ${r.requests} requests  ${r.tokens} tokens  k6 ${r.cpuS.toFixed(2)} CPU-s  ${((r.cpuS * 1e6) / r.tokens).toFixed(1)} µs/token  ${((r.cpuS * 1e6) / r.requests).toFixed(0)} µs/request`);
      }
    }
    const medianOf = (text: boolean, per: (r: TextCostRun) => number) => quantileSorted(all.filter((r) => r.text === text).map((r) => (r.cpuS * 1e6) / per(r)).sort((a, b) => a - b), 0.5);
    const perToken = (text: boolean) => medianOf(text, (r) => r.tokens);
    const perRequest = (text: boolean) => medianOf(text, (r) => r.requests);
    console.log(`median: without the text ${perToken(false).toFixed(1)} µs/token (${perRequest(false).toFixed(0)} µs/request); with it ${perToken(true).toFixed(1)} µs/token (${perRequest(true).toFixed(0)} µs/request); ${(perToken(true) / perToken(false)).toFixed(2)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
