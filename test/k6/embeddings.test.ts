// Real k6 runs of the batch workload with LLM_PROTOCOL=openai-embeddings
// against the mock's /v1/embeddings: the inputs/s and input tokens/s of
// llm-summary.json are the mock's own counts (/mock/stats) over the job time
// the summary states; every text the endpoint received is distinct; E2E
// follows the mock's per-request time; TTFT/ITL are said not to apply; and a
// streamed workload or a knob of generated output is refused before load.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MockServer } from '../../tools/mock-server/server.ts';
import { startCapture } from './capture.ts';
import { runWorkload, startMock } from './harness.ts';

describe('openai-embeddings batch job against the mock', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    // Two slots, 40 ms + 0.05 ms per prompt token per request: concurrency 4 queues at the server.
    mock = await startMock(['--slots', '2', '--ttft-ms', '40', '--prefill-ms-per-token', '0.05']);
  });
  after(async () => mock.server.close());

  test('inputs/s and input tokens/s equal the mock’s counts over the job time; success 100 %', async () => {
    const capture = await startCapture(mock.url);
    try {
      // Counts of this run only.
      await fetch(`${mock.url.replace(/\/v1$/, '')}/mock/reset-stats`, { method: 'POST' });
      const res = await runWorkload('batch', {
        LLM_BASE_URL: capture.url,
        LLM_PROTOCOL: 'openai-embeddings',
        LLM_BATCH_SIZE: '12',
        LLM_INPUTS_PER_REQUEST: '8',
        LLM_VUS: '4',
        LLM_DURATION: '20s',
      });
      assert.equal(res.code, 0, res.stderr);
      const stats = mock.server.stats().embeddings;
      const w = res.summary?.workloads.batch;
      assert.ok(w?.embeddings && w.batch, 'embeddings and batch sections');
      const e = w.embeddings;

      // What the endpoint counted, request by request.
      assert.equal(stats.requests, 12);
      assert.equal(stats.inputs, 12 * 8);
      assert.equal(w.requests, 12);
      assert.equal(w.successRate, 1);
      assert.deepEqual(w.errors, {});
      assert.equal(w.batch.complete, true);
      assert.equal(e.inputsPerRequest, 8);
      assert.equal(e.inputs, stats.inputs);
      assert.equal(e.inputTokens, stats.promptTokens);
      assert.ok(e.overMs !== null && e.overMs === w.batch.jobMs && e.overMs > 0);
      assert.equal(e.inputsPerSecond, stats.inputs / (e.overMs / 1000));
      assert.equal(e.inputTokensPerSecond, stats.promptTokens / (e.overMs / 1000));

      // Every text sent once: 96 distinct inputs, lists of 8, never streamed, no max_tokens.
      const bodies = capture.requests.filter((r) => r.path.endsWith('/embeddings')).map((r) => r.body ?? {});
      assert.equal(bodies.length, 12);
      const texts = bodies.flatMap((b) => b.input as string[]);
      assert.ok(bodies.every((b) => Array.isArray(b.input) && b.input.length === 8 && !('stream' in b) && !('max_tokens' in b)));
      assert.equal(new Set(texts).size, 96);

      // Each request's answer is due 40 ms + its prompt tokens × 0.05 ms after admission; the queue adds to some.
      const minService = 40 + (Math.min(...bodies.map((b) => (b.input as string[]).reduce((n, t) => n + Math.ceil(t.length / 4), 0))) * 0.05);
      assert.ok(w.e2eMs && w.e2eMs.min >= minService - 1, `E2E min ${w.e2eMs?.min} ms, service ≥ ${minService} ms`);
      assert.ok(w.e2eMs.max > w.e2eMs.min, 'queued requests took longer');
      assert.equal(w.ttftMs, null);
      assert.equal(w.itlMs, null);
      assert.equal(w.outputTokens, 0);

      const out = res.stdout;
      assert.match(out, /TTFT \(ms\)\s+not applicable \(embeddings\)/);
      assert.match(out, /ITL \(ms\)\s+not applicable \(embeddings\)/);
      assert.match(out, /embeddings: 96 inputs \(8 per request\) · [\d.]+ inputs\/s · [\d.]+ input tokens\/s over the job/);
      assert.match(out, /thresholds: thresholds\/embeddings\.json \(default\)/);
    } finally {
      await capture.close();
    }
  });

  const refused: Array<[string, Record<string, string>, string]> = [
    ['chat', { LLM_PROTOCOL: 'openai-embeddings' }, 'invalid LLM_PROTOCOL for workload chat; it applies as openai-embeddings to batch only (embeddings are not streamed, so TTFT and ITL do not apply), got "openai-embeddings"'],
    ['realtime', { LLM_PROTOCOL: 'openai-embeddings', LLM_STREAM: 'false' }, 'invalid LLM_PROTOCOL for workload realtime; it applies as openai-embeddings to batch only'],
    ['batch', { LLM_PROTOCOL: 'openai-embeddings', LLM_MAX_TOKENS: '16' }, 'invalid LLM_MAX_TOKENS for workload batch; it applies to generation protocols only (LLM_PROTOCOL=openai-embeddings generates no tokens), got "16"'],
    ['batch', { LLM_PROTOCOL: 'openai-embeddings', LLM_STREAM: 'true' }, 'invalid LLM_STREAM for workload batch; it applies as false only with LLM_PROTOCOL=openai-embeddings (embeddings are not streamed), got "true"'],
    ['batch', { LLM_INPUTS_PER_REQUEST: '8' }, 'invalid LLM_INPUTS_PER_REQUEST for workload batch; it applies with LLM_PROTOCOL=openai-embeddings only, got "8"'],
  ];
  for (const [workload, knobs, message] of refused) {
    test(`refused before load: ${workload} ${JSON.stringify(knobs)}`, async () => {
      const capture = await startCapture(mock.url);
      try {
        const res = await runWorkload(workload, { LLM_BASE_URL: capture.url, ...knobs });
        assert.equal(res.code, 107, res.stderr);
        const lines = (res.stderr + res.stdout).replace(/\\"/g, '"').split('\n').filter((l) => l.includes('k6-llm: invalid'));
        assert.equal(lines.length, 1, res.stderr);
        assert.ok(lines[0]?.includes(`k6-llm: ${message}`), lines[0]);
        assert.equal(capture.requests.length, 0, 'no request reached the endpoint');
      } finally {
        await capture.close();
      }
    });
  }
});
