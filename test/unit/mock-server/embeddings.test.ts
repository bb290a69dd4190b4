// The mock's POST /v1/embeddings: request checks, deterministic unit vectors
// (float and base64), usage.prompt_tokens counted as chat prompts are, the
// answer's timing on a fake clock (--ttft-ms, or a slot and the prefill under
// the capacity model), the bearer key, and the /mock/stats counts.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { estimatePromptTokens } from '../../../tools/mock-server/chat-request.ts';
import { DEFAULT_MOCK_CONFIG, type MockConfig } from '../../../tools/mock-server/config.ts';
import { DEFAULT_DIMENSIONS, embeddingVector, parseEmbeddingsRequest } from '../../../tools/mock-server/handlers/embeddings.ts';
import { RequestError } from '../../../tools/mock-server/request-error.ts';
import { createMockServer, type MockServer, type MockStats } from '../../../tools/mock-server/server.ts';
import { fakeMock } from './fake-exchange.ts';

const servers: MockServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(overrides: Partial<MockConfig> = {}): Promise<{ url: string; root: string }> {
  const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, ttftMs: 5, itlMs: 1, quiet: true, ...overrides });
  servers.push(server);
  const { url } = await server.listen();
  return { url, root: url.replace(/\/v1$/, '') };
}

interface EmbeddingsAnswer {
  object: string;
  data: { object: string; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

async function embed(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}/embeddings`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('parseEmbeddingsRequest', () => {
  it('counts prompt tokens as the chat path does (ceil(characters / 4) per text) and token lists by length', () => {
    const texts = ['abcde', 'a', 'twelve chars'];
    const r = parseEmbeddingsRequest(JSON.stringify({ model: 'e', input: texts }));
    assert.equal(r.promptTokens, estimatePromptTokens(texts.map((content) => ({ content }))));
    assert.equal(r.promptTokens, 2 + 1 + 3);
    assert.equal(r.inputs.length, 3);
    assert.equal(r.dimensions, DEFAULT_DIMENSIONS);
    assert.equal(parseEmbeddingsRequest('{"input":"one text"}').inputs.length, 1);
    assert.equal(parseEmbeddingsRequest('{"input":[1,2,3]}').promptTokens, 3);
    assert.equal(parseEmbeddingsRequest('{"input":[[1,2],[3,4,5]]}').promptTokens, 5);
  });

  it('refuses what the OpenAI API refuses, with a 400', () => {
    for (const body of ['{', '[]', '{}', '{"input":[]}', '{"input":""}', '{"input":["ok",""]}', '{"input":[{"text":"x"}]}', '{"input":"x","dimensions":0}', '{"input":"x","encoding_format":"int8"}']) {
      assert.throws(
        () => parseEmbeddingsRequest(body),
        (err: unknown) => err instanceof RequestError && err.status === 400,
        body,
      );
    }
  });

  it('gives the same text the same unit vector, and different texts different ones', () => {
    const a = embeddingVector('alpha', 16);
    assert.deepEqual(a, embeddingVector('alpha', 16));
    assert.notDeepEqual(a, embeddingVector('beta', 16));
    const norm = Math.sqrt(a.reduce((n, x) => n + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-5, `norm ${norm}`);
  });
});

describe('POST /v1/embeddings', () => {
  it('answers one embedding per input, in order, with usage', async () => {
    const { url } = await start();
    const input = ['first text', 'second text', 'third'];
    const { status, json } = await embed(url, { model: 'emb', input, dimensions: 4 });
    assert.equal(status, 200);
    const body = json as EmbeddingsAnswer;
    assert.equal(body.object, 'list');
    assert.equal(body.model, 'emb');
    assert.deepEqual(body.data.map((d) => d.index), [0, 1, 2]);
    assert.deepEqual(body.data[1]?.embedding, embeddingVector('second text', 4));
    assert.equal(body.usage.prompt_tokens, 3 + 3 + 2);
    assert.equal(body.usage.total_tokens, body.usage.prompt_tokens);
  });

  it('answers at exactly --ttft-ms after the request (fake clock), never before', () => {
    const mock = fakeMock({ ttftMs: 60 });
    const res = mock.post('/v1/embeddings', { model: 'emb', input: ['first text'] });
    mock.clock.advanceTo(59.9);
    assert.equal(res.headersSent, false);
    mock.clock.advanceTo(60);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.writes.map((w) => w.at), [60]);
    assert.equal((JSON.parse(res.body) as EmbeddingsAnswer).data.length, 1);
    mock.close();
  });

  it('encodes base64 as little-endian float32', async () => {
    const { url } = await start();
    const { json } = await embed(url, { input: ['x'], dimensions: 3, encoding_format: 'base64' });
    const b64 = (json as EmbeddingsAnswer).data[0]?.embedding as string;
    const bytes = Buffer.from(b64, 'base64');
    const floats = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    const expected = embeddingVector('x', 3);
    floats.forEach((f, i) => assert.ok(Math.abs(f - (expected[i] as number)) < 1e-6));
  });

  it('needs the bearer key like every /v1 route', async () => {
    const { url } = await start({ apiKey: 'sk-mock' });
    assert.equal((await embed(url, { input: ['x'] })).status, 401);
    assert.equal((await embed(url, { input: ['x'] }, { Authorization: 'Bearer sk-mock' })).status, 200);
  });

  it('waits for a slot and the prefill of every input under the capacity model (fake clock)', () => {
    // One slot, 20 ms + 1 ms per prompt token: 40 tokens → 60 ms each, the second waits for the first.
    const mock = fakeMock({ slots: 1, ttftMs: 20, prefillMsPerToken: 1 });
    const input = ['a'.repeat(80), 'b'.repeat(80)];
    const [one, two] = [mock.post('/v1/embeddings', { input }), mock.post('/v1/embeddings', { input })];
    mock.clock.runAll();
    assert.deepEqual([one.statusCode, two.statusCode], [200, 200]);
    assert.deepEqual([one.writes.map((w) => w.at), two.writes.map((w) => w.at)], [[60], [120]]);
    assert.equal(mock.clock.waiting(), 0, 'nothing left pending');
    assert.deepEqual(mock.stats().capacity, { running: 0, waiting: 0, maxWaiting: 1, admitted: 2, rejected: 0 });
    mock.close();
  });

  it('counts requests, inputs and prompt tokens in /mock/stats (apart from chat requests), zeroed by reset', async () => {
    const { url, root } = await start();
    await embed(url, { input: ['abcd', 'abcdefgh'] });
    await embed(url, { input: ['abcdefghijkl'] });
    await embed(url, { input: [] });
    const stats = (await (await fetch(`${root}/mock/stats`)).json()) as MockStats;
    assert.deepEqual(stats.embeddings, { requests: 2, inputs: 3, promptTokens: 1 + 2 + 3 });
    assert.equal(stats.requests, 0, 'chat requests');
    await fetch(`${root}/mock/reset-stats`, { method: 'POST' });
    const zeroed = (await (await fetch(`${root}/mock/stats`)).json()) as MockStats;
    assert.deepEqual(zeroed.embeddings, { requests: 0, inputs: 0, promptTokens: 0 });
  });
});
