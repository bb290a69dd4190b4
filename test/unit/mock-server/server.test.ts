// Mock LLM server over real HTTP: SSE event order and shapes, token counts,
// framing, auth, errors and control endpoints. What must happen when runs on
// a fake clock (fake-clock.ts), so no assertion here depends on how fast the
// machine is; the exact send times are schedule.test.ts, stopping streams
// stop.test.ts, and the schedule in real time test/k6/mock-timing.test.ts.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MOCK_CONFIG, type MockConfig } from '../../../tools/mock-server/config.ts';
import { createMockServer, type MockServer, type MockStats } from '../../../tools/mock-server/server.ts';
import { FakeClock, until } from './fake-clock.ts';

interface Started {
  server: MockServer;
  /** The /v1 base URL. */
  url: string;
  /** The server root, for /mock/* endpoints. */
  root: string;
}

const servers: MockServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Fast defaults so tests finish quickly; each test overrides what it checks. A `clock` replaces real time. */
async function start(overrides: Partial<MockConfig> = {}, clock?: FakeClock): Promise<Started> {
  const server = createMockServer({ ...DEFAULT_MOCK_CONFIG, ttftMs: 5, itlMs: 1, outputTokens: 8, quiet: true, ...overrides }, { clock });
  servers.push(server);
  const { url } = await server.listen();
  return { server, url, root: url.replace(/\/v1$/, '') };
}

interface SseEvent {
  text: string;
}

interface StreamResult {
  status: number;
  headers: Headers;
  raw: string;
  events: SseEvent[];
}

const USER = [{ role: 'user', content: 'Say something, please.' }]; // 22 chars -> 6 prompt tokens

function chatBody(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model: 'test-model', messages: USER, stream: true, ...extra });
}

/** Reads a streaming response raw, splitting events on blank lines. */
async function stream(url: string, body: string, init: RequestInit = {}): Promise<StreamResult> {
  const res = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
    ...init,
  });
  const events: SseEvent[] = [];
  let raw = '';
  let pending = '';
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = decoder.decode(value, { stream: true });
    raw += text;
    pending += text;
    let match: RegExpExecArray | null;
    while ((match = /\r?\n\r?\n/.exec(pending)) !== null) {
      events.push({ text: pending.slice(0, match.index) });
      pending = pending.slice(match.index + match[0].length);
    }
  }
  assert.equal(pending, '', 'stream ended mid-event');
  return { status: res.status, headers: res.headers, raw, events };
}

