// POST /generate_stream and /generate (TGI): one `data:` event per token, the
// last with generated_text and details; the whole body with details on
// request; TGI's error shape for bad input and faults; the bearer key;
// reasoning tokens are plain tokens here; the schedule on a fake clock.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGenerateRequest } from '../../../tools/mock-server/handlers/tgi.ts';
import { RequestError } from '../../../tools/mock-server/request-error.ts';
import { fakeMock, writtenEvents } from './fake-exchange.ts';
import { post, startMock } from './protocol-client.ts';

interface TgiEvent {
  index: number;
  token: { id: number; text: string; logprob: number; special: boolean };
  generated_text: string | null;
  details: { finish_reason: string; generated_tokens: number; input_length: number } | null;
}

describe('parseGenerateRequest', () => {
  it('reads inputs and parameters.max_new_tokens, and refuses bad input with 422 validation', () => {
    const request = parseGenerateRequest('{"inputs":"12345678","parameters":{"max_new_tokens":5,"details":true}}', true);
    assert.deepEqual(request, {
      model: 'mock-llm',
      stream: true,
      includeUsage: true,
      maxTokens: 5,
      promptTokens: 2,
      pieces: [{ kind: 'text', role: 'user', text: '12345678' }],
      ignoreEos: false,
      minTokens: null,
      toolName: null,
      details: true,
    });
    for (const body of ['{"parameters":{}}', '{"inputs":"x","parameters":{"max_new_tokens":1.5}}', '[]']) {
      assert.throws(
        () => parseGenerateRequest(body, false),
        (e: unknown) => e instanceof RequestError && e.status === 422 && JSON.parse(e.body!).error_type === 'validation',
      );
    }
  });
});

describe('POST /generate_stream', () => {
  it('streams one event per token; the last carries generated_text and details', async () => {
    const { root, server } = await startMock({ ttftMs: 40, itlMs: 25, outputTokens: 8, tokensPerChunk: 3, reasoningTokens: 2 });
    const answer = await post(root, '/generate_stream', { inputs: 'Say something, please.', parameters: { max_new_tokens: 100 } });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /text\/event-stream/);
    assert.match(answer.raw, /^data:\{"index":1,/, 'TGI writes no space after data:');
    const events = answer.events.map((e) => JSON.parse(e.data) as TgiEvent);
    assert.equal(events.length, 8, 'one event per token, even with several tokens per write');
    assert.deepEqual(events.map((e) => e.token.text), [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ` tok${i}`));
    assert.deepEqual(events.map((e) => e.index), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(events.every((e) => !e.token.special));
    assert.ok(events.slice(0, -1).every((e) => e.generated_text === null && e.details === null));
    const last = events.at(-1)!;
    assert.equal(last.generated_text, ' tok0 tok1 tok2 tok3 tok4 tok5 tok6 tok7');
    assert.deepEqual(last.details, { finish_reason: 'eos_token', generated_tokens: 8, seed: null, input_length: 6 });
    assert.deepEqual(server.stats().protocols.tgi, { requests: 1, streams: 1, reasoningTokens: 0, answerTokens: 8, toolCalls: 0 });
  });

  it('stops at max_new_tokens with finish_reason length, and sends a fault as an error event', async () => {
    const { root, server } = await startMock({ outputTokens: 8 });
    const events = (await post(root, '/generate_stream', { inputs: 'x', parameters: { max_new_tokens: 2 } })).events.map((e) => JSON.parse(e.data) as TgiEvent);
    assert.equal(events.length, 2);
    assert.equal(events[1]!.details!.finish_reason, 'length');
    server.setConfig({ faultRate: 1, faults: 'stream_error', faultAfterTokens: 3 });
    const failed = (await post(root, '/generate_stream', { inputs: 'x' })).events.map((e) => JSON.parse(e.data) as Record<string, unknown>);
    assert.equal(failed.length, 4);
    assert.equal(failed[3]!.error_type, 'generation');
  });

  it('answers injected HTTP faults and bad input in TGI shape, and checks the bearer key', async () => {
    const { root, server } = await startMock({ apiKey: 'hf-key' });
    assert.equal((await post(root, '/generate_stream', { inputs: 'x' })).status, 401);
    const auth = { Authorization: 'Bearer hf-key' };
    const bad = await post(root, '/generate', { inputs: 1 }, auth);
    assert.equal(bad.status, 422);
    assert.equal(JSON.parse(bad.raw).error_type, 'validation');
    server.setConfig({ faultRate: 1, faults: '429' });
    const limited = await post(root, '/generate_stream', { inputs: 'x' }, auth);
    assert.equal(limited.status, 429);
    assert.deepEqual(JSON.parse(limited.raw), { error: 'Injected HTTP 429 from the mock.', error_type: 'overloaded' });
  });
});

describe('POST /generate', () => {
  it('answers generated_text, with details only when parameters.details is true', async () => {
    const { root, server } = await startMock({ outputTokens: 3 });
    assert.deepEqual(JSON.parse((await post(root, '/generate', { inputs: 'x' })).raw), { generated_text: ' tok0 tok1 tok2' });
    const detailed = JSON.parse((await post(root, '/generate', { inputs: 'x', parameters: { details: true, max_new_tokens: 2 } })).raw);
    assert.deepEqual(detailed, { generated_text: ' tok0 tok1', details: { finish_reason: 'length', generated_tokens: 2, seed: null } });
    assert.deepEqual(server.stats().protocols.tgi, { requests: 2, streams: 0, reasoningTokens: 0, answerTokens: 5, toolCalls: 0 });
  });
});

describe('POST /generate_stream on a fake clock', () => {
  it('writes the events of a chunk together, when its last token is due (reasoning does not cut chunks here)', () => {
    const mock = fakeMock({ ttftMs: 40, itlMs: 25, outputTokens: 8, tokensPerChunk: 3, reasoningTokens: 2, keepaliveEvery: 0 });
    const res = mock.post('/generate_stream', { inputs: 'Say something, please.', parameters: { max_new_tokens: 100 } });
    mock.clock.runAll();
    // Writes of 3 tokens, ending with tokens 2, 5 and 7.
    assert.deepEqual(res.writes.map((w) => w.at), [2, 5, 7].map((i) => 40 + 25 * i));
    assert.deepEqual(
      res.writes.map((w) => writtenEvents(w.text).map((e) => e.data.index)),
      [[1, 2, 3], [4, 5, 6], [7, 8]],
    );
    mock.close();
  });
});
