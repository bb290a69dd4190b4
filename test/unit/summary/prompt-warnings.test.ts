// The two prompt warnings: a run that repeats its VUs' prompts measures the
// server's prompt cache; a server that reports far fewer prompt tokens than
// were sent lost the prompt. Pure functions, then through buildReport into
// the console and Markdown summaries.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../../src/summary/build.ts';
import { renderMarkdown } from '../../../src/summary/markdown.ts';
import { renderText } from '../../../src/summary/text.ts';
import { promptCacheWarning, promptLostWarning } from '../../../src/summary/prompt-warnings.ts';
import { promptChars, promptParts, samePrompt } from '../../../src/workloads/prompt-identity.ts';
import type { K6Metric, K6SummaryData } from '../../../src/k6-summary-data.ts';
import type { ChatMessage } from '../../../src/protocols/protocol.ts';

describe('promptCacheWarning', () => {
  it('warns when every request, or at least half, repeated its VU’s last prompt', () => {
    assert.match(promptCacheWarning('chat', { repeated: 36, requests: 40 }) ?? '', /^chat: 36 of 40 requests sent the same prompt its VU had just sent .*TTFT measures the cache/);
    assert.match(promptCacheWarning('chat', { repeated: 20, requests: 40 }) ?? '', /20 of 40 requests/);
    assert.match(promptCacheWarning('chat', { repeated: 5, requests: 5 }) ?? '', /^chat: every request sent/);
  });

  it('is quiet for distinct prompts, a few repeats, or no requests', () => {
    assert.equal(promptCacheWarning('chat', { repeated: 0, requests: 40 }), null);
    assert.equal(promptCacheWarning('chat', { repeated: 19, requests: 40 }), null);
    assert.equal(promptCacheWarning('chat', { repeated: 0, requests: 0 }), null);
  });
});

describe('promptLostWarning', () => {
  it('warns when the reported prompt tokens are under a quarter of chars / 4', () => {
    // 28 requests of a ~28-token prompt (110 characters) that the server read as 1 token each.
    const w = promptLostWarning('chat', { promptTokens: 28, promptChars: 28 * 110 });
    assert.match(w ?? '', /^chat: the server reported 28 prompt tokens for 3080 characters of prompt sent \(about 770 tokens at 4 characters a token\): it lost most of the prompt/);
  });

  it('is quiet when the prompt arrived (template tokens included), when too little was sent to judge, or without usage', () => {
    assert.equal(promptLostWarning('chat', { promptTokens: 38, promptChars: 110 }), null);
    // Exactly a quarter of the estimate is not "below".
    assert.equal(promptLostWarning('chat', { promptTokens: 25, promptChars: 400 }), null);
    assert.equal(promptLostWarning('chat', { promptTokens: 1, promptChars: 39 }), null);
    assert.equal(promptLostWarning('chat', { promptTokens: 0, promptChars: 0 }), null);
  });
});

describe('prompt identity', () => {
  const a: ChatMessage[] = [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Hi' },
  ];
  const m = (messages: ChatMessage[]) => ({ messages });
  const same = (x: Parameters<typeof promptParts>[0], y: Parameters<typeof promptParts>[0]) => samePrompt(promptParts(x), promptParts(y));
  it('equal messages are the same prompt; another role, content or split is another', () => {
    assert.equal(same(m(a), m(a.map((x) => ({ ...x, content: `${x.content} `.trimEnd() })))), true);
    assert.equal(same(m(a), m([a[0]!, { role: 'user', content: 'Hi!' }])), false);
    assert.equal(same(m(a), m([a[0]!, { role: 'assistant', content: 'Hi' }])), false);
    assert.equal(same(m([{ role: 'user', content: 'ab' }]), m([{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }])), false);
    assert.equal(same(m(a), m([...a, { role: 'user', content: 'more' }])), false);
  });
  it('keeps the parts: a message changed after the request does not change the prompt it sent', () => {
    const sent: ChatMessage[] = [{ role: 'user', content: 'first' }];
    const parts = promptParts(m(sent));
    sent[0]!.content = 'second';
    assert.equal(samePrompt(parts, promptParts(m(sent))), false);
  });
  it('embedding inputs are the prompt of a request without messages', () => {
    assert.equal(same({ messages: [], inputs: ['doc 1', 'doc 2'] }, { messages: [], inputs: ['doc 3', 'doc 4'] }), false);
    assert.equal(same({ messages: [], inputs: ['doc 1'] }, { messages: [], inputs: ['doc 1'] }), true);
    assert.equal(same({ messages: [{ role: 'user', content: 'doc 1' }] }, { messages: [], inputs: ['user', 'doc 1'] }), false);
    assert.equal(promptChars({ messages: [], inputs: ['doc 1', 'doc 22'] }), 11);
  });
  it('counts the content characters', () => {
    assert.equal(promptChars(m(a)), 30);
  });
});

describe('buildReport with the prompt metrics', () => {
  const counter = (count: number): K6Metric => ({ type: 'counter', values: { count, rate: count / 10 } });
  const rate = (passes: number, fails: number): K6Metric => ({ type: 'rate', values: { rate: passes / (passes + fails), passes, fails } });
  const data = (metrics: Record<string, K6Metric>): K6SummaryData => ({
    metrics: { 'llm_requests{workload:chat}': counter(10), 'llm_request_success{workload:chat}': rate(10, 0), ...metrics },
    state: { testRunDurationMs: 10_000 },
  });
  const CHAT = [{ workload: 'chat', spec: null }];

  it('a fixed prompt on 1 VU: the cache warning in the report, the console and the Markdown summary', () => {
    const report = buildReport(data({ 'llm_prompt_repeated{workload:chat}': rate(9, 1) }), CHAT, {}, 5);
    const warning = report.warnings.find((w) => w.startsWith('chat: 9 of 10 requests sent the same prompt'));
    assert.ok(warning, report.warnings.join('\n'));
    assert.ok(renderText(report).includes(`WARNING: ${warning}`));
    assert.ok(renderMarkdown(report).includes(warning));
  });

  it('a lost prompt: the warning; distinct prompts that arrived: neither', () => {
    const lost = buildReport(data({ 'llm_prompt_tokens{workload:chat}': counter(10), 'llm_prompt_chars{workload:chat}': counter(1100), 'llm_prompt_repeated{workload:chat}': rate(0, 10) }), CHAT, {}, 5);
    assert.ok(lost.warnings.some((w) => w.startsWith('chat: the server reported 10 prompt tokens for 1100 characters')), lost.warnings.join('\n'));
    const fine = buildReport(data({ 'llm_prompt_tokens{workload:chat}': counter(380), 'llm_prompt_chars{workload:chat}': counter(1100), 'llm_prompt_repeated{workload:chat}': rate(0, 10) }), CHAT, {}, 5);
    assert.ok(!fine.warnings.some((w) => /prompt/.test(w)), fine.warnings.join('\n'));
  });
});
