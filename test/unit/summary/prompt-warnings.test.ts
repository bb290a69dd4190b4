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
import { promptChars, promptKey } from '../../../src/workloads/prompt-identity.ts';
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
  it('equal messages give equal keys; another role, content or split gives another', () => {
    assert.equal(promptKey(m(a)), promptKey(m(a.map((x) => ({ ...x })))));
    assert.notEqual(promptKey(m(a)), promptKey(m([a[0]!, { role: 'user', content: 'Hi!' }])));
    assert.notEqual(promptKey(m(a)), promptKey(m([a[0]!, { role: 'assistant', content: 'Hi' }])));
    assert.notEqual(promptKey(m([{ role: 'user', content: 'ab' }])), promptKey(m([{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }])));
  });
  it('embedding inputs are the prompt of a request without messages', () => {
    assert.notEqual(promptKey({ messages: [], inputs: ['doc 1', 'doc 2'] }), promptKey({ messages: [], inputs: ['doc 3', 'doc 4'] }));
    assert.equal(promptKey({ messages: [], inputs: ['doc 1'] }), promptKey({ messages: [], inputs: ['doc 1'] }));
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
