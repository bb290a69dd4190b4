// The OpenAI chat adapter: what readChunk makes of every kind of chunk, the
// fast path agreeing with a full JSON parse on a corpus (real transcripts plus
// adversarial strings), buildBody and readCompletion.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import {
  emptyChunkInfo,
  ONE_TOKEN,
  PARSED,
  type ChunkInfo,
  type ChunkKind,
  type CompletionInfo,
  type GenerationRequest,
} from '../../../src/protocols/protocol.ts';
import { loadTranscript, parseWhole, TRANSCRIPTS } from '../support/transcript.ts';

/** readChunk's raw answer: the kind and the caller-owned object after the call. */
function readKind(data: string): { kind: ChunkKind; into: ChunkInfo } {
  const into = emptyChunkInfo();
  const kind = openaiChat.readChunk(data, into);
  return { kind, into };
}

/** What the event carried, whichever path read it: ONE_TOKEN means one token and nothing else. */
function read(data: string): ChunkInfo {
  const { kind, into } = readKind(data);
  if (kind === ONE_TOKEN) return info({ tokens: 1 });
  assert.equal(kind, PARSED);
  return into;
}

function info(fields: Partial<ChunkInfo>): ChunkInfo {
  return { ...emptyChunkInfo(), ...fields };
}

/**
 * Reference reader written from the metric contract: always JSON.parse, a
 * chunk carries a token when some choice's delta has non-empty content,
 * reasoning_content or reasoning, or a non-empty tool_calls (or content parts) list.
 */
function referenceRead(data: string): ChunkInfo {
  const out = emptyChunkInfo();
  if (data === '[DONE]') return info({ done: true });
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return info({ malformed: true });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return info({ malformed: true });
  const chunk = parsed as Record<string, unknown>;
  if (chunk.error !== undefined && chunk.error !== null) {
    const e = chunk.error as { message?: unknown };
    out.error =
      typeof chunk.error === 'string' ? chunk.error : typeof e.message === 'string' ? e.message : JSON.stringify(chunk.error);
    return out;
  }
  const usage = chunk.usage as Record<string, unknown> | null | undefined;
  if (typeof usage === 'object' && usage !== null && !Array.isArray(usage)) {
    const details = usage.completion_tokens_details as Record<string, unknown> | undefined;
    const prompt = usage.prompt_tokens_details as Record<string, unknown> | null | undefined;
    out.usage = {
      promptTokens: typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : null,
      completionTokens: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : null,
      reasoningTokens: typeof details?.reasoning_tokens === 'number' ? details.reasoning_tokens : null,
      cachedPromptTokens: typeof prompt?.cached_tokens === 'number' ? prompt.cached_tokens : null,
      cacheWriteTokens: null,
    };
  }
  if (!Array.isArray(chunk.choices)) {
    if (out.usage === null) out.malformed = true;
    return out;
  }
  let answer = false;
  let reasoning = false;
  for (const choice of chunk.choices as Array<Record<string, unknown> | null>) {
    if (typeof choice !== 'object' || choice === null || Array.isArray(choice)) continue;
    const d = choice.delta as Record<string, unknown> | undefined;
    if (typeof d === 'object' && d !== null && !Array.isArray(d)) {
      const nonEmpty = (v: unknown): boolean => (typeof v === 'string' || Array.isArray(v)) && v.length > 0;
      if (nonEmpty(d.content) || (Array.isArray(d.tool_calls) && d.tool_calls.length > 0)) answer = true;
      if (typeof d.reasoning_content === 'string' && d.reasoning_content !== '') reasoning = true;
      if (typeof d.reasoning === 'string' && d.reasoning !== '') reasoning = true;
    }
    if (typeof choice.finish_reason === 'string') out.finishReason = choice.finish_reason;
  }
  // A chunk with answer output is an answer chunk; reasoning alone is a reasoning chunk.
  if (answer || reasoning) out.tokens = 1;
  if (reasoning && !answer) out.reasoningTokens = 1;
  return out;
}

/** The same JSON with a space after every colon and comma: the fast path's key can no longer match. */
function forceFullParse(data: string): string {
  return JSON.stringify(JSON.parse(data), null, 1);
}

