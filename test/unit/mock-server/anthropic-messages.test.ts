// POST /v1/messages: x-api-key auth and the anthropic-version header with
// Anthropic's error shape; the event sequence of a stream (message_start with
// input usage, block start/delta/stop, ping, message_delta with output usage
// and stop reason, message_stop), thinking then text, a tool_use block with
// input_json_delta, faults as `event: error`, the whole message; the schedule
// and the refusal at capacity on a fake clock.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessagesRequest } from '../../../tools/mock-server/handlers/anthropic-messages.ts';
import { RequestError } from '../../../tools/mock-server/request-error.ts';
import { FakeClock, until } from './fake-clock.ts';
import { fakeMock, writtenEvents } from './fake-exchange.ts';
import { post, startMock, type Answer } from './protocol-client.ts';

const VERSION = { 'anthropic-version': '2023-06-01' };
const MESSAGES = [{ role: 'user', content: 'Say something, please.' }];
const TOOLS = [{ name: 'get_weather', input_schema: { type: 'object' } }];

interface Data {
  type: string;
  index?: number;
  delta?: Record<string, unknown>;
  content_block?: Record<string, unknown>;
  usage?: Record<string, unknown>;
  message?: { usage: Record<string, unknown> };
  error?: { type: string; message: string };
}

/** The (event name, parsed data) pairs of a stream; checks every event's name matches its data's type. */
function events(answer: Answer): Data[] {
  return answer.events.map((e) => {
    const data = JSON.parse(e.data) as Data;
    assert.equal(e.event, data.type, 'the event: line names the data type');
    return data;
  });
}

describe('parseMessagesRequest', () => {
  it('reads max_tokens, system and tools, and refuses what the API refuses in its shape', () => {
    const request = parseMessagesRequest(JSON.stringify({ model: 'c', messages: MESSAGES, system: '12345678', max_tokens: 9, stream: true, tools: TOOLS }));
    assert.deepEqual({ ...request, pieces: request.pieces.map((p) => (p.kind === 'text' ? p.role : p.kind)) }, {
      model: 'c',
      stream: true,
      includeUsage: true,
      maxTokens: 9,
      promptTokens: 8,
      pieces: ['system', ...MESSAGES.map((m) => m.role)],
      ignoreEos: false,
      minTokens: null,
      toolName: 'get_weather',
    });
    for (const [body, pattern] of [
      ['{"messages":[]}', /max_tokens: Field required/],
      ['{"max_tokens":5}', /messages: Field required/],
      ['not json', /invalid JSON/],
    ] as const) {
      assert.throws(
        () => parseMessagesRequest(body),
        (e: unknown) => e instanceof RequestError && e.status === 400 && pattern.test(e.message) && JSON.parse(e.body!).error.type === 'invalid_request_error',
      );
    }
  });
});

