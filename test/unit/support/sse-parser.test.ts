// The test SSE parser: every WHATWG framing rule LLM servers rely on, event
// times, comment counting, flush(), chunking independence (any split of the
// body text yields the same events at the times of the completing chunks),
// and the transcripts' events as recorded in test/fixtures/sse/events.json,
// which the Go parser the stream meter runs must give too
// (meter/sseread/fixtures_test.go).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSseParser, type SseEvent } from './sse-parser.ts';
import { ALL_TRANSCRIPTS, cutAt, loadTranscript, parseChunks, parseWhole, TRANSCRIPTS, type Parsed } from './transcript.ts';

/** Parses text fed as one chunk; returns only the data of the events. */
function datas(text: string): string[] {
  return parseWhole(text).events.map((e) => e.data);
}

describe('createSseParser framing', () => {
  const cases: Array<{ name: string; text: string; events: string[]; comments?: number; flushed?: boolean }> = [
    { name: 'LF line ends', text: 'data: a\n\ndata: b\n\n', events: ['a', 'b'] },
    { name: 'CRLF line ends', text: 'data: a\r\n\r\ndata: b\r\n\r\n', events: ['a', 'b'] },
    { name: 'lone CR line ends', text: 'data: a\r\rdata: b\r\r', events: ['a', 'b'] },
    { name: 'mixed line ends in one stream', text: 'data: a\r\n\ndata: b\r\rdata: c\n\r\n', events: ['a', 'b', 'c'] },
    { name: 'multi-line data joined by LF', text: 'data: one\ndata: two\r\ndata: three\r\n\n', events: ['one\ntwo\nthree'] },
    { name: 'no space after the colon', text: 'data:{"a":1}\n\n', events: ['{"a":1}'] },
    { name: 'only one leading space is removed', text: 'data:  two spaces\n\n', events: [' two spaces'] },
    { name: 'trailing spaces are kept', text: 'data: x  \n\n', events: ['x  '] },
    { name: 'colons inside the value are kept', text: 'data: {"t":"a:b","u":"c: d"}\n\n', events: ['{"t":"a:b","u":"c: d"}'] },
    { name: '"data:" with an empty value dispatches an empty event', text: 'data:\n\n', events: [''] },
    { name: '"data" without a colon is a data line with an empty value', text: 'data\n\n', events: [''] },
    { name: 'empty data lines are joined too', text: 'data:\ndata:\n\n', events: ['\n'] },
    { name: 'event, id and retry fields are ignored', text: 'event: message\nid: 7\nretry: 1000\ndata: x\n\n', events: ['x'] },
    { name: 'a field named like data but longer is ignored', text: 'datax: no\ndata : no\ndata: yes\n\n', events: ['yes'] },
    { name: 'an event without data lines is not dispatched', text: 'event: ping\nid: 3\n\n', events: [] },
    { name: 'extra blank lines dispatch nothing', text: '\n\n\r\n\rdata: a\n\n\n\n', events: ['a'] },
    { name: 'comments are counted, not dispatched', text: ': keep-alive\n\n:\n: ping\r\ndata: a\n\n', events: ['a'], comments: 3 },
    { name: 'a comment between data lines does not end the event', text: 'data: a\n: keep-alive\ndata: b\n\n', events: ['a\nb'], comments: 1 },
    { name: 'a leading BOM is stripped', text: '\uFEFFdata: a\n\n', events: ['a'] },
    { name: 'a BOM after the start is not stripped (the line is an unknown field)', text: 'data: a\n\n\uFEFFdata: b\n\n', events: ['a'] },
    { name: 'the OpenAI [DONE] sentinel is plain data', text: 'data: [DONE]\n\n', events: ['[DONE]'] },
    { name: 'a final event without its blank line is dispatched by flush', text: 'data: a\n\ndata: b\n', events: ['a', 'b'], flushed: true },
    { name: 'a final event without any line end is dispatched by flush', text: 'data: a\n\ndata: b', events: ['a', 'b'], flushed: true },
    { name: 'a final unterminated comment is counted by flush', text: 'data: a\n\n: bye', events: ['a'], comments: 1, flushed: false },
    { name: 'an empty body', text: '', events: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parsed = parseWhole(c.text);
      assert.deepEqual(
        parsed.events.map((e) => e.data),
        c.events,
      );
      assert.equal(parsed.comments, c.comments ?? 0);
      assert.equal(parsed.flushed, c.flushed ?? false);
    });
  }
});