const HEAD = '"id":"c1","object":"chat.completion.chunk","created":1,"model":"m"';
const delta = (d: string, finish = 'null', extra = ''): string =>
  `{${HEAD},"choices":[{"index":0,"delta":${d},"logprobs":null,"finish_reason":${finish}}]${extra}}`;

/** Hand-written chunks, each with what it must read as. */
const CASES: Array<{ name: string; data: string; expected: ChunkInfo }> = [
  { name: 'content delta', data: delta('{"content":"Hello"}'), expected: info({ tokens: 1 }) },
  { name: 'content delta with usage:null (OpenAI include_usage)', data: delta('{"content":"Hi"}', 'null', ',"usage":null'), expected: info({ tokens: 1 }) },
  { name: 'role-only first chunk', data: delta('{"role":"assistant"}'), expected: info({}) },
  { name: 'role with empty content (vLLM first chunk)', data: delta('{"role":"assistant","content":""}'), expected: info({}) },
  { name: 'role and content in one first chunk', data: delta('{"role":"assistant","content":"Hi"}'), expected: info({ tokens: 1 }) },
  { name: 'empty content', data: delta('{"content":""}'), expected: info({}) },
  { name: 'null content', data: delta('{"content":null}'), expected: info({}) },
  { name: 'empty delta', data: delta('{}'), expected: info({}) },
  { name: 'whitespace-only content is output', data: delta('{"content":" "}'), expected: info({ tokens: 1 }) },
  { name: 'content that is one escaped quote', data: delta('{"content":"\\""}'), expected: info({ tokens: 1 }) },
  { name: 'content that is one backslash', data: delta('{"content":"\\\\"}'), expected: info({ tokens: 1 }) },
  { name: 'content with escaped quotes around a key-like text', data: delta('{"content":"say \\"content\\":\\"\\" now"}'), expected: info({ tokens: 1 }) },
  { name: 'the literal "content":"" inside reasoning text before an empty content', data: delta('{"reasoning_content":"\\"content\\":\\"x\\"","content":""}'), expected: info({ tokens: 1, reasoningTokens: 1 }) },
  { name: 'the literal "content":"" inside a role-only chunk\'s other string', data: delta('{"role":"assistant","content":""}', 'null', ',"note":"\\"content\\":\\"x\\""'), expected: info({}) },
  { name: 'the words finish_reason, usage and error inside content', data: delta('{"content":"\\"finish_reason\\":\\"stop\\", \\"usage\\":{, \\"error\\""}'), expected: info({ tokens: 1 }) },
  { name: 'unicode escapes in content', data: delta('{"content":"\\u00e9t\\u00e9 \\ud83d\\ude00"}'), expected: info({ tokens: 1 }) },
  { name: 'raw multi-byte content', data: delta('{"content":"日本語 🚀"}'), expected: info({ tokens: 1 }) },
  { name: 'reasoning_content delta', data: delta('{"reasoning_content":"Okay"}'), expected: info({ tokens: 1, reasoningTokens: 1 }) },
  { name: 'reasoning delta', data: delta('{"reasoning":"Hmm"}'), expected: info({ tokens: 1, reasoningTokens: 1 }) },
  { name: 'reasoning with empty content (Ollama)', data: delta('{"role":"assistant","content":"","reasoning":"Hmm"}'), expected: info({ tokens: 1, reasoningTokens: 1 }) },
  { name: 'reasoning and answer text in one chunk is an answer chunk', data: delta('{"reasoning_content":"so","content":"Paris"}'), expected: info({ tokens: 1 }) },
  { name: 'answer text then reasoning in one chunk is an answer chunk', data: delta('{"content":"Paris","reasoning":"so"}'), expected: info({ tokens: 1 }) },
  { name: 'reasoning_content null beside answer text takes the fast path', data: delta('{"content":"Paris","reasoning_content":null}'), expected: info({ tokens: 1 }) },
  { name: 'reasoning_content with null content', data: delta('{"content":null,"reasoning_content":"so"}'), expected: info({ tokens: 1, reasoningTokens: 1 }) },
  { name: 'empty reasoning_content', data: delta('{"reasoning_content":""}'), expected: info({}) },
  { name: 'tool_calls delta with the function name', data: delta('{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}'), expected: info({ tokens: 1 }) },
  { name: 'tool_calls arguments delta', data: delta('{"tool_calls":[{"index":0,"function":{"arguments":"{\\"content\\":\\""}}]}'), expected: info({ tokens: 1 }) },
  { name: 'empty tool_calls list', data: delta('{"tool_calls":[]}'), expected: info({}) },
  { name: 'content parts list', data: delta('{"content":[{"type":"text","text":"hi"}]}'), expected: info({ tokens: 1 }) },
  { name: 'finish chunk with empty delta', data: delta('{}', '"stop"'), expected: info({ finishReason: 'stop' }) },
  { name: 'finish chunk with empty content', data: delta('{"content":""}', '"length"'), expected: info({ finishReason: 'length' }) },
  { name: 'last content and finish in one chunk', data: delta('{"content":"."}', '"stop"'), expected: info({ tokens: 1, finishReason: 'stop' }) },
  {
    name: 'usage chunk with empty choices',
    data: `{${HEAD},"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}`,
    expected: info({ usage: { promptTokens: 12, completionTokens: 5, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
  },
  {
    name: 'usage chunk without choices',
    data: '{"usage":{"prompt_tokens":3,"completion_tokens":4}}',
    expected: info({ usage: { promptTokens: 3, completionTokens: 4, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
  },
  {
    name: 'content chunk with continuous usage stats',
    data: delta('{"content":"a"}', 'null', ',"usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}'),
    expected: info({ tokens: 1, usage: { promptTokens: 7, completionTokens: 2, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
  },
  {
    name: 'usage with completion_tokens_details.reasoning_tokens',
    data: `{${HEAD},"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":64,"total_tokens":76,"completion_tokens_details":{"reasoning_tokens":16}}}`,
    expected: info({ usage: { promptTokens: 12, completionTokens: 64, reasoningTokens: 16, cachedPromptTokens: null, cacheWriteTokens: null } }),
  },
  {
    name: 'usage without numbers',
    data: `{${HEAD},"choices":[],"usage":{}}`,
    expected: info({ usage: { promptTokens: null, completionTokens: null, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null } }),
  },
  { name: '[DONE]', data: '[DONE]', expected: info({ done: true }) },
  {
    name: 'error object with message',
    data: '{"error":{"object":"error","message":"CUDA out of memory","type":"InternalServerError","code":500}}',
    expected: info({ error: 'CUDA out of memory' }),
  },
  { name: 'error string', data: '{"error":"overloaded"}', expected: info({ error: 'overloaded' }) },
  { name: 'error object without message', data: '{"error":{"code":500}}', expected: info({ error: '{"code":500}' }) },
  { name: 'error null is no error', data: delta('{"content":"x"}', 'null', ',"error":null'), expected: info({ tokens: 1 }) },
  { name: 'not JSON', data: '<html>502 Bad Gateway</html>', expected: info({ malformed: true }) },
  { name: 'truncated JSON without content', data: `{${HEAD},"choices":[{"index":0,"delta":{},"finish_reason":"st`, expected: info({ malformed: true }) },
  { name: 'JSON array', data: '[1,2]', expected: info({ malformed: true }) },
  { name: 'JSON string', data: '"hello"', expected: info({ malformed: true }) },
  { name: 'JSON null', data: 'null', expected: info({ malformed: true }) },
  { name: 'object with neither choices nor usage', data: '{"id":"x"}', expected: info({ malformed: true }) },
  { name: 'empty data', data: '', expected: info({ malformed: true }) },
  { name: '[DONE] with a trailing space is not the sentinel', data: '[DONE] ', expected: info({ malformed: true }) },
];

describe('openaiChat.readChunk', () => {
  for (const c of CASES) {
    it(c.name, () => {
      assert.deepEqual(read(c.data), c.expected);
      assert.deepEqual(referenceRead(c.data), c.expected, 'the reference reader agrees with the expectation');
    });
  }

  it('answers ONE_TOKEN for a plain content delta and leaves the caller-owned object untouched', () => {
    const into = info({ tokens: 7, finishReason: 'sentinel', done: true, error: 'left over', malformed: true });
    const before = { ...into };
    assert.equal(openaiChat.readChunk(delta('{"content":"Hello"}'), into), ONE_TOKEN);
    assert.deepEqual(into, before);
  });

  it('answers PARSED after resetting the caller-owned object', () => {
    const into = emptyChunkInfo();
    assert.equal(openaiChat.readChunk('{"error":"x"}', into), PARSED);
    assert.equal(openaiChat.readChunk('[DONE]', into), PARSED);
    assert.deepEqual(into, info({ done: true }));
    assert.equal(openaiChat.readChunk(delta('{"content":"a"}', '"stop"', ',"usage":{"prompt_tokens":1,"completion_tokens":1}'), into), PARSED);
    assert.equal(openaiChat.readChunk('nope', into), PARSED);
    assert.deepEqual(into, info({ malformed: true }));
    assert.equal(openaiChat.readChunk(delta('{"role":"assistant"}'), into), PARSED);
    assert.deepEqual(into, info({}));
  });

  it('takes the full parse whenever the chunk also ends the generation, reports usage or carries an error', () => {
    for (const data of [
      delta('{"content":"."}', '"stop"'),
      delta('{"content":"a"}', 'null', ',"usage":{"prompt_tokens":7,"completion_tokens":2}'),
      delta('{"content":"x"}', 'null', ',"error":null'),
    ]) {
      assert.equal(readKind(data).kind, PARSED, data);
    }
  });
});

describe('openaiChat.readChunk fast path versus a full parse', () => {
  const corpus: string[] = [];
  for (const name of TRANSCRIPTS) for (const e of parseWhole(loadTranscript(name)).events) corpus.push(e.data);
  for (const c of CASES) corpus.push(c.data);

  it(`agrees with the always-parse reference on ${corpus.length} chunks (transcripts and hand-written)`, () => {
    let valid = 0;
    for (const data of corpus) {
      let isJson = true;
      try {
        JSON.parse(data);
      } catch {
        isJson = false;
      }
      if (!isJson && data !== '[DONE]') continue; // invalid JSON: see the truncated-chunk test below
      valid++;
      assert.deepEqual(read(data), referenceRead(data), data);
    }
    assert.ok(valid > 60, `only ${valid} valid chunks in the corpus`);
  });

  it('gives the same reading when the same JSON is re-spaced so the fast path cannot match', () => {
    let fast = 0;
    for (const data of corpus) {
      let spaced: string;
      try {
        spaced = forceFullParse(data);
      } catch {
        continue;
      }
      if (data.includes('"content":"')) fast++;
      assert.ok(!spaced.includes('"content":"'), 'the re-spaced form must defeat the fast path');
      assert.deepEqual(read(data), read(spaced), data);
    }
    assert.ok(fast > 30, `only ${fast} chunks exercised the fast path`);
  });

  it('every content chunk of the transcripts reads as one token', () => {
    for (const name of ['vllm-role-keepalive', 'openai-usage-null', 'multi-token-chunks']) {
      const events = parseWhole(loadTranscript(name)).events;
      const tokens = events.map((e) => read(e.data).tokens);
      const expected = events.map((e) => {
        const parsed = e.data === '[DONE]' ? null : (JSON.parse(e.data) as { choices: Array<{ delta?: { content?: string } }> });
        return (parsed?.choices[0]?.delta?.content ?? '') === '' ? 0 : 1;
      });
      assert.deepEqual(tokens, expected, name);
    }
  });

  it(
    'a truncated or non-OpenAI chunk that happens to hold a content key is malformed, not a token',
    () => {
      const truncated = `{${HEAD},"choices":[{"index":0,"delta":{"content":" the`;
      assert.deepEqual(referenceRead(truncated), info({ malformed: true }));
      assert.deepEqual(read(truncated), info({ malformed: true }));
      const ollamaNative = '{"model":"llama3","message":{"role":"assistant","content":"Hi"},"done":false}';
      assert.deepEqual(referenceRead(ollamaNative), info({ malformed: true }));
      assert.deepEqual(read(ollamaNative), info({ malformed: true }));
    },
  );
});

describe('openaiChat.buildBody', () => {
  const request: GenerationRequest = {
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Say "hi"' },
    ],
    maxTokens: 64,
    stream: true,
  };

  it('asks for usage in the stream when streaming', () => {
    assert.deepEqual(JSON.parse(openaiChat.buildBody(request)), {
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say "hi"' },
      ],
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends no stream_options when not streaming', () => {
    const body = JSON.parse(openaiChat.buildBody({ ...request, stream: false })) as Record<string, unknown>;
    assert.equal(body.stream, false);
    assert.equal('stream_options' in body, false);
    assert.equal(body.max_tokens, 64);
  });

  it('merges extraBody fields as given', () => {
    const body = JSON.parse(
      openaiChat.buildBody({ ...request, extraBody: { ignore_eos: true, temperature: 0, min_tokens: 64 } }),
    ) as Record<string, unknown>;
    assert.equal(body.ignore_eos, true);
    assert.equal(body.temperature, 0);
    assert.equal(body.min_tokens, 64);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('has the adapter name and path the registry and transports use', () => {
    assert.equal(openaiChat.name, 'openai-chat');
    assert.equal(openaiChat.path, '/chat/completions');
  });

  it('sends a bearer token only when there is a key', () => {
    assert.deepEqual(openaiChat.headers('sk-1'), { Authorization: 'Bearer sk-1' });
    assert.deepEqual(openaiChat.headers(null), {});
  });

  it('maps tools to OpenAI function tools', () => {
    const tools = [{ name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const body = JSON.parse(openaiChat.buildBody({ ...request, tools })) as Record<string, unknown>;
    assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: tools[0]!.parameters } }]);
    assert.equal('tools' in (JSON.parse(openaiChat.buildBody(request)) as object), false);
  });
});

describe('openaiChat.readCompletion', () => {
  const base: CompletionInfo = { outputTokens: null, promptTokens: null, reasoningTokens: null, cachedPromptTokens: null, cacheWriteTokens: null, finishReason: null, hasOutput: false, error: null, malformed: false };
  const cases: Array<{ name: string; body: string; expected: Partial<CompletionInfo> }> = [
    {
      name: 'a normal completion with usage',
      body: '{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}',
      expected: { outputTokens: 3, promptTokens: 9, finishReason: 'stop', hasOutput: true },
    },
    {
      name: 'a completion without usage',
      body: '{"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}]}',
      expected: { finishReason: 'length', hasOutput: true },
    },
    {
      name: 'an empty message',
      body: '{"choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":0}}',
      expected: { outputTokens: 0, promptTokens: 4, finishReason: 'stop' },
    },
    {
      name: 'a tool call message with null content',
      body: '{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}',
      expected: { finishReason: 'tool_calls', hasOutput: true },
    },
    {
      name: 'usage with a reasoning share',
      body: '{"choices":[{"index":0,"message":{"role":"assistant","content":"Paris","reasoning_content":"hmm"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":20,"completion_tokens_details":{"reasoning_tokens":12}}}',
      expected: { outputTokens: 20, promptTokens: 9, reasoningTokens: 12, finishReason: 'stop', hasOutput: true },
    },
    {
      name: 'reasoning only',
      body: '{"choices":[{"index":0,"message":{"role":"assistant","content":null,"reasoning_content":"hmm"},"finish_reason":"length"}]}',
      expected: { finishReason: 'length', hasOutput: true },
    },
    { name: 'an error object', body: '{"error":{"message":"model not found","type":"NotFoundError","code":404}}', expected: { error: 'model not found' } },
    { name: 'an error string', body: '{"error":"rate limited"}', expected: { error: 'rate limited' } },
    { name: 'not JSON', body: 'upstream connect error', expected: { malformed: true } },
    { name: 'a JSON array', body: '[]', expected: { malformed: true } },
    { name: 'no choices and no usage', body: '{"id":"x"}', expected: { malformed: true } },
    { name: 'empty choices and no usage', body: '{"choices":[]}', expected: { malformed: true } },
    { name: 'usage without choices', body: '{"usage":{"prompt_tokens":2,"completion_tokens":1}}', expected: { outputTokens: 1, promptTokens: 2 } },
    { name: 'a choice without a message', body: '{"choices":[{"index":0,"finish_reason":"stop"}]}', expected: { finishReason: 'stop' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(openaiChat.readCompletion(c.body), { ...base, ...c.expected });
    });
  }
});
