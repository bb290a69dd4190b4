// When the mock's chat answers leave it, on a fake clock and without
// sockets (fake-exchange.ts): the role chunk with the headers, each token at
// exactly t0 + ttft + i × itl, a chunk when its last token is due, a whole
// body when the last token is due, and the lateness of sends a stalled loop
// delayed, measured exactly, without moving the tokens after them. The same
// schedule over real sockets and real timers is test/k6/mock-timing.test.ts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './fake-clock.ts';
import { fakeMock, sseEvents, type RecordingResponse } from './fake-exchange.ts';

const USER = [{ role: 'user', content: 'Say something, please.' }]; // 6 prompt tokens

/** What each write carried: the content of its chunks ('' for a role or finish chunk), [DONE] as 'DONE'. */
function contents(res: RecordingResponse): string[][] {
  return res.writes.map((w) =>
    sseEvents(w.text).map((e) => {
      if (e === 'data: [DONE]') return 'DONE';
      const chunk = JSON.parse(e.slice('data: '.length)) as { choices: { delta: { content?: string }; finish_reason: string | null }[] };
      const choice = chunk.choices[0]!;
      return choice.finish_reason !== null ? `finish:${choice.finish_reason}` : (choice.delta.content ?? '');
    }),
  );
}

/** The write times relative to `t0`. */
function offsets(res: RecordingResponse, t0: number): number[] {
  return res.writes.map((w) => w.at - t0);
}

describe('the mock chat schedule, on a fake clock', () => {
  it('sends the role chunk with the headers, then token i alone at exactly ttft + i × itl after the request', () => {
    const clock = new FakeClock({ start: 5_000 });
    const mock = fakeMock({ ttftMs: 100, itlMs: 10, outputTokens: 20, keepaliveEvery: 0 }, clock);
    const res = mock.post('/v1/chat/completions', { model: 'test-model', messages: USER, stream: true });
    clock.runAll();
    assert.equal(res.statusCode, 200);
    assert.equal(res.headersAt, 5_000);
    const tokens = Array.from({ length: 20 }, (_, i) => i);
    assert.deepEqual(offsets(res, 5_000), [0, ...tokens.map((i) => 100 + 10 * i)]);
    assert.deepEqual(contents(res), [[''], ...tokens.slice(0, -1).map((i) => [` tok${i}`]), [' tok19', 'finish:stop', 'DONE']]);
    // Every send at its due time: no lateness.
    assert.deepEqual(mock.stats().lateness, { count: 20, mean: 0, p50: 0, p99: 0, max: 0 });
    assert.equal(mock.stats().activeStreams, 0);
    mock.close();
  });

  it('measures the lateness of sends a stalled event loop delayed, and keeps the later tokens on the schedule', () => {
    const clock = new FakeClock();
    const mock = fakeMock({ ttftMs: 100, itlMs: 10, outputTokens: 5, keepaliveEvery: 0 }, clock);
    const res = mock.post('/v1/chat/completions', { messages: USER, stream: true });
    clock.advanceTo(100);
    // The loop is blocked from 100 to 137: tokens 1-3 (due 110, 120, 130) go out together at 137.
    clock.jumpTo(137);
    clock.runAll();
    assert.deepEqual(offsets(res, 0), [0, 100, 137, 137, 137, 140], 'token 4 still at its own time, 140');
    assert.deepEqual(contents(res).slice(1).map((c) => c[0]), [' tok0', ' tok1', ' tok2', ' tok3', ' tok4']);
    // Lateness 0, 27, 17, 7, 0 ms; percentiles are 0.1 ms bucket edges.
    assert.deepEqual(mock.stats().lateness, { count: 5, mean: 10.2, p50: 7.1, p99: 27, max: 27 });
    mock.close();
  });

  it('sends a chunk when its last token is due (tokens-per-chunk 3 over 7 tokens)', () => {
    const mock = fakeMock({ ttftMs: 40, itlMs: 25, outputTokens: 7, tokensPerChunk: 3, keepaliveEvery: 0 });
    const res = mock.post('/v1/chat/completions', { messages: USER, stream: true });
    mock.clock.runAll();
    assert.deepEqual(offsets(res, 0), [0, 40 + 2 * 25, 40 + 5 * 25, 40 + 6 * 25]);
    assert.deepEqual(contents(res), [[''], [' tok0 tok1 tok2'], [' tok3 tok4 tok5'], [' tok6', 'finish:stop', 'DONE']]);
    mock.close();
  });

  it('weaves keep-alives into the writes of the chunks they precede, not at times of their own', () => {
    const mock = fakeMock({ ttftMs: 10, itlMs: 5, outputTokens: 5, keepaliveEvery: 2 });
    const res = mock.post('/v1/chat/completions', { messages: USER, stream: true });
    mock.clock.runAll();
    assert.deepEqual(offsets(res, 0), [0, 10, 15, 20, 25, 30]);
    assert.deepEqual(
      res.writes.map((w) => sseEvents(w.text).map((e) => (e === ': keep-alive' ? 'ka' : 'data'))),
      [['data', 'ka'], ['data'], ['data'], ['ka', 'data'], ['data'], ['ka', 'data', 'data', 'data']],
    );
    mock.close();
  });

  it('answers a non-streamed request with one body at exactly ttft + (n − 1) × itl, and nothing before', () => {
    const mock = fakeMock({ ttftMs: 50, itlMs: 10, outputTokens: 6 });
    const res = mock.post('/v1/chat/completions', { model: 'm', messages: USER });
    mock.clock.advanceTo(99.9);
    assert.equal(res.headersSent, false);
    assert.deepEqual(res.writes, []);
    mock.clock.advanceTo(100);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headersAt, 100);
    assert.deepEqual(offsets(res, 0), [100]);
    const body = JSON.parse(res.body) as { object: string; model: string; choices: unknown; usage: unknown };
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'm');
    assert.deepEqual(body.choices, [{ index: 0, message: { role: 'assistant', content: ' tok0 tok1 tok2 tok3 tok4 tok5' }, finish_reason: 'stop' }]);
    assert.deepEqual(body.usage, { prompt_tokens: 6, completion_tokens: 6, total_tokens: 12 });
    assert.deepEqual(mock.stats().lateness, { count: 1, mean: 0, p50: 0, p99: 0, max: 0 });
    mock.close();
  });

  it('stops sending when the client leaves: its timer is dropped and no token follows', () => {
    const mock = fakeMock({ ttftMs: 0, itlMs: 10, outputTokens: 1000, keepaliveEvery: 0 });
    const res = mock.post('/v1/chat/completions', { messages: USER, stream: true });
    mock.clock.advanceTo(10);
    assert.equal(mock.stats().tokensSent, 2);
    res.destroy();
    assert.equal(mock.clock.waiting(), 0);
    mock.clock.advanceTo(100_000);
    const stats = mock.stats();
    assert.deepEqual([stats.tokensSent, stats.aborted, stats.activeStreams], [2, 1, 0]);
    assert.equal(res.writes.length, 3, 'the role chunk and two tokens');
    mock.close();
  });
});