describe('createSseParser chunk boundaries and times', () => {
  it('stamps each event with the arrival time of the chunk that completed it', () => {
    const parsed = parseChunks(
      [
        { text: 'data: a', atMs: 10 },
        { text: '\n', atMs: 20 },
        { text: '\ndata: b\n', atMs: 30 },
        { text: 'data: c\n\nda', atMs: 40 },
        { text: 'ta: d\n\n', atMs: 50 },
      ],
      99,
    );
    assert.deepEqual(parsed.events, [
      { atMs: 30, data: 'a' },
      { atMs: 40, data: 'b\nc' },
      { atMs: 50, data: 'd' },
    ]);
    assert.equal(parsed.flushed, false);
  });

  it('joins a CRLF split between CR and LF into one line end', () => {
    const parsed = parseChunks(
      [
        { text: 'data: a\r', atMs: 1 },
        { text: '\ndata: b\r', atMs: 2 },
        { text: '\n\r', atMs: 3 },
        { text: '\n', atMs: 4 },
      ],
      5,
    );
    // A split CRLF would otherwise read as two line ends, i.e. a blank line dispatching "a" alone.
    assert.deepEqual(parsed.events, [{ atMs: 3, data: 'a\nb' }]);
  });

  it('treats a CR at the end of a chunk followed by a non-LF chunk as a lone CR', () => {
    const parsed = parseChunks(
      [
        { text: 'data: a\r', atMs: 1 },
        { text: 'data: b\r', atMs: 2 },
        { text: '\r', atMs: 3 },
      ],
      4,
    );
    assert.deepEqual(parsed.events, [{ atMs: 3, data: 'a\nb' }]);
  });

  it('keeps a line split mid-word across many chunks', () => {
    const parsed = parseChunks(
      [
        { text: 'da', atMs: 1 },
        { text: 'ta: {"choices":[{"delta":{"con', atMs: 2 },
        { text: 'tent":"Hel', atMs: 3 },
        { text: 'lo"}}]}\n', atMs: 4 },
        { text: '\n', atMs: 5 },
      ],
      6,
    );
    assert.deepEqual(parsed.events, [{ atMs: 5, data: '{"choices":[{"delta":{"content":"Hello"}}]}' }]);
  });

  it('strips a BOM split off in its own first chunk', () => {
    const parsed = parseChunks(
      [
        { text: '\uFEFF', atMs: 1 },
        { text: 'data: a\n\n', atMs: 2 },
      ],
      3,
    );
    assert.deepEqual(parsed.events, [{ atMs: 2, data: 'a' }]);
  });

  it('flush stamps the event it completes with the flush time', () => {
    const parsed = parseChunks([{ text: 'data: a\n\ndata: b\ndata: c', atMs: 10 }], 25);
    assert.deepEqual(parsed.events, [
      { atMs: 10, data: 'a' },
      { atMs: 25, data: 'b\nc' },
    ]);
    assert.equal(parsed.flushed, true);
  });

  it('flush returns false when every event was complete, and a second flush does nothing', () => {
    const events: SseEvent[] = [];
    const parser = createSseParser((e) => events.push(e));
    parser.feed('data: a\n', 1);
    assert.equal(parser.flush(2), true);
    assert.equal(parser.flush(3), false);
    parser.feed('data: b\n\n', 4);
    assert.equal(parser.flush(5), false);
    assert.deepEqual(events, [
      { atMs: 2, data: 'a' },
      { atMs: 4, data: 'b' },
    ]);
  });

  it('flush after a trailing CR does not invent an event', () => {
    const parsed = parseChunks([{ text: 'data: a\r\n\r', atMs: 1 }], 2);
    assert.deepEqual(parsed.events, [{ atMs: 1, data: 'a' }]);
    assert.equal(parsed.flushed, false);
  });

  it('counts comments live, as they arrive', () => {
    const parser = createSseParser(() => {});
    assert.equal(parser.comments, 0);
    parser.feed(': keep-alive\n\n: keep', 1);
    assert.equal(parser.comments, 1);
    parser.feed('-alive\n', 2);
    assert.equal(parser.comments, 2);
  });

  it(
    'an empty chunk between CR and LF does not turn the CRLF into two line ends',
    () => {
      const parsed = parseChunks(
        [
          { text: 'data: a\r', atMs: 1 },
          { text: '', atMs: 2 },
          { text: '\ndata: b\r\n\r\n', atMs: 3 },
        ],
        4,
      );
      assert.deepEqual(parsed.events, [{ atMs: 3, data: 'a\nb' }]);
    },
  );

  it(
    'an empty first chunk does not stop the BOM of the next chunk from being stripped',
    () => {
      const parsed = parseChunks(
        [
          { text: '', atMs: 1 },
          { text: '\uFEFFdata: a\n\n', atMs: 2 },
        ],
        3,
      );
      assert.deepEqual(parsed.events, [{ atMs: 2, data: 'a' }]);
    },
  );
});

