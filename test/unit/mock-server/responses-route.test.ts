// POST /v1/responses: typed events with `event:` lines and rising
// sequence_number; response.created, output items, output_text deltas,
// reasoning_text deltas in a reasoning item, function-call argument deltas,
// response.completed with usage (reasoning_tokens apart),
// response.incomplete under max_output_tokens, response.failed on a fault;
// the schedule (when each event is sent) on a fake clock.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseResponsesRequest } from '../../../tools/mock-server/handlers/responses.ts';
import { RequestError } from '../../../tools/mock-server/request-error.ts';
import { fakeMock, writtenEvents } from './fake-exchange.ts';
import { post, startMock, type Answer } from './protocol-client.ts';

interface Data {
  type: string;
  sequence_number: number;
  delta?: string;
  item_id?: string;
  output_index?: number;
  item?: { type: string; id: string; name?: string };
  response?: { status: string; usage: Record<string, unknown> | null; output: unknown[]; error?: { code: string } };
}

function events(answer: Answer): Data[] {
  const data = answer.events.filter((e) => !e.comment).map((e) => {
    const d = JSON.parse(e.data) as Data;
    assert.equal(e.event, d.type, 'the event: line names the data type');
    return d;
  });
  assert.deepEqual(data.map((d) => d.sequence_number), data.map((_, i) => i), 'sequence numbers rise from 0 by 1');
  return data;
}

describe('parseResponsesRequest', () => {
  it('reads input as a string or items, instructions, max_output_tokens and tools', () => {
    const request = parseResponsesRequest(JSON.stringify({ input: '12345678', instructions: '1234', max_output_tokens: 7, tools: [{ type: 'function', name: 'f' }] }));
    assert.deepEqual(request, {
      model: 'mock-llm',
      stream: false,
      includeUsage: true,
      maxTokens: 7,
      promptTokens: 3,
      // The instructions read as a system message before the input, for the prefix cache.
      pieces: [
        { kind: 'text', role: 'system', text: '1234' },
        { kind: 'text', role: 'user', text: '12345678' },
      ],
      ignoreEos: false,
      minTokens: null,
      toolName: 'f',
    });
    assert.equal(parseResponsesRequest('{"input":[{"role":"user","content":[{"type":"input_text","text":"12345"}]}]}').promptTokens, 2);
    assert.throws(() => parseResponsesRequest('{"messages":[]}'), (e: unknown) => e instanceof RequestError && e.status === 400 && /'input'/.test(e.message));
  });
});