describe('POST /v1/messages', () => {
  it('refuses a missing or wrong x-api-key with 401 authentication_error, and a missing anthropic-version with 400', async () => {
    const { root, server } = await startMock({ apiKey: 'sk-ant' });
    const body = { messages: MESSAGES, max_tokens: 4 };
    for (const headers of [VERSION, { ...VERSION, 'x-api-key': 'wrong' }, { ...VERSION, Authorization: 'Bearer sk-ant' }]) {
      const answer = await post(root, '/v1/messages', body, headers);
      assert.equal(answer.status, 401);
      const error = JSON.parse(answer.raw);
      assert.equal(error.type, 'error');
      assert.equal(error.error.type, 'authentication_error');
      assert.ok(!answer.raw.includes('sk-ant'), 'the key is never echoed');
    }
    const noVersion = await post(root, '/v1/messages', body, { 'x-api-key': 'sk-ant' });
    assert.equal(noVersion.status, 400);
    assert.equal(JSON.parse(noVersion.raw).error.type, 'invalid_request_error');
    assert.equal((await post(root, '/v1/messages', body, { ...VERSION, 'x-api-key': 'sk-ant' })).status, 200);
    assert.equal(server.stats().protocols['anthropic-messages']!.requests, 1, 'refused requests are not counted');
  });

  it('streams message_start, a text block, ping, message_delta and message_stop', async () => {
    const { root, server } = await startMock({ ttftMs: 40, itlMs: 25, outputTokens: 8 });
    const answer = await post(root, '/v1/messages', { messages: MESSAGES, max_tokens: 100, stream: true }, VERSION);
    assert.match(answer.headers.get('content-type') ?? '', /text\/event-stream/);
    const data = events(answer);
    assert.deepEqual(
      data.map((d) => d.type),
      ['message_start', 'content_block_start', 'ping', ...Array(8).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop'],
    );
    assert.deepEqual(data[0]!.message!.usage, { input_tokens: 6, output_tokens: 1 });
    assert.deepEqual(data[1]!.content_block, { type: 'text', text: '' });
    const tokens = [0, 1, 2, 3, 4, 5, 6, 7];
    assert.deepEqual(data.slice(3, 11).map((d) => d.delta), tokens.map((i) => ({ type: 'text_delta', text: ` tok${i}` })));
    assert.deepEqual(data[12], { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 8 } });
    assert.deepEqual(server.stats().protocols['anthropic-messages'], { requests: 1, streams: 1, reasoningTokens: 0, answerTokens: 8, toolCalls: 0 });
  });

  it('streams reasoning as a thinking block, then the answer in a text block; max_tokens gives stop_reason max_tokens', async () => {
    const { root, server } = await startMock({ outputTokens: 8, reasoningTokens: 2, keepaliveEvery: 2 });
    const data = events(await post(root, '/v1/messages', { messages: MESSAGES, max_tokens: 4, stream: true }, VERSION));
    const starts = data.filter((d) => d.type === 'content_block_start').map((d) => [d.index, d.content_block!.type]);
    assert.deepEqual(starts, [[0, 'thinking'], [1, 'text']]);
    const deltas = data.filter((d) => d.type === 'content_block_delta').map((d) => [d.index, d.delta!.type, d.delta!.thinking ?? d.delta!.text ?? '']);
    assert.deepEqual(deltas, [
      [0, 'thinking_delta', ' tok0'],
      [0, 'thinking_delta', ' tok1'],
      [0, 'signature_delta', ''],
      [1, 'text_delta', ' tok2'],
      [1, 'text_delta', ' tok3'],
    ]);
    assert.deepEqual(data.filter((d) => d.type === 'content_block_stop').map((d) => d.index), [0, 1]);
    assert.equal(data[2]!.type, 'ping');
    assert.notEqual(data[3]!.type, 'ping', 'the opening ping is not doubled by the keep-alive');
    assert.ok(data.filter((d) => d.type === 'ping').length >= 2, 'keep-alives are ping events');
    assert.deepEqual(data.at(-2)!.delta, { stop_reason: 'max_tokens', stop_sequence: null });
    assert.deepEqual(data.at(-2)!.usage, { output_tokens: 4 });
    assert.deepEqual(server.stats().protocols['anthropic-messages'], { requests: 1, streams: 1, reasoningTokens: 2, answerTokens: 2, toolCalls: 0 });
  });

  it('answers a request with tools by a tool_use block whose input streams as input_json_delta', async () => {
    const { root, server } = await startMock({ ttftMs: 60, outputTokens: 3, toolCalls: true });
    const answer = await post(root, '/v1/messages', { messages: MESSAGES, max_tokens: 100, stream: true, tools: TOOLS }, VERSION);
    const data = events(answer);
    const startAt = data.findIndex((d) => d.type === 'content_block_start');
    assert.deepEqual(data[startAt]!.content_block, { type: 'tool_use', id: 'toolu_msg_mock0', name: 'get_weather', input: {} });
    assert.equal(data[startAt + 1]!.type, 'content_block_delta');
    const json = data.filter((d) => d.type === 'content_block_delta').map((d) => (assert.equal(d.delta!.type, 'input_json_delta'), d.delta!.partial_json as string));
    assert.deepEqual(JSON.parse(json.join('')), { input: ' tok0 tok1 tok2' });
    assert.equal((data.at(-2)!.delta as { stop_reason: string }).stop_reason, 'tool_use');
    assert.equal(server.stats().protocols['anthropic-messages']!.toolCalls, 1);
  });

  it('sends an in-stream fault as event: error, and the whole message when not streamed', async () => {
    const { root, server } = await startMock({ outputTokens: 4, reasoningTokens: 1 });
    const whole = JSON.parse((await post(root, '/v1/messages', { model: 'c', messages: MESSAGES, max_tokens: 100 }, VERSION)).raw);
    assert.deepEqual(whole, {
      id: 'msg_mock0',
      type: 'message',
      role: 'assistant',
      model: 'c',
      content: [
        { type: 'thinking', thinking: ' tok0', signature: whole.content[0].signature },
        { type: 'text', text: ' tok1 tok2 tok3' },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 6, output_tokens: 4 },
    });
    server.setConfig({ faultRate: 1, faults: 'stream_error', faultAfterTokens: 2 });
    const data = events(await post(root, '/v1/messages', { messages: MESSAGES, max_tokens: 100, stream: true }, VERSION));
    assert.equal(data.at(-1)!.type, 'error');
    assert.equal(data.at(-1)!.error!.type, 'api_error');
    assert.ok(!data.some((d) => d.type === 'message_stop'));
    server.setConfig({ faults: '429' });
    const limited = await post(root, '/v1/messages', { messages: MESSAGES, max_tokens: 100, stream: true }, VERSION);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.deepEqual(JSON.parse(limited.raw).error.type, 'rate_limit_error');
  });

  it('goes through the capacity model: a request beyond --max-concurrent is refused as Anthropic does when overloaded (529 overloaded_error)', async () => {
    // The clock stands still: the first request holds the only place until the clock moves.
    const clock = new FakeClock();
    const { root, server } = await startMock({ slots: 1, maxConcurrent: 1, ttftMs: 100, outputTokens: 2 }, clock);
    const first = post(root, '/v1/messages', { messages: MESSAGES, max_tokens: 100, stream: true }, VERSION);
    await until(() => server.stats().capacity?.running === 1, 'the first request runs');
    const refused = await post(root, '/v1/messages', { messages: MESSAGES, max_tokens: 100 }, VERSION);
    assert.equal(refused.status, 529);
    assert.deepEqual(JSON.parse(refused.raw), { type: 'error', error: { type: 'overloaded_error', message: 'The server is overloaded: too many requests in flight; retry later.' } });
    assert.equal((await clock.runUntil(first)).status, 200);
    assert.equal(server.stats().capacity!.rejected, 1);
  });
});

