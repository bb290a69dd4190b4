// Real k6 runs of dist/chat.js against the mock in every protocol, through
// the stream meter: TTFT at the mock's schedule, exact token counts, and for
// reasoning output TTFT at the first reasoning token, TTFO at the first answer
// token, reasoning and answer tokens counted apart. The mock's timing is the
// ground truth; `npm run bench` prints the wire-level error figures.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runWorkload, startMock } from './harness.ts';
import type { MockServer } from '../../tools/mock-server/server.ts';

/** Every generation protocol, with how the mock sends reasoning in it (null: the API has no reasoning form; reasoning is plain text). */
const PROTOCOLS: Array<{ name: string; reasoning: 'reported' | 'estimated' | null }> = [
  { name: 'openai-chat', reasoning: 'reported' },
  { name: 'openai-completions', reasoning: null },
  { name: 'anthropic-messages', reasoning: 'estimated' },
  { name: 'openai-responses', reasoning: 'reported' },
  { name: 'tgi', reasoning: null },
];

const TTFT_MS = 100;
const ITL_MS = 10;

describe('every protocol against the mock (TTFT 100 ms, ITL 10 ms, 32 tokens)', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', String(ITL_MS), '--output-tokens', '32']);
  });
  after(async () => mock.server.close());

  for (const p of PROTOCOLS) {
    test(`${p.name}: TTFT p50 within 2 ms of the schedule, exact token counts`, async (t) => {
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_PROTOCOL: p.name, LLM_VUS: '4', LLM_DURATION: '4s' });
      assert.equal(res.code, 0, res.stderr);
      const chat = res.summary?.workloads.chat;
      assert.ok(chat && chat.requests >= 12, `enough requests: ${chat?.requests}`);
      assert.equal(chat.successRate, 1);
      assert.deepEqual(chat.errors, {});
      assert.ok(chat.ttftMs && Math.abs(chat.ttftMs.p50 - TTFT_MS) <= 2, `TTFT p50 ${chat.ttftMs?.p50}`);
      // Without reasoning the first output is the first answer token.
      assert.equal(chat.ttfoMs?.p50, chat.ttftMs.p50);
      assert.ok(chat.itlMs && Math.abs(chat.itlMs.p50 - ITL_MS) <= 2, `ITL p50 ${chat.itlMs?.p50}`);
      const completed = chat.requests - chat.interrupted;
      assert.equal(chat.outputTokens, completed * 32);
      assert.equal(chat.outputTokensEstimated, 0, 'every protocol reports usage');
      assert.equal(chat.answerTokens, completed * 32);
      assert.equal(chat.reasoningTokens, 0);
      assert.equal(chat.itlMs.count, completed * 31);
      // Every request went to this protocol's own route (the mock may also count a stream k6 cut at the very end and never recorded).
      const streams = mock.server.stats().protocols[p.name]?.streams ?? 0;
      assert.ok(streams >= chat.requests && streams <= chat.requests + 4, `the mock's ${p.name} streams ${streams}, k6's requests ${chat.requests}`);
      t.diagnostic(`${p.name}: TTFT p50 ${chat.ttftMs.p50.toFixed(2)} ms, ITL p50 ${chat.itlMs.p50.toFixed(2)} ms, ${completed} requests, ${chat.outputTokens} tokens`);
    });
  }
});

describe('every protocol not streamed (whole bodies: E2E and usage only)', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    mock = await startMock(['--ttft-ms', '50', '--itl-ms', '2', '--output-tokens', '16']);
  });
  after(async () => mock.server.close());

  for (const p of PROTOCOLS) {
    test(`${p.name}: E2E at the schedule's end, exact reported tokens, no TTFT or TTFO`, async () => {
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_PROTOCOL: p.name, LLM_VUS: '2', LLM_DURATION: '2s', LLM_STREAM: 'false' });
      assert.equal(res.code, 0, res.stderr);
      const chat = res.summary?.workloads.chat;
      assert.ok(chat && chat.requests >= 4, `enough requests: ${chat?.requests}`);
      assert.equal(chat.successRate, 1);
      assert.equal(chat.ttftMs, null);
      assert.equal(chat.ttfoMs ?? null, null);
      // The whole body is sent when the last token is due: 50 + 15 × 2 ms.
      assert.ok(chat.e2eMs && chat.e2eMs.p50 >= 80 && chat.e2eMs.p50 <= 90, `E2E p50 ${chat.e2eMs?.p50}`);
      assert.equal(chat.outputTokens, (chat.requests - chat.interrupted) * 16);
      assert.equal(chat.outputTokensEstimated, 0);
    });
  }
});

