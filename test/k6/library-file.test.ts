// The single-file library, as k6 users take a jslib: lib/k6-llm.js copied
// beside a TypeScript script that imports it by relative path, run by plain
// `k6 run my-test.ts` (k6 strips the types and bundles nothing) beside the
// stream meter, against the mock. TTFT p50 within 2 ms of the mock's, the
// tokens exact, the reports written.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { LlmReport } from '../../src/summary/schema.ts';
import { k6, meter, ROOT, runProcess, startMock } from './harness.ts';

const TTFT_MS = 120;
const TOKENS = 16;

const SCRIPT = `import { Client, closedUsers, llmOptions, llmSummary, type LlmResult } from './k6-llm.js';

const client = new Client({ workload: 'mine' });

export const options = llmOptions({
  scenarios: { mine: closedUsers({ vus: 3, duration: '4s', gracefulStop: '5s' }) },
  thresholds: { 'llm_ttft{workload:mine}': ['p(95)<1000'] },
});

export default function (): void {
  const result: LlmResult = client.chat({ messages: [{ role: 'user', content: \`Hello \${__VU} \${__ITER}\` }], maxTokens: 64 });
  if (result.outputTokens !== ${TOKENS}) console.warn(\`got \${result.outputTokens} tokens\`);
}

export const handleSummary = llmSummary();
`;

before(() => {
  const build = spawnSync(process.execPath, [join(ROOT, 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});

test('a script beside lib/k6-llm.js, run by plain k6 beside the meter', async () => {
  const mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', '5', '--output-tokens', String(TOKENS)]);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-libfile-'));
    copyFileSync(join(ROOT, 'lib', 'k6-llm.js'), join(dir, 'k6-llm.js'));
    writeFileSync(join(dir, 'my-test.ts'), SCRIPT);
    const res = await runProcess(k6(), ['run', '--quiet', '-e', `LLM_BASE_URL=${mock.url}`, '-e', 'LLM_MODEL=m', 'my-test.ts'], { LLM_METER_URL: (await meter()).url }, 120_000, undefined, dir);
    assert.equal(res.code, 0, res.stderr);
    assert.doesNotMatch(res.stderr, /got \d+ tokens/);
    // Plain k6: the reports go to LLM_OUT_DIR, the current folder by default.
    const report = JSON.parse(readFileSync(join(dir, 'llm-summary.json'), 'utf8')) as LlmReport;
    const w = report.workloads.mine;
    assert.ok(w, `workloads: ${Object.keys(report.workloads).join(', ')}`);
    assert.ok(w.requests >= 6, `requests ${w.requests}`);
    assert.equal(w.successRate, 1);
    assert.ok(w.ttftMs && Math.abs(w.ttftMs.p50 - TTFT_MS) <= 2, `TTFT p50 ${w.ttftMs?.p50} against the mock's ${TTFT_MS}`);
    assert.equal(w.outputTokens, (w.requests - w.interrupted) * TOKENS, 'tokens exact');
    assert.equal(mock.server.stats().requests, w.requests, 'each request counted once');
    for (const f of ['llm-summary.md', 'llm-junit.xml']) assert.ok(existsSync(join(dir, f)), f);
    // Nothing was bundled: the folder holds the two files and the reports.
    assert.deepEqual(readdirSync(dir).filter((f) => !f.startsWith('llm-')).sort(), ['k6-llm.js', 'my-test.ts']);
  } finally {
    await mock.server.close();
  }
});