interface Chunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{ index: number; delta: { role?: string; content?: string }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function data(event: SseEvent): Chunk {
  assert.ok(event.text.startsWith('data: '), `not a data event: ${event.text}`);
  return JSON.parse(event.text.slice('data: '.length)) as Chunk;
}

function contentEvents(events: SseEvent[]): SseEvent[] {
  return events.filter((e) => {
    if (!e.text.startsWith('data: {')) return false;
    const content = data(e).choices[0]?.delta.content;
    return typeof content === 'string' && content !== '';
  });
}

async function getStats(root: string): Promise<MockStats> {
  return (await (await fetch(`${root}/mock/stats`)).json()) as MockStats;
}

describe('mock server streaming', () => {
  it('sends role, keep-alive, content, finish, usage and [DONE] in that order', async () => {
    const { url } = await start({ outputTokens: 5, keepaliveEvery: 2 });
    const result = await stream(url, chatBody({ stream_options: { include_usage: true } }));
    assert.equal(result.status, 200);
    assert.match(result.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(result.headers.get('cache-control'), 'no-cache');

    const texts = result.events.map((e) => e.text);
    // role, keep-alive, c0, c1, keep-alive, c2, c3, keep-alive, c4, finish, usage, [DONE]
    assert.equal(texts.length, 12, texts.join('\n'));
    assert.deepEqual(
      texts.map((t) => (t === ': keep-alive' ? 'ka' : t === 'data: [DONE]' ? 'done' : 'data')),
      ['data', 'ka', 'data', 'data', 'ka', 'data', 'data', 'ka', 'data', 'data', 'data', 'done'],
    );

    const role = data(result.events[0]!);
    assert.match(role.id, /^chatcmpl-/);
    assert.equal(role.object, 'chat.completion.chunk');
    assert.equal(typeof role.created, 'number');
    assert.equal(role.model, 'test-model');
    assert.deepEqual(role.choices, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);

    const contents = contentEvents(result.events).map(data);
    assert.equal(contents.length, 5);
    assert.deepEqual(
      contents.map((c) => c.choices[0]!.delta.content),
      [' tok0', ' tok1', ' tok2', ' tok3', ' tok4'],
    );
    for (const c of contents) {
      assert.equal(c.id, role.id);
      assert.deepEqual(Object.keys(c.choices[0]!.delta), ['content']);
      assert.equal(c.choices[0]!.finish_reason, null);
    }

    const finish = data(result.events[9]!);
    assert.deepEqual(finish.choices, [{ index: 0, delta: {}, finish_reason: 'stop' }]);
    assert.equal(finish.usage, undefined);

    const usage = data(result.events[10]!);
    assert.deepEqual(usage.choices, []);
    assert.deepEqual(usage.usage, { prompt_tokens: 6, completion_tokens: 5, total_tokens: 11 });
    assert.equal(result.events.at(-1)!.text, 'data: [DONE]');
  });

  it('omits keep-alive comments when keepalive-every is 0, and usage when not asked', async () => {
    const { url } = await start({ outputTokens: 4, keepaliveEvery: 0 });
    const result = await stream(url, chatBody());
    assert.ok(!result.raw.includes(': keep-alive'));
    assert.ok(!result.raw.includes('"usage"'));
    assert.equal(result.events.length, 1 + 4 + 1 + 1);
  });

  it('caps output at max_tokens with finish_reason "length"', async () => {
    const { url } = await start({ outputTokens: 10 });
    const capped = await stream(url, chatBody({ max_tokens: 3, stream_options: { include_usage: true } }));
    assert.equal(contentEvents(capped.events).length, 3);
    const finish = data(capped.events.at(-3)!);
    assert.equal(finish.choices[0]!.finish_reason, 'length');
    assert.equal(data(capped.events.at(-2)!).usage!.completion_tokens, 3);

    const viaCompletionTokens = await stream(url, chatBody({ max_completion_tokens: 4 }));
    assert.equal(contentEvents(viaCompletionTokens.events).length, 4);

    const uncapped = await stream(url, chatBody({ max_tokens: 50 }));
    assert.equal(contentEvents(uncapped.events).length, 10);
    assert.equal(data(uncapped.events.at(-2)!).choices[0]!.finish_reason, 'stop');

    const zero = await stream(url, chatBody({ max_tokens: 0 }));
    assert.equal(contentEvents(zero.events).length, 1, 'at least one token');
  });

  it('groups tokens-per-chunk tokens per chunk, the last chunk carrying the rest', async () => {
    const { url } = await start({ outputTokens: 7, tokensPerChunk: 3 });
    const result = await stream(url, chatBody({ stream_options: { include_usage: true } }));
    const contents = contentEvents(result.events).map((e) => data(e).choices[0]!.delta.content);
    assert.deepEqual(contents, [' tok0 tok1 tok2', ' tok3 tok4 tok5', ' tok6']);
    assert.equal(data(result.events.at(-2)!).usage!.completion_tokens, 7);
  });

  it('uses CRLF framing with --crlf', async () => {
    const { url } = await start({ outputTokens: 3, keepaliveEvery: 1, crlf: true });
    const result = await stream(url, chatBody());
    assert.ok(result.raw.includes('\r\n\r\n'));
    assert.ok(!/(^|[^\r])\n/.test(result.raw), 'every LF is preceded by CR');
    assert.ok(result.raw.includes(': keep-alive\r\n\r\n'));
    assert.ok(result.raw.endsWith('data: [DONE]\r\n\r\n'));
    assert.equal(contentEvents(result.events).length, 3);
  });

  it('uses LF framing by default', async () => {
    const { url } = await start({ outputTokens: 3 });
    const result = await stream(url, chatBody());
    assert.ok(!result.raw.includes('\r'));
    assert.ok(result.raw.endsWith('data: [DONE]\n\n'));
  });

  it('estimates prompt tokens from string and array content', async () => {
    const { url } = await start({ outputTokens: 2 });
    const messages = [
      { role: 'system', content: 'abcde' }, // 2
      { role: 'user', content: [{ type: 'text', text: 'abcd' }, { type: 'input_audio' }, { type: 'text', text: 'efgh' }] }, // 2
    ];
    const result = await stream(url, JSON.stringify({ messages, stream: true, stream_options: { include_usage: true } }));
    assert.deepEqual(data(result.events.at(-2)!).usage, { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
    assert.equal(data(result.events[0]!).model, 'mock-llm', 'default model name');
  });
});

describe('mock server endpoints', () => {
  it('reports the non-streaming finish_reason "length" when capped', async () => {
    const { url } = await start({ ttftMs: 0, itlMs: 0, outputTokens: 10 });
    const res = await fetch(`${url}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: USER, max_tokens: 2 }) });
    const body = (await res.json()) as { choices: Array<{ finish_reason: string; message: { content: string } }>; usage: { completion_tokens: number } };
    assert.equal(body.choices[0]!.finish_reason, 'length');
    assert.equal(body.choices[0]!.message.content, ' tok0 tok1');
    assert.equal(body.usage.completion_tokens, 2);
  });

  it('lists the model on GET /v1/models', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/models`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { object: 'list', data: [{ id: 'mock-llm', object: 'model', owned_by: 'k6-llm' }] });
  });

  it('requires the bearer key on /v1/* when --api-key is set', async () => {
    const { url, root } = await start({ apiKey: 'sk-secret' });
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: 'sk-secret' }] as Array<Record<string, string>>) {
      const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers, body: chatBody() });
      assert.equal(res.status, 401);
      const body = (await res.json()) as { error: { message: string; type: string; code: string } };
      assert.equal(body.error.type, 'invalid_request_error');
      assert.equal(body.error.code, 'invalid_api_key');
      assert.ok(body.error.message.length > 0);
    }
    assert.equal((await fetch(`${url}/models`)).status, 401);
    const ok = await stream(url, chatBody(), { headers: { Authorization: 'Bearer sk-secret', 'Content-Type': 'application/json' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.events.at(-1)!.text, 'data: [DONE]');
    assert.equal((await fetch(`${root}/mock/stats`)).status, 200, 'control endpoints stay open');
  });

  it('answers 400 to invalid JSON, a missing messages array or a bad max_tokens', async () => {
    const { url, root } = await start();
    for (const body of ['{not json', '[]', JSON.stringify({ model: 'm' }), JSON.stringify({ messages: 'hi' }), JSON.stringify({ messages: USER, max_tokens: 'ten' })]) {
      const res = await fetch(`${url}/chat/completions`, { method: 'POST', body });
      assert.equal(res.status, 400, body);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const json = (await res.json()) as { error: { message: string; type: string } };
      assert.equal(json.error.type, 'invalid_request_error');
      assert.ok(json.error.message.length > 0);
    }
    assert.equal((await getStats(root)).requests, 0, 'rejected requests are not counted');
  });

  it('answers 404 to unknown paths and methods', async () => {
    const { url, root } = await start();
    for (const [method, path] of [['GET', `${url}/nope`], ['GET', `${url}/chat/completions`], ['POST', `${root}/`], ['DELETE', `${root}/mock/stats`]] as const) {
      const res = await fetch(path, { method });
      assert.equal(res.status, 404, `${method} ${path}`);
      const json = (await res.json()) as { error: { message: string; type: string } };
      assert.equal(json.error.type, 'invalid_request_error');
      assert.match(json.error.message, /Unknown request URL/);
    }
  });

  it('applies POST /mock/config to the next request and rejects bad input', async () => {
    const clock = new FakeClock();
    const { url, root, server } = await start({ ttftMs: 10, itlMs: 1, outputTokens: 3, keepaliveEvery: 0 }, clock);
    const res = await fetch(`${root}/mock/config`, { method: 'POST', body: JSON.stringify({ ttftMs: 300 }) });
    assert.equal(res.status, 200);
    const config = (await res.json()) as MockConfig;
    assert.equal(config.ttftMs, 300);
    assert.equal(config.itlMs, 1);

    const slow = stream(url, chatBody());
    // The clock stands still, so it still reads the request's arrival time.
    await until(() => clock.waiting() === 1, 'the request reached the mock');
    assert.equal(clock.nextDue()! - clock.now(), 300, 'the first token is due 300 ms after the request');
    assert.equal(contentEvents((await clock.runUntil(slow)).events).length, 3);

    for (const [body, pattern] of [
      [JSON.stringify({ ttftMs: -1 }), /invalid ttftMs; expected a number >= 0, got -1/],
      [JSON.stringify({ ttftMS: 1 }), /unknown config key "ttftMS"; did you mean "ttftMs"\?/],
      [JSON.stringify({ port: 1 }), /port/],
      ['{oops', /invalid config/],
    ] as const) {
      const bad = await fetch(`${root}/mock/config`, { method: 'POST', body });
      assert.equal(bad.status, 400, body);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, pattern);
    }
    assert.equal(server.setConfig({}).ttftMs, 300, 'rejected partials leave the config unchanged');
  });

  it('counts requests and tokens, and zeroes them on POST /mock/reset-stats', async () => {
    const { url, root, server } = await start({ outputTokens: 4, tokensPerChunk: 2 });
    await stream(url, chatBody());
    await fetch(`${url}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: USER }) }).then((r) => r.json());
    const stats = await getStats(root);
    assert.equal(stats.requests, 2);
    assert.equal(stats.streams, 1);
    assert.equal(stats.activeStreams, 0);
    assert.equal(stats.tokensSent, 8);
    assert.equal(stats.chunksSent, 2);
    assert.equal(stats.lateness.count, 3, 'two chunks and one non-streaming body');
    assert.deepEqual(server.stats().requests, 2);
    assert.deepEqual(stats.protocols, { 'openai-chat': { requests: 2, streams: 1, reasoningTokens: 0, answerTokens: 8, toolCalls: 0 } });

    const reset = await fetch(`${root}/mock/reset-stats`, { method: 'POST' });
    assert.equal(reset.status, 200);
    const { eventLoopDelay, ...zeroed } = (await getStats(root)) as MockStats;
    // Sampled continuously, so not zero for long: only its shape is fixed.
    assert.ok(eventLoopDelay.p50 >= 0 && eventLoopDelay.p99 >= eventLoopDelay.p50 && eventLoopDelay.max >= eventLoopDelay.p99, JSON.stringify(eventLoopDelay));
    assert.deepEqual(zeroed, {
      requests: 0,
      streams: 0,
      activeStreams: 0,
      protocols: { 'openai-chat': { requests: 0, streams: 0, reasoningTokens: 0, answerTokens: 0, toolCalls: 0 } },
      aborted: 0,
      tokensSent: 0,
      chunksSent: 0,
      keepAliveCloses: 0,
      lateness: { count: 0, mean: 0, p50: 0, p99: 0, max: 0 },
      faults: { '429': 0, '500': 0, '502': 0, '503': 0, reset: 0, stall: 0, malformed: 0, stream_error: 0, empty: 0 },
      coldStarts: 0,
      warmingRejections: 0,
      downWindows: 0,
      arrivals: { count: 0, meanGapMs: 0, cv: 0, spanMs: 0 },
      embeddings: { requests: 0, inputs: 0, promptTokens: 0 },
      images: { images: 0, pixels: 0, tokens: 0 },
      promptCache: { lookups: 0, hits: 0, promptTokens: 0, cachedTokens: 0, writtenTokens: 0, blocks: 0, evictions: 0 },
    });
  });

  it('honours ignore_eos (exactly max_tokens) and min_tokens, unless --length-control=false', async () => {
    const { url, server } = await start({ ttftMs: 0, itlMs: 0, outputTokens: 8 });
    const ask = async (extra: Record<string, unknown>): Promise<{ tokens: number; finish: string }> => {
      const res = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra }),
      });
      const body = (await res.json()) as { usage: { completion_tokens: number }; choices: { finish_reason: string }[] };
      return { tokens: body.usage.completion_tokens, finish: body.choices[0]!.finish_reason };
    };
    assert.deepEqual(await ask({ max_tokens: 32 }), { tokens: 8, finish: 'stop' });
    assert.deepEqual(await ask({ max_tokens: 32, ignore_eos: true }), { tokens: 32, finish: 'length' });
    assert.deepEqual(await ask({ max_tokens: 32, min_tokens: 20 }), { tokens: 20, finish: 'stop' });
    assert.deepEqual(await ask({ max_tokens: 4, ignore_eos: true }), { tokens: 4, finish: 'length' });
    server.setConfig({ lengthControl: false });
    assert.deepEqual(await ask({ max_tokens: 32, ignore_eos: true, min_tokens: 32 }), { tokens: 8, finish: 'stop' });
    // Arrival gaps are measured for every request.
    assert.equal(server.stats().arrivals.count, 5);
  });

  it('refuses to change host or port after listen through setConfig', async () => {
    const { server } = await start();
    assert.throws(() => server.setConfig({ port: 1234 }), /already listening/);
    assert.equal(server.setConfig({ itlMs: 2 }).itlMs, 2);
  });
});