describe('reasoning against the mock (16 reasoning tokens, then 48 answer tokens, 10 ms apart)', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', String(ITL_MS), '--output-tokens', '64', '--reasoning-tokens', '16']);
  });
  after(async () => mock.server.close());

  for (const p of PROTOCOLS) {
    const what = p.reasoning === null ? 'no reasoning form: every token is an answer token' : `TTFT at the mock's TTFT, TTFO 160 ms later; reasoning tokens ${p.reasoning}`;
    test(`${p.name}: ${what}`, async (t) => {
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_PROTOCOL: p.name, LLM_VUS: '4', LLM_DURATION: '5s' });
      assert.equal(res.code, 0, res.stderr);
      const chat = res.summary?.workloads.chat;
      assert.ok(chat && chat.requests >= 8, `enough requests: ${chat?.requests}`);
      assert.equal(chat.successRate, 1);
      assert.ok(chat.ttftMs && Math.abs(chat.ttftMs.p50 - TTFT_MS) <= 2, `TTFT p50 ${chat.ttftMs?.p50}`);
      const completed = chat.requests - chat.interrupted;
      assert.equal(chat.outputTokens, completed * 64);
      if (p.reasoning === null) {
        assert.equal(chat.ttfoMs?.p50, chat.ttftMs.p50);
        assert.equal(chat.reasoningTokens, 0);
        assert.equal(chat.answerTokens, completed * 64);
        return;
      }
      const ttfo = TTFT_MS + 16 * ITL_MS;
      t.diagnostic(`${p.name}: TTFT p50 ${chat.ttftMs.p50.toFixed(2)} ms, TTFO p50 ${chat.ttfoMs?.p50.toFixed(2)} ms, reasoning ${chat.reasoningTokens}, answer ${chat.answerTokens}, ${completed} requests`);
      assert.ok(chat.ttfoMs && Math.abs(chat.ttfoMs.p50 - ttfo) <= 2, `TTFO p50 ${chat.ttfoMs?.p50}, expected ${ttfo}`);
      assert.equal(chat.reasoningTokens, completed * 16);
      assert.equal(chat.answerTokens, completed * 48);
      assert.equal(chat.reasoningTokensEstimated, p.reasoning === 'estimated' ? completed * 16 : 0);
      assert.match(res.stdout, /TTFO \(ms\)/);
      assert.match(res.stdout, new RegExp(`reasoning tokens ${completed * 16}`));
    });
  }

  test('openai-chat with reasoning in `reasoning` (newer vLLM, SGLang): the same TTFT and TTFO as with `reasoning_content`', async () => {
    const other = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', String(ITL_MS), '--output-tokens', '64', '--reasoning-tokens', '16', '--reasoning-field', 'reasoning']);
    try {
      const res = await runWorkload('chat', { LLM_BASE_URL: other.url, LLM_VUS: '4', LLM_DURATION: '4s' });
      assert.equal(res.code, 0, res.stderr);
      const chat = res.summary?.workloads.chat;
      assert.ok(chat && chat.requests >= 8, `enough requests: ${chat?.requests}`);
      // Were `reasoning` deltas not read as output, TTFT would sit at the first answer token (260 ms).
      assert.ok(chat.ttftMs && Math.abs(chat.ttftMs.p50 - TTFT_MS) <= 2, `TTFT p50 ${chat.ttftMs?.p50}`);
      assert.ok(chat.ttfoMs && Math.abs(chat.ttfoMs.p50 - (TTFT_MS + 16 * ITL_MS)) <= 2, `TTFO p50 ${chat.ttfoMs?.p50}`);
      assert.equal(chat.reasoningTokens, (chat.requests - chat.interrupted) * 16);
    } finally {
      await other.server.close();
    }
  });
});

