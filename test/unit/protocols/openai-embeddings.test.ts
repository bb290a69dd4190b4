// The OpenAI embeddings adapter: the request body, what readCompletion makes
// of answers (well-formed, base64, error payloads, malformed shapes), that a
// streamed event is never this protocol's, the records the measurement core
// builds from it (every transport's path), the one-embedding-per-input
// check, the batch job's inputs, and the mock's own answers read back.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../src/config/config.ts';
import { checkEmbeddingCount, measureCompletion } from '../../../src/measure/completion.ts';
import { recordFromMeter } from '../../../src/measure/meter-record.ts';
import { meterRecord } from '../support/meter-record.ts';
import { isEmbeddingProtocol, protocolByName } from '../../../src/protocols/index.ts';
import { openaiEmbeddings } from '../../../src/protocols/openai-embeddings.ts';
import { emptyChunkInfo, PARSED } from '../../../src/protocols/protocol.ts';
import { resolveSettings } from '../../../src/workloads/settings.ts';
import { BATCH_WORKLOAD, EMBEDDINGS_DEFAULTS } from '../../../src/workloads/batch.ts';
import { promptSourceFor } from '../support/prompts.ts';
import { embeddingsBody, parseEmbeddingsRequest } from '../../../tools/mock-server/handlers/embeddings.ts';

const answer = (data: unknown[], usage: unknown = { prompt_tokens: 12, total_tokens: 12 }): string =>
  JSON.stringify({ object: 'list', data, model: 'e', usage });
const item = (embedding: unknown, index = 0): unknown => ({ object: 'embedding', index, embedding });

const ok = { status: 200, headersMs: 40, endMs: 50, error: null };

