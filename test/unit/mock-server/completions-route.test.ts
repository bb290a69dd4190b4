// POST /v1/completions: choices[].text chunks, the finish chunk, the usage
// chunk only with include_usage, [DONE]; prompt as a string, a list or token
// ids; the whole body; bad input and faults; reasoning tokens are plain text
// here; the schedule on a fake clock.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCompletionRequest } from '../../../tools/mock-server/handlers/completions.ts';
import { RequestError } from '../../../tools/mock-server/request-error.ts';
import { fakeMock, writtenEvents } from './fake-exchange.ts';
import { payloads, post, startMock } from './protocol-client.ts';

interface Chunk {
  object: string;
  choices: { text: string; index: number; finish_reason: string | null }[];
  usage?: unknown;
}

describe('parseCompletionRequest', () => {
  it('estimates prompt tokens from a string, a list of strings or token ids', () => {
    assert.equal(parseCompletionRequest('{"prompt":"12345678"}').promptTokens, 2);
    assert.equal(parseCompletionRequest('{"prompt":["1234","12345"]}').promptTokens, 3);
    assert.equal(parseCompletionRequest('{"prompt":[1,2,3,4,5]}').promptTokens, 5);
    const request = parseCompletionRequest('{"prompt":"x","max_tokens":4,"stream":true,"stream_options":{"include_usage":true},"model":"m"}');
    assert.deepEqual(request, { model: 'm', stream: true, includeUsage: true, maxTokens: 4, promptTokens: 1, pieces: [{ kind: 'text', role: 'user', text: 'x' }], ignoreEos: false, minTokens: null, toolName: null });
    assert.deepEqual(parseCompletionRequest('{"prompt":[1,2]}').pieces, [], 'token ids are not read for the prefix cache');
  });

  it('refuses a body without prompt or with a bad max_tokens', () => {
    assert.throws(() => parseCompletionRequest('{}'), (e: unknown) => e instanceof RequestError && e.status === 400 && /'prompt'/.test(e.message));
    assert.throws(() => parseCompletionRequest('{"prompt":"x","max_tokens":-1}'), (e: unknown) => e instanceof RequestError && /max_tokens/.test(e.message));
    assert.throws(() => parseCompletionRequest('{"prompt":{}}'), (e: unknown) => e instanceof RequestError && /expected a string or an array/.test(e.message));
  });
});

describe('POST /v1/completions', () => {
  it('streams text chunks, then finish, usage and [DONE]', async () => {
    const { root, server } = await startMock({ ttftMs: 40, itlMs: 25, outputTokens: 9, tokensPerChunk: 2, reasoningTokens: 2 });
    const answer = await post(root, '/v1/completions', { prompt: 'Say something, please.', stream: true, stream_options: { include_usage: true } });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /text\/event-stream/);
    const events = payloads(answer);
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1) as Chunk[];
    assert.ok(chunks.every((c) => c.object === 'text_completion'));
    // Reasoning tokens are plain text in this API: no reasoning field, no chunk cut at the boundary.
    assert.deepEqual(chunks.slice(0, 5).map((c) => c.choices[0]!.text), [' tok0 tok1', ' tok2 tok3', ' tok4 tok5', ' tok6 tok7', ' tok8']);
    assert.deepEqual(chunks[5]!.choices, [{ text: '', index: 0, logprobs: null, finish_reason: 'stop' }]);
    assert.deepEqual(chunks[6], { ...chunks[6], choices: [], usage: { prompt_tokens: 6, completion_tokens: 9, total_tokens: 15 } });
    assert.deepEqual(server.stats().protocols['openai-completions'], { requests: 1, streams: 1, reasoningTokens: 0, answerTokens: 9, toolCalls: 0 });
  });

  it('sends no usage chunk without include_usage, and finish_reason length under max_tokens', async () => {
    const { root } = await startMock({ outputTokens: 5 });
    const chunks = payloads(await post(root, '/v1/completions', { prompt: 'x', stream: true, max_tokens: 2 })).slice(0, -1) as Chunk[];
    assert.equal(chunks.length, 3);
    assert.ok(chunks.every((c) => c.usage === undefined));
    assert.equal(chunks[2]!.choices[0]!.finish_reason, 'length');
  });

  it('answers a whole text_completion body when not streamed', async () => {
    const { root } = await startMock({ outputTokens: 3 });
    const answer = await post(root, '/v1/completions', { prompt: ['ab', 'cd'], model: 'm' });
    const body = JSON.parse(answer.raw);
    assert.equal(body.object, 'text_completion');
    assert.equal(body.model, 'm');
    assert.deepEqual(body.choices, [{ text: ' tok0 tok1 tok2', index: 0, logprobs: null, finish_reason: 'stop' }]);
    assert.deepEqual(body.usage, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
  });

  it('answers bad input with 400 and a stream_error fault with an error event and no [DONE]', async () => {
    const { root } = await startMock({ outputTokens: 6, faultRate: 1, faults: 'stream_error', faultAfterTokens: 2 });
    const bad = await post(root, '/v1/completions', { prompt: 5 });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.raw).error.type, 'invalid_request_error');
    const answer = await post(root, '/v1/completions', { prompt: 'x', stream: true });
    const events = payloads(answer) as Record<string, unknown>[];
    assert.equal(events.length, 3);
    assert.equal((events[2]!.error as { type: string }).type, 'server_error');
  });

  it('requires the bearer key when --api-key is set', async () => {
    const { root } = await startMock({ apiKey: 'sk-x' });
    assert.equal((await post(root, '/v1/completions', { prompt: 'x' })).status, 401);
    assert.equal((await post(root, '/v1/completions', { prompt: 'x' }, { Authorization: 'Bearer sk-x' })).status, 200);
  });
});

describe('POST /v1/completions on a fake clock', () => {
  it('writes each chunk at exactly the due time of its last token, the finish, usage and [DONE] with the last', () => {
    const mock = fakeMock({ ttftMs: 40, itlMs: 25, outputTokens: 9, tokensPerChunk: 2, reasoningTokens: 2, keepaliveEvery: 0 });
    const res = mock.post('/v1/completions', { prompt: 'Say something, please.', stream: true, stream_options: { include_usage: true } });
    mock.clock.runAll();
    assert.equal(res.headersAt, 0, 'the headers go out at once');
    // Chunks end with tokens 1, 3, 5, 7 and 8.
    assert.deepEqual(res.writes.map((w) => w.at), [1, 3, 5, 7, 8].map((i) => 40 + 25 * i));
    const writes = res.writes.map((w) => writtenEvents(w.text));
    assert.deepEqual(writes.map((events) => events[0]!.data.choices[0].text), [' tok0 tok1', ' tok2 tok3', ' tok4 tok5', ' tok6 tok7', ' tok8']);
    assert.equal(writes.at(-1)!.length, 4, 'the last token, finish, usage and [DONE] in one write');
    assert.equal(writes.at(-1)!.at(-1)!.data, '[DONE]');
    mock.close();
  });
});