/**
 * The protocols that take tools, and how many output events a 32-token call
 * has: chat's name rides on the first argument delta; Anthropic's tool_use
 * block start and Responses' function_call item name the tool, so they are
 * output events of their own (sent with the first argument token).
 */
const TOOL_PROTOCOLS: Array<{ name: string; outputEvents: number }> = [
  { name: 'openai-chat', outputEvents: 32 },
  { name: 'anthropic-messages', outputEvents: 33 },
  { name: 'openai-responses', outputEvents: 33 },
];

describe('tool calls against the mock (32 argument tokens)', () => {
  let mock: { server: MockServer; url: string };
  let tools: string;
  before(async () => {
    mock = await startMock(['--ttft-ms', String(TTFT_MS), '--itl-ms', String(ITL_MS), '--output-tokens', '32', '--tool-calls']);
    // The mock calls a tool only when the request offers one: LLM_TOOLS, in Anthropic's shape, mapped to each protocol's.
    tools = join(mkdtempSync(join(tmpdir(), 'k6-llm-tools-')), 'tools.json');
    writeFileSync(tools, JSON.stringify([{ name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }]));
  });
  after(async () => mock.server.close());

  for (const p of TOOL_PROTOCOLS) {
    test(`${p.name}: LLM_TOOLS reaches the wire; tool-call deltas are output: TTFT, TTFO and the token count`, async (t) => {
      const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_PROTOCOL: p.name, LLM_VUS: '2', LLM_DURATION: '3s', LLM_TOOLS: tools });
      assert.equal(res.code, 0, res.stderr);
      const chat = res.summary?.workloads.chat;
      assert.ok(chat && chat.requests >= 4, `enough requests: ${chat?.requests}`);
      assert.equal(chat.successRate, 1);
      assert.ok(chat.ttftMs && Math.abs(chat.ttftMs.p50 - TTFT_MS) <= 2, `TTFT p50 ${chat.ttftMs?.p50}`);
      assert.ok(chat.ttftMs.min >= TTFT_MS, `no tool call read before the mock's TTFT: min ${chat.ttftMs.min}`);
      assert.equal(chat.ttfoMs?.p50, chat.ttftMs.p50);
      const completed = chat.requests - chat.interrupted;
      assert.equal(chat.answerTokens, completed * 32);
      assert.equal(chat.itlMs?.count, completed * (p.outputEvents - 1));
      const stats = mock.server.stats().protocols[p.name];
      assert.ok(stats && stats.toolCalls > 0 && stats.toolCalls === stats.streams, `the mock's ${p.name} tool calls ${stats?.toolCalls} of ${stats?.streams} streams`);
      t.diagnostic(`${p.name}: TTFT p50 ${chat.ttftMs.p50.toFixed(2)} ms (min ${chat.ttftMs.min.toFixed(2)}), ${completed} requests`);
    });
  }
});

describe('auth headers per protocol', () => {
  test('x-api-key and anthropic-version for Anthropic, a bearer token elsewhere, and the key never written out', async () => {
    const key = 'sk-proto-test-7d2e';
    const mock = await startMock(['--api-key', key, '--ttft-ms', '10', '--itl-ms', '1', '--output-tokens', '4']);
    try {
      for (const protocol of ['anthropic-messages', 'tgi']) {
        const res = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_PROTOCOL: protocol, LLM_VUS: '1', LLM_DURATION: '2s' }, { LLM_API_KEY: key });
        assert.equal(res.code, 0, `${protocol}: ${res.stderr}`);
        assert.equal(res.summary?.workloads.chat?.successRate, 1, protocol);
        assert.ok(!JSON.stringify(res.summary).includes(key) && !res.stdout.includes(key) && !res.stderr.includes(key), protocol);
      }
      // A wrong key is refused in Anthropic's own way (401 on x-api-key).
      const wrong = await runWorkload('chat', { LLM_BASE_URL: mock.url, LLM_PROTOCOL: 'anthropic-messages', LLM_VUS: '1', LLM_DURATION: '2s' }, { LLM_API_KEY: 'nope' });
      assert.equal(wrong.code, 99, wrong.stderr);
      assert.ok((wrong.summary?.workloads.chat?.errors.http_4xx ?? 0) > 0, JSON.stringify(wrong.summary?.workloads.chat?.errors));
    } finally {
      await mock.server.close();
    }
  });
});