// Chunking independence: feeding one char per chunk at time = char index
// tells which char completes each event; any other split must give the same
// data, and each event the time of the piece holding that char.
describe('createSseParser split invariance', () => {
  const SHORT =
    '\uFEFF: hello\r\ndata: {"a":1}\r\ndata: x\r\n\r\nevent: e\ndata: y\r\r: c\ndata: z\n\nid: 1\ndata:\n\ndata: tail';

  function charByChar(text: string): Parsed {
    return parseChunks(
      Array.from({ length: text.length }, (_, i) => ({ text: text[i] as string, atMs: i })),
      text.length,
    );
  }

  it('the one-char-per-chunk reference agrees with a single chunk', () => {
    const whole = parseWhole(SHORT);
    const reference = charByChar(SHORT);
    assert.deepEqual(
      reference.events.map((e) => e.data),
      ['{"a":1}\nx', 'y', 'z', '', 'tail'],
    );
    assert.deepEqual(
      reference.events.map((e) => e.data),
      whole.events.map((e) => e.data),
    );
    assert.equal(reference.comments, 2);
    assert.equal(whole.comments, 2);
    assert.equal(reference.flushed, true);
  });

  it('every split into three non-empty pieces yields the same events at the right times', () => {
    const reference = charByChar(SHORT);
    const n = SHORT.length;
    let checked = 0;
    for (let i = 1; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const parsed = parseChunks(cutAt(SHORT, [i, j], [0, 1, 2]), 3);
        const expected = reference.events.map((e) => ({
          data: e.data,
          atMs: e.atMs >= n ? 3 : e.atMs >= j ? 2 : e.atMs >= i ? 1 : 0,
        }));
        assert.deepEqual(
          parsed.events.map((e) => ({ data: e.data, atMs: e.atMs })),
          expected,
          `split at ${i}, ${j}: ${JSON.stringify([SHORT.slice(0, i), SHORT.slice(i, j), SHORT.slice(j)])}`,
        );
        assert.equal(parsed.comments, reference.comments, `comments, split at ${i}, ${j}`);
        assert.equal(parsed.flushed, true);
        checked++;
      }
    }
    assert.equal(checked, ((n - 1) * (n - 2)) / 2);
  });

  for (const name of TRANSCRIPTS) {
    it(`${name}: every split into two pieces yields the events of the whole transcript`, () => {
      const raw = loadTranscript(name);
      const reference = charByChar(raw);
      const whole = parseWhole(raw);
      assert.deepEqual(
        whole.events.map((e) => e.data),
        reference.events.map((e) => e.data),
      );
      for (let i = 1; i < raw.length; i++) {
        const parsed = parseChunks(cutAt(raw, [i], [0, 1]), 2);
        const expected = reference.events.map((e) => ({
          atMs: e.atMs >= raw.length ? 2 : e.atMs >= i ? 1 : 0,
          data: e.data,
        }));
        assert.deepEqual(parsed.events, expected, `split at ${i}`);
        assert.equal(parsed.comments, whole.comments);
        assert.equal(parsed.flushed, whole.flushed);
      }
    });
  }

  it('the CRLF transcript gives exactly the events of its LF twin', () => {
    const lf = parseWhole(loadTranscript('vllm-role-keepalive'));
    const crlfRaw = loadTranscript('vllm-role-keepalive-crlf');
    // Guards against a checkout that normalised the fixture's line ends.
    assert.ok(crlfRaw.includes('\r\n'), 'the CRLF fixture must keep its CR bytes');
    const crlf = parseWhole(crlfRaw);
    assert.deepEqual(crlf.events, lf.events);
    assert.equal(crlf.comments, lf.comments);
    assert.equal(lf.comments, 2);
    assert.equal(lf.events.length, 9);
  });

  it('the truncated transcript lacks its final blank line: its last event comes from flush', () => {
    const raw = loadTranscript('truncated');
    assert.ok(!raw.endsWith('\n\n'), 'the truncated fixture must lack its final blank line');
    assert.equal(datas(raw).length, 4);
    assert.equal(parseWhole(raw).flushed, true);
  });
});

describe('createSseParser agrees with the Go parser on the transcripts', () => {
  const recorded = JSON.parse(readFileSync(new URL('../../fixtures/sse/events.json', import.meta.url), 'utf8')) as Record<
    string,
    { events: string[]; comments: number; unterminated: boolean }
  >;

  it('events.json lists every transcript', () => {
    assert.deepEqual(
      Object.keys(recorded).filter((k) => !k.startsWith('$')).sort(),
      [...ALL_TRANSCRIPTS].sort(),
    );
  });

  for (const name of ALL_TRANSCRIPTS) {
    it(`${name}: the events recorded in events.json`, () => {
      const parsed = parseWhole(loadTranscript(name));
      assert.deepEqual(
        { events: parsed.events.map((e) => e.data), comments: parsed.comments, unterminated: parsed.flushed },
        recorded[name],
      );
    });
  }
});
