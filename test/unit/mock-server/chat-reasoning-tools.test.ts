// The chat route's reasoning and tool-call modes: reasoning_content deltas
// first, then content or tool-call argument deltas; usage with
// reasoning_tokens; the reasoning tokens on the same clock as the answer
// (16 reasoning then 48 answer tokens: the first answer token at TTFT + 160 ms
// at ITL 10 ms, exactly, on a fake clock); exact per-protocol counts in /mock/stats.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMock, writtenEvents } from './fake-exchange.ts';
import { payloads, post, startMock } from './protocol-client.ts';

interface Chunk {
  choices: { delta: { content?: string; reasoning_content?: string; tool_calls?: { index: number; id?: string; function: { name?: string; arguments: string } }[] }; finish_reason: string | null }[];
  usage?: Record<string, unknown>;
}

const TOOLS = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
const USER = [{ role: 'user', content: 'Say something, please.' }];

describe('chat reasoning mode', () => {
  it('sends the first N tokens as reasoning_content, then content, with reasoning_tokens in usage', async () => {
    const { root, server } = await startMock({ outputTokens: 6, reasoningTokens: 4, tokensPerChunk: 3 });
    const answer = await post(root, '/v1/chat/completions', { messages: USER, stream: true, stream_options: { include_usage: true } });
    const chunks = payloads(answer).slice(0, -1) as Chunk[];
    const deltas = chunks.slice(1, -2).map((c) => c.choices[0]!.delta);
    // Chunks of 3 are cut at the reasoning/answer boundary: [0,3) [3,4) | [4,6).
    assert.deepEqual(deltas, [{ reasoning_content: ' tok0 tok1 tok2' }, { reasoning_content: ' tok3' }, { content: ' tok4 tok5' }]);
    assert.equal(chunks.at(-2)!.choices[0]!.finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1)!.usage, { prompt_tokens: 6, completion_tokens: 6, total_tokens: 12, completion_tokens_details: { reasoning_tokens: 4 } });
    assert.deepEqual(server.stats().protocols['openai-chat'], { requests: 1, streams: 1, reasoningTokens: 4, answerTokens: 2, toolCalls: 0 });
  });

  it('caps reasoning at the answer length and puts reasoning_content in a whole body', async () => {
    const { root } = await startMock({ outputTokens: 6, reasoningTokens: 4 });
    const cut = await post(root, '/v1/chat/completions', { messages: USER, max_tokens: 3 });
    const body = JSON.parse(cut.raw);
    assert.deepEqual(body.choices[0].message, { role: 'assistant', content: '', reasoning_content: ' tok0 tok1 tok2' });
    assert.equal(body.choices[0].finish_reason, 'length');
    assert.deepEqual(body.usage.completion_tokens_details, { reasoning_tokens: 3 });
  });

  it('keeps reasoning on the token clock: 16 reasoning then 48 answer tokens put the first answer token at TTFT + 160 ms (fake clock)', () => {
    const mock = fakeMock({ ttftMs: 100, itlMs: 10, outputTokens: 64, reasoningTokens: 16, keepaliveEvery: 0 });
    const res = mock.post('/v1/chat/completions', { messages: USER, stream: true });
    mock.clock.runAll();
    // After the role chunk, token i alone in a write at exactly 100 + 10 × i: reasoning and answer on one clock.
    const tokenWrites = res.writes.slice(1);
    assert.deepEqual(tokenWrites.map((w) => w.at), Array.from({ length: 64 }, (_, i) => 100 + 10 * i));
    const deltas = tokenWrites.map((w) => (writtenEvents(w.text)[0]!.data as Chunk).choices[0]!.delta);
    assert.equal(deltas.findIndex((d) => d.content !== undefined), 16, 'the first answer token is token 16');
    assert.equal(tokenWrites[16]!.at, 100 + 160);
    assert.ok(deltas.slice(0, 16).every((d) => d.reasoning_content !== undefined && d.content === undefined));
    assert.deepEqual(mock.stats().protocols['openai-chat'], { requests: 1, streams: 1, reasoningTokens: 16, answerTokens: 48, toolCalls: 0 });
    mock.close();
  });
});

describe('chat tool-call mode', () => {
  it('answers a request with tools by a tool call whose arguments stream as deltas', async () => {
    const { root, server } = await startMock({ outputTokens: 3, toolCalls: true, reasoningTokens: 1 });
    const answer = await post(root, '/v1/chat/completions', { messages: USER, stream: true, tools: TOOLS, stream_options: { include_usage: true } });
    const chunks = payloads(answer).slice(0, -1) as Chunk[];
    const deltas = chunks.slice(1, -2).map((c) => c.choices[0]!.delta);
    assert.deepEqual(deltas[0], { reasoning_content: ' tok0' });
    const calls = deltas.slice(1).map((d) => d.tool_calls![0]!);
    assert.deepEqual(calls[0], { index: 0, id: 'call_chatcmpl-mock0', type: 'function', function: { name: 'get_weather', arguments: '{"input":" tok1' } });
    assert.deepEqual(calls[1], { index: 0, function: { arguments: ' tok2"}' } });
    assert.deepEqual(JSON.parse(calls.map((c) => c.function.arguments).join('')), { input: ' tok1 tok2' });
    assert.equal(chunks.at(-2)!.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(chunks.at(-1)!.usage!.completion_tokens, 3);
    assert.deepEqual(server.stats().protocols['openai-chat'], { requests: 1, streams: 1, reasoningTokens: 1, answerTokens: 2, toolCalls: 1 });
  });

  it('answers text when the request offers no tools, and a whole tool call when not streamed', async () => {
    const { root } = await startMock({ outputTokens: 2, toolCalls: true });
    const plain = JSON.parse((await post(root, '/v1/chat/completions', { messages: USER })).raw);
    assert.equal(plain.choices[0].message.content, ' tok0 tok1');
    const call = JSON.parse((await post(root, '/v1/chat/completions', { messages: USER, tools: TOOLS })).raw);
    assert.deepEqual(call.choices[0].message, {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_chatcmpl-mock1', type: 'function', function: { name: 'get_weather', arguments: '{"input":" tok0 tok1"}' } }],
    });
    assert.equal(call.choices[0].finish_reason, 'tool_calls');
  });
});
