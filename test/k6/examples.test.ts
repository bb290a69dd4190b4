// The examples/ scripts, each run as a user runs it (`k6-llm run
// ./examples/<file>.ts --url <mock>`) against the mock, for a few seconds,
// with its figures asserted: TTFT p50 within 2 ms of the mock's, tokens
// exact, every request the mock saw counted once, the scripts' own checks
// and thresholds holding, and what each example is about (retrieval in the
// prompt, the tool's result sent back, the arrival rate ramping, two
// endpoints kept apart).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseRecordsLine } from '../../src/meter/record.ts';
import type { LlmReport, ThresholdResult, WorkloadReport } from '../../src/summary/schema.ts';
import { ROOT, runProcess, startMock } from './harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');
const TTFT_MS = 100;
const ITL_MS = 5;
const TOKENS = 16;
const MOCK_FLAGS = ['--ttft-ms', String(TTFT_MS), '--itl-ms', String(ITL_MS), '--output-tokens', String(TOKENS)];

interface ExampleRun {
  code: number;
  stderr: string;
  report: LlmReport;
  outDir: string;
}

/** Runs examples/<file> through the CLI from the repository's root, as its header says, its reports in a fresh folder. */
async function runExample(file: string, url: string, args: string[]): Promise<ExampleRun> {
  const outDir = mkdtempSync(join(tmpdir(), 'k6-llm-example-'));
  const res = await runProcess(process.execPath, [CLI, 'run', `./examples/${file}`, '--url', url, '--quiet', '--out-dir', outDir, ...args], {}, 60_000);
  assert.equal(res.code, 0, `${file} exited ${res.code}: ${res.stderr}`);
  const report = JSON.parse(readFileSync(join(outDir, 'llm-summary.json'), 'utf8')) as LlmReport;
  return { ...res, report, outDir };
}

function workloadOf(report: LlmReport, name: string): WorkloadReport {
  const w = report.workloads[name];
  assert.ok(w, `the summary has workload ${name}: ${Object.keys(report.workloads).join(', ')}`);
  return w;
}

/** Every request succeeded, TTFT p50 within 2 ms of the mock's, and the tokens are the mock's exactly (usage reported). */
function assertFigures(w: WorkloadReport, ttftMs: number, tokens: number, minRequests: number): void {
  assert.ok(w.requests >= minRequests, `requests ${w.requests}, expected at least ${minRequests}`);
  assert.equal(w.successRate, 1);
  assert.ok(w.ttftMs && Math.abs(w.ttftMs.p50 - ttftMs) <= 2, `TTFT p50 ${w.ttftMs?.p50} against the mock's ${ttftMs}`);
  assert.equal(w.outputTokens, (w.requests - w.interrupted) * tokens, 'output tokens exact');
  assert.equal(w.outputTokensEstimated, 0);
}

/** The script's own threshold on `metric`: held, judged on samples. */
function threshold(report: LlmReport, metric: string, expression: string): ThresholdResult {
  const t = report.thresholds.find((x) => x.metric === metric && x.expression === expression);
  assert.ok(t, `threshold ${metric}: ${expression} in ${JSON.stringify(report.thresholds.map((x) => `${x.metric}: ${x.expression}`))}`);
  assert.equal(t.ok, true, `${metric}: ${expression} measured ${t.measured}`);
  return t;
}