describe('POST /v1/responses', () => {
  it('streams output_text deltas between created and completed, with usage', async () => {
    const { root, server } = await startMock({ ttftMs: 40, itlMs: 25, outputTokens: 8, keepaliveEvery: 2 });
    const answer = await post(root, '/v1/responses', { input: 'Say something, please.', stream: true });
    const data = events(answer);
    assert.deepEqual(data.map((d) => d.type), [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(8).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const tokens = [0, 1, 2, 3, 4, 5, 6, 7];
    assert.deepEqual(data.filter((d) => d.delta !== undefined).map((d) => d.delta), tokens.map((i) => ` tok${i}`));
    const completed = data.at(-1)!.response!;
    assert.equal(completed.status, 'completed');
    assert.deepEqual(completed.usage, { input_tokens: 6, input_tokens_details: { cached_tokens: 0 }, output_tokens: 8, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 14 });
    assert.ok(answer.events.some((e) => e.comment), 'keep-alive comments are sent');
    assert.ok(!answer.raw.includes('[DONE]'));
    assert.deepEqual(server.stats().protocols['openai-responses'], { requests: 1, streams: 1, reasoningTokens: 0, answerTokens: 8, toolCalls: 0 });
  });

  it('streams reasoning in a reasoning item first, and counts reasoning_tokens apart', async () => {
    const { root, server } = await startMock({ outputTokens: 5, reasoningTokens: 3 });
    const data = events(await post(root, '/v1/responses', { input: 'x', stream: true }));
    assert.deepEqual(data.filter((d) => d.type === 'response.output_item.added').map((d) => [d.output_index, d.item!.type]), [[0, 'reasoning'], [1, 'message']]);
    const deltas = data.filter((d) => d.type.endsWith('.delta')).map((d) => [d.type, d.output_index, d.delta]);
    assert.deepEqual(deltas, [
      ['response.reasoning_text.delta', 0, ' tok0'],
      ['response.reasoning_text.delta', 0, ' tok1'],
      ['response.reasoning_text.delta', 0, ' tok2'],
      ['response.output_text.delta', 1, ' tok3'],
      ['response.output_text.delta', 1, ' tok4'],
    ]);
    const usage = data.at(-1)!.response!.usage!;
    assert.equal(usage.output_tokens, 5);
    assert.deepEqual(usage.output_tokens_details, { reasoning_tokens: 3 });
    assert.deepEqual(server.stats().protocols['openai-responses'], { requests: 1, streams: 1, reasoningTokens: 3, answerTokens: 2, toolCalls: 0 });
  });

  it('answers a request with tools by a function_call whose arguments stream as deltas', async () => {
    const { root } = await startMock({ ttftMs: 60, outputTokens: 3, toolCalls: true });
    const answer = await post(root, '/v1/responses', { input: 'x', stream: true, tools: [{ type: 'function', name: 'get_weather' }] });
    const data = events(answer);
    const addedAt = data.findIndex((d) => d.type === 'response.output_item.added');
    const added = data[addedAt]!;
    assert.equal(added.item!.type, 'function_call');
    assert.equal(added.item!.name, 'get_weather');
    const args = data.filter((d) => d.type === 'response.function_call_arguments.delta').map((d) => d.delta!);
    assert.equal(args.length, 3);
    assert.deepEqual(JSON.parse(args.join('')), { input: ' tok0 tok1 tok2' });
    assert.equal(data.at(-1)!.type, 'response.completed');
  });

  it('ends with response.incomplete under max_output_tokens, and response.failed on a stream_error fault', async () => {
    const { root, server } = await startMock({ outputTokens: 5 });
    const cut = events(await post(root, '/v1/responses', { input: 'x', stream: true, max_output_tokens: 2 }));
    assert.equal(cut.at(-1)!.type, 'response.incomplete');
    assert.equal(cut.at(-1)!.response!.status, 'incomplete');
    assert.equal(cut.at(-1)!.response!.usage!.output_tokens, 2);
    server.setConfig({ faultRate: 1, faults: 'stream_error', faultAfterTokens: 1 });
    const failed = events(await post(root, '/v1/responses', { input: 'x', stream: true }));
    assert.equal(failed.at(-1)!.type, 'response.failed');
    assert.equal(failed.at(-1)!.response!.error!.code, 'server_error');
    assert.equal(failed.filter((d) => d.type === 'response.output_text.delta').length, 1);
  });

  it('answers the whole response object when not streamed', async () => {
    const { root } = await startMock({ outputTokens: 3, reasoningTokens: 1 });
    const body = JSON.parse((await post(root, '/v1/responses', { input: 'x', model: 'g' })).raw);
    assert.equal(body.object, 'response');
    assert.equal(body.status, 'completed');
    assert.equal(body.model, 'g');
    assert.deepEqual(body.output.map((o: { type: string }) => o.type), ['reasoning', 'message']);
    assert.equal(body.output[1].content[0].text, ' tok1 tok2');
    assert.deepEqual(body.usage.output_tokens_details, { reasoning_tokens: 1 });
  });
});

describe('POST /v1/responses on a fake clock', () => {
  it('writes the opening events at once, output_text delta i alone at exactly ttft + i × itl, and the close with the last', () => {
    const mock = fakeMock({ ttftMs: 40, itlMs: 25, outputTokens: 8, keepaliveEvery: 0 });
    const res = mock.post('/v1/responses', { input: 'Say something, please.', stream: true });
    mock.clock.runAll();
    const tokens = [0, 1, 2, 3, 4, 5, 6, 7];
    assert.deepEqual(res.writes.map((w) => w.at), [0, ...tokens.map((i) => 40 + 25 * i)]);
    const writes = res.writes.map((w) => writtenEvents(w.text));
    assert.deepEqual(writes.map((events) => events.map((e) => e.event)), [
      ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added'],
      ...tokens.slice(0, -1).map(() => ['response.output_text.delta']),
      ['response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed'],
    ]);
    assert.deepEqual(writes.slice(1).map((events) => events[0]!.data.delta), tokens.map((i) => ` tok${i}`));
    mock.close();
  });

  it('adds the function_call item with the first argument token at the TTFT, not with the stream (its name is generated output)', () => {
    const mock = fakeMock({ ttftMs: 60, itlMs: 10, outputTokens: 3, toolCalls: true, keepaliveEvery: 0 });
    const res = mock.post('/v1/responses', { input: 'x', stream: true, tools: [{ type: 'function', name: 'get_weather' }] });
    mock.clock.runAll();
    assert.deepEqual(res.writes.map((w) => w.at), [0, 60, 70, 80]);
    const writes = res.writes.map((w) => writtenEvents(w.text));
    assert.deepEqual(writes.map((events) => events.map((e) => e.event)), [
      ['response.created', 'response.in_progress'],
      ['response.output_item.added', 'response.function_call_arguments.delta'],
      ['response.function_call_arguments.delta'],
      ['response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.output_item.done', 'response.completed'],
    ]);
    assert.equal(writes[1]![0]!.data.item.type, 'function_call');
    mock.close();
  });
});