describe('POST /v1/messages on a fake clock', () => {
  it('writes the opening at once, text token i alone at exactly ttft + i × itl, and the close with the last', () => {
    const mock = fakeMock({ ttftMs: 40, itlMs: 25, outputTokens: 8, keepaliveEvery: 0 });
    const res = mock.post('/v1/messages', { messages: MESSAGES, max_tokens: 100, stream: true }, VERSION);
    mock.clock.runAll();
    const tokens = [0, 1, 2, 3, 4, 5, 6, 7];
    assert.deepEqual(res.writes.map((w) => w.at), [0, ...tokens.map((i) => 40 + 25 * i)]);
    const writes = res.writes.map((w) => writtenEvents(w.text));
    assert.deepEqual(writes.map((events) => events.map((e) => e.event)), [
      ['message_start', 'content_block_start', 'ping'],
      ...tokens.slice(0, -1).map(() => ['content_block_delta']),
      ['content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'],
    ]);
    assert.deepEqual(writes.slice(1).map((events) => events[0]!.data.delta.text), tokens.map((i) => ` tok${i}`));
    mock.close();
  });

  it('opens a tool_use block with the first argument token at the TTFT, not with the stream (its name is generated output)', () => {
    const mock = fakeMock({ ttftMs: 60, itlMs: 10, outputTokens: 3, toolCalls: true, keepaliveEvery: 0 });
    const res = mock.post('/v1/messages', { messages: MESSAGES, max_tokens: 100, stream: true, tools: TOOLS }, VERSION);
    mock.clock.runAll();
    assert.deepEqual(res.writes.map((w) => w.at), [0, 60, 70, 80]);
    assert.deepEqual(res.writes.map((w) => writtenEvents(w.text).map((e) => e.event)), [
      ['message_start', 'ping'],
      ['content_block_start', 'content_block_delta'],
      ['content_block_delta'],
      ['content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'],
    ]);
    assert.equal(writtenEvents(res.writes[1]!.text)[0]!.data.content_block.type, 'tool_use');
    mock.close();
  });
});