/** A retrieval service: GET /search?q=...&k=n answers n passages of PASSAGE_CHARS characters each. */
const PASSAGE_CHARS = 400;
async function startSearch(): Promise<{ server: Server; url: string; queries: string[] }> {
  const queries: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams.get('q');
    if (url.pathname !== '/search' || !q) {
      res.writeHead(400).end();
      return;
    }
    queries.push(q);
    const k = Number(url.searchParams.get('k') ?? 1);
    const passages = Array.from({ length: k }, (_, i) => ({ text: `Passage ${i + 1} about ${q} `.padEnd(PASSAGE_CHARS, '.') }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ passages }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/search`, queries };
}

describe('examples/', () => {
  test('minimal-chat.ts: two users, its own thresholds held', async () => {
    const mock = await startMock(MOCK_FLAGS);
    try {
      const { report } = await runExample('minimal-chat.ts', mock.url, ['--model', 'm', '--duration', '3s']);
      const w = workloadOf(report, 'chat');
      assertFigures(w, TTFT_MS, TOKENS, 10);
      assert.equal(mock.server.stats().requests, w.requests, 'each request counted once');
      assert.equal(threshold(report, 'llm_ttft{workload:chat}', 'p(95)<1000').samples, w.requests);
      threshold(report, 'llm_request_success{workload:chat}', 'rate>0.99');
      // Distinct prompts: the summary's repeated-prompt warning stays silent.
      assert.deepEqual(report.warnings.filter((x) => x.includes('same prompt')), []);
    } finally {
      await mock.server.close();
    }
  });

  test('retrieval-then-generation.ts: the passages reach the prompt, the answer is checked', async () => {
    const mock = await startMock(MOCK_FLAGS);
    const search = await startSearch();
    try {
      const { report } = await runExample('retrieval-then-generation.ts', mock.url, ['--model', 'm', '--duration', '3s', '-e', `SEARCH_URL=${search.url}`]);
      const w = workloadOf(report, 'rag');
      assertFigures(w, TTFT_MS, TOKENS, 8);
      assert.equal(mock.server.stats().requests, w.requests);
      assert.equal(search.queries.length, w.requests, 'one retrieval per generation');
      assert.ok(search.queries.every((q) => q.endsWith('?')), `the questions were searched: ${search.queries[0]}`);
      // The mock counts ceil(chars / 4) prompt tokens: three passages are 300 of them, the question alone under 30.
      const perRequest = w.promptTokens / w.requests;
      assert.ok(perRequest >= (3 * PASSAGE_CHARS) / 4 && perRequest < (3 * PASSAGE_CHARS) / 4 + 60, `prompt tokens per request ${perRequest}`);
      // Two checks on each answer (it succeeded, it has text) and one on each search: all held.
      const checks = threshold(report, 'checks', 'rate==1');
      assert.equal(checks.samples, 3 * w.requests);
      assert.equal(threshold(report, 'http_req_duration{name:search}', 'p(95)<500').samples, w.requests);
    } finally {
      search.server.close();
      await mock.server.close();
    }
  });

  test('agent-loop.ts: the tool call, its result sent back, every turn under the same tags', async () => {
    const mock = await startMock([...MOCK_FLAGS, '--tool-calls']);
    try {
      const { report } = await runExample('agent-loop.ts', mock.url, ['--model', 'm', '--duration', '3s']);
      const w = workloadOf(report, 'agent');
      assertFigures(w, TTFT_MS, TOKENS, 9);
      const stats = mock.server.stats();
      assert.equal(stats.requests, w.requests);
      // Three turns per task: two answered with a tool call (tools offered), the last in text (none offered).
      assert.equal(w.requests % 3, 0, `requests ${w.requests}`);
      const tasks = w.requests / 3;
      assert.equal(stats.protocols['openai-chat']?.toolCalls, 2 * tasks);
      // What was sent is the OpenAI tool turn (assistant tool_calls with no content, then role tool with the
      // result): the mock counts ceil(chars / 4) per message, so each task's prompts are exactly these.
      const question = Math.ceil('Where is my order 4711?'.length / 4);
      const result = Math.ceil(JSON.stringify({ order_id: null, status: 'shipped', eta: '2 days' }).length / 4);
      assert.equal(w.promptTokens, tasks * (question + (question + result) + (question + 2 * result)));
      // The task tag is on every turn's samples, the answer's as much as the tool calls'.
      assert.equal(threshold(report, 'llm_e2e{task:order-status}', 'p(95)<10000').samples, w.requests);
      // Per task: three turns succeeded, two tool calls named an offered tool, one answer in text.
      assert.equal(threshold(report, 'checks', 'rate==1').samples, 6 * tasks);
    } finally {
      await mock.server.close();
    }
  });

  test('ramping-arrival-rate.ts: k6\'s executor ramps 2/s to 10/s, then holds', async () => {
    const mock = await startMock(MOCK_FLAGS);
    try {
      const { report, outDir } = await runExample('ramping-arrival-rate.ts', mock.url, ['--model', 'm', '-e', 'STAGE=2s']);
      const w = workloadOf(report, 'ramp');
      // 2 s ramping 2/s → 10/s (12 starts), then 2 s at 10/s (20).
      assert.ok(Math.abs(w.requests - 32) <= 1, `requests ${w.requests}, expected 32`);
      assertFigures(w, TTFT_MS, TOKENS, 31);
      assert.equal(mock.server.stats().requests, w.requests);
      assert.equal(threshold(report, 'dropped_iterations', 'count==0').measured, 0);
      // When the requests were written: the ramp's first three gaps (2/s rising to ~5/s) take 630 ms, where 10/s
      // would take 300; the hold's last ten take 1 s. Sums, not single gaps: one late start shortens the next gap.
      const sent = readFileSync(join(outDir, 'requests.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const parsed = parseRecordsLine(line);
          assert.ok(typeof parsed !== 'string', parsed as string);
          return parsed.record.sentUnixNs / 1e6;
        })
        .sort((x, y) => x - y);
      assert.equal(sent.length, w.requests);
      const gaps = sent.slice(1).map((t, i) => t - (sent[i] as number));
      const sum = (xs: number[]): number => Math.round(xs.reduce((a, x) => a + x, 0));
      assert.ok(sum(gaps.slice(0, 3)) >= 550, `the ramp's first gaps: ${gaps.map(Math.round).join(' ')}`);
      assert.ok(Math.abs(sum(gaps.slice(-10)) - 1000) <= 60, `the hold's last ten gaps: ${gaps.map(Math.round).join(' ')}`);
    } finally {
      await mock.server.close();
    }
  });

  test('compare-models.ts: two models on two endpoints, side by side, each measured apart', async () => {
    const a = { ttftMs: TTFT_MS, tokens: TOKENS };
    const b = { ttftMs: 160, tokens: 32 };
    const mockA = await startMock(MOCK_FLAGS);
    const mockB = await startMock(['--ttft-ms', String(b.ttftMs), '--itl-ms', String(ITL_MS), '--output-tokens', String(b.tokens)]);
    try {
      const { report, outDir } = await runExample('compare-models.ts', mockA.url, [
        '--duration', '3s', '-e', 'MODEL_A=llama-3.1-8b', '-e', 'MODEL_B=qwen2.5-7b', '-e', `URL_B=${mockB.url}`,
      ]);
      const wa = workloadOf(report, 'llama-3.1-8b');
      const wb = workloadOf(report, 'qwen2.5-7b');
      assertFigures(wa, a.ttftMs, a.tokens, 8);
      assertFigures(wb, b.ttftMs, b.tokens, 6);
      // Each model's requests went to its own endpoint, and only there.
      assert.equal(mockA.server.stats().requests, wa.requests);
      assert.equal(mockB.server.stats().requests, wb.requests);
      assert.equal(report.run.model, 'llama-3.1-8b, qwen2.5-7b');
      assert.equal(report.run.baseUrl, `${mockA.url}, ${mockB.url}`);
      for (const model of ['llama-3.1-8b', 'qwen2.5-7b']) threshold(report, `llm_ttft{workload:${model}}`, 'p(95)<1000');
      const markdown = readFileSync(join(outDir, 'llm-summary.md'), 'utf8');
      assert.ok(markdown.includes('### llama-3.1-8b') && markdown.includes('### qwen2.5-7b'), 'a section per model in llm-summary.md');
    } finally {
      await mockA.server.close();
      await mockB.server.close();
    }
  });
});