describe('openai-embeddings', () => {
  it('is registered, an embedding protocol, at /embeddings', () => {
    assert.equal(protocolByName('openai-embeddings'), openaiEmbeddings);
    assert.equal(openaiEmbeddings.path, '/embeddings');
    assert.equal(isEmbeddingProtocol('openai-embeddings'), true);
    assert.equal(isEmbeddingProtocol('openai-chat'), false);
    assert.equal(isEmbeddingProtocol('nope'), false);
  });

  it('sends the model, the inputs as a list and float encoding, plus extra fields', () => {
    const body = JSON.parse(
      openaiEmbeddings.buildBody({ model: 'bge', messages: [], maxTokens: 0, stream: false, inputs: ['a', 'b'], extraBody: { dimensions: 64 } }),
    );
    assert.deepEqual(body, { model: 'bge', input: ['a', 'b'], encoding_format: 'float', dimensions: 64 });
  });

  it('reads the number of embeddings and usage.prompt_tokens; no output tokens', () => {
    const info = openaiEmbeddings.readCompletion(answer([item([0.1, 0.2], 0), item([0.3, 0.4], 1), item([0.5, 0.6], 2)]));
    assert.deepEqual(info, { outputTokens: 0, promptTokens: 12, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null, finishReason: null, hasOutput: true, error: null, malformed: false, embeddings: 3 });
  });

  it('accepts base64 vectors, and an answer without usage (prompt tokens unknown)', () => {
    const info = openaiEmbeddings.readCompletion(answer([item('AAAAAA=='), item('AACAPw==', 1)], null));
    assert.equal(info.embeddings, 2);
    assert.equal(info.promptTokens, null);
    assert.equal(info.malformed, false);
  });

  it('reports an error payload as the error', () => {
    assert.equal(openaiEmbeddings.readCompletion('{"error":{"message":"input too long","type":"invalid_request_error"}}').error, 'input too long');
    assert.equal(openaiEmbeddings.readCompletion('{"error":"overloaded"}').error, 'overloaded');
  });

  const malformed: Record<string, string> = {
    'not JSON': '{"data":[',
    'not an object': '[1,2]',
    'no data': '{"object":"list","usage":{"prompt_tokens":3}}',
    'data not a list': '{"data":{"embedding":[1]}}',
    'an item without an embedding': answer([item([0.1]), { index: 1 }]),
    'an empty vector': answer([item([])]),
    'a vector of strings': answer([item(['0.1'])]),
    'vectors of different lengths (one cut short)': answer([item([0.1, 0.2]), item([0.3], 1)]),
  };
  for (const [what, body] of Object.entries(malformed)) {
    it(`marks ${what} malformed`, () => assert.equal(openaiEmbeddings.readCompletion(body).malformed, true));
  }

  it('an answer with no embeddings has no output (an empty request failed)', () => {
    const info = openaiEmbeddings.readCompletion(answer([]));
    assert.equal(info.hasOutput, false);
    assert.equal(measureCompletion(openaiEmbeddings, 0, ok, answer([])).error, 'empty');
  });

  it('never takes a stream event: it is not this protocol', () => {
    const into = emptyChunkInfo();
    into.tokens = 5;
    assert.equal(openaiEmbeddings.readChunk('{"choices":[{"delta":{"content":"x"}}]}', into), PARSED);
    assert.equal(into.malformed, true);
    assert.equal(into.tokens, 0);
  });

  it('measures E2E, prompt tokens and embeddings, with no TTFT, ITL or estimated tokens', () => {
    const r = measureCompletion(openaiEmbeddings, 10, ok, answer([item([1, 0]), item([0, 1], 1)]));
    assert.equal(r.success, true);
    assert.equal(r.e2eMs, 40);
    assert.equal(r.ttftMs, null);
    assert.deepEqual(r.itlMs, []);
    assert.equal(r.tpotMs, null);
    assert.equal(r.outputTokens, 0);
    assert.equal(r.tokensEstimated, false);
    assert.equal(r.promptTokens, 12);
    assert.equal(r.embeddings, 2);
  });

  it('classifies HTTP errors, error payloads and malformed bodies as failures', () => {
    assert.equal(measureCompletion(openaiEmbeddings, 0, { ...ok, status: 400 }, '{"error":{"message":"bad"}}').error, 'http_4xx');
    assert.equal(measureCompletion(openaiEmbeddings, 0, ok, '{"error":{"message":"bad"}}').error, 'stream_error');
    assert.equal(measureCompletion(openaiEmbeddings, 0, ok, '{"data":').error, 'malformed');
  });

  it('fails an answer that does not carry one embedding per input', () => {
    const two = measureCompletion(openaiEmbeddings, 0, ok, answer([item([1]), item([2], 1)]));
    assert.equal(checkEmbeddingCount(two, 2).success, true);
    const short = checkEmbeddingCount(measureCompletion(openaiEmbeddings, 0, ok, answer([item([1]), item([2], 1)])), 3);
    assert.equal(short.success, false);
    assert.equal(short.error, 'malformed');
    assert.equal(short.errorMessage, 'invalid embeddings answer; expected 3 embeddings (one per input), got 2');
    // A request that already failed keeps its own verdict.
    const failed = measureCompletion(openaiEmbeddings, 0, { ...ok, status: 503 }, '');
    assert.equal(checkEmbeddingCount(failed, 3).error, 'http_5xx');
  });

  it("reads the stream meter's non-streamed record the same way", () => {
    const body = answer([item([1, 0]), item([0, 1], 1)]);
    const res = meterRecord({
      status: 200, retryAfter: '', headersMs: 30, endMs: 31.5, isSSE: false, times: [], data: [], fast: [], comments: 0, unterminated: false,
      body, bodyBytes: body.length, errorKind: '', errorMessage: '', kernelStamps: true, readLagMaxMs: 0.1, sendLagMs: 0.05,
    });
    const r = recordFromMeter(openaiEmbeddings, res, false);
    assert.equal(r.success, true);
    assert.equal(r.e2eMs, 31.5);
    assert.equal(r.embeddings, 2);
    assert.equal(r.promptTokens, 12);
  });

  it('a body the meter cut at its limit fails saying so (its size and the knob to lower), not "unreadable"', () => {
    const whole = answer([item(Array.from({ length: 600 }, (_, i) => i / 7))]);
    const kept = whole.slice(0, 2048);
    const res = meterRecord({
      status: 200, retryAfter: '', headersMs: 30, endMs: 31.5, isSSE: false, times: [], data: [], fast: [], comments: 0, unterminated: false,
      body: kept, bodyBytes: 5 * 2 ** 20, errorKind: '', errorMessage: '', kernelStamps: true, readLagMaxMs: 0.1, sendLagMs: 0.05,
    });
    const r = recordFromMeter(openaiEmbeddings, res, false);
    assert.equal(r.error, 'malformed');
    assert.equal(r.errorMessage, 'the response body was 5.0 MiB, more than the 2 KiB the meter keeps of a completion: send less per request (fewer LLM_INPUTS_PER_REQUEST, a lower LLM_MAX_TOKENS)');
    // A body that is whole but unreadable keeps the plain verdict.
    const broken = recordFromMeter(openaiEmbeddings, { ...res, body: '{"data": [', bodyBytes: 10 }, false);
    assert.equal(broken.errorMessage, 'unreadable completion body');
  });

  it("reads the mock's answers back: one embedding per input and the mock's prompt tokens", () => {
    const inputs = ['one text', 'another text', 'a third, longer text'];
    const sent = parseEmbeddingsRequest(openaiEmbeddings.buildBody({ model: 'm', messages: [], maxTokens: 0, stream: false, inputs }));
    for (const encoding of ['float', 'base64'] as const) {
      const info = openaiEmbeddings.readCompletion(embeddingsBody({ ...sent, encoding }));
      assert.equal(info.embeddings, 3, encoding);
      assert.equal(info.promptTokens, sent.promptTokens, encoding);
      assert.equal(info.malformed, false, encoding);
    }
  });
});

describe('the embeddings batch job', () => {
  it('sends LLM_INPUTS_PER_REQUEST distinct texts per request, none repeated across requests', () => {
    const config = parseConfig({ LLM_PROTOCOL: 'openai-embeddings', LLM_INPUTS_PER_REQUEST: '4' });
    const settings = resolveSettings(config, BATCH_WORKLOAD, EMBEDDINGS_DEFAULTS);
    const prompts = promptSourceFor(config, settings);
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const inputs = prompts.embeddingInputs(i, config.batch.inputsPerRequest);
      assert.equal(inputs.length, 4);
      for (const text of inputs) {
        const words = text.split(' ').length;
        assert.ok(words >= 64 && words <= 256, `${words} words`);
        seen.add(text);
      }
    }
    assert.equal(seen.size, 20);
  });

  it('takes the texts from a dataset in order', () => {
    const config = parseConfig({ LLM_PROTOCOL: 'openai-embeddings', LLM_INPUTS_PER_REQUEST: '2' });
    const settings = resolveSettings(config, BATCH_WORKLOAD, EMBEDDINGS_DEFAULTS);
    const dataset = ['d0', 'd1', 'd2', 'd3', 'd4'].map((content) => ({ messages: [{ role: 'user' as const, content }] }));
    const prompts = promptSourceFor(config, settings, dataset);
    assert.deepEqual(prompts.embeddingInputs(1, 2), ['d2', 'd3']);
    // A dataset shorter than the job wraps around, as for every workload.
    assert.deepEqual(prompts.embeddingInputs(2, 2), ['d4', 'd0']);
  });
});
