// The OpenAI plain-token rule, checked against the vectors the Go reader's
// test uses too, and against the always-parse reading of the adapter.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { matchesFastTokenRule } from '../../../src/protocols/fast-token-rule.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/fast-token-vectors.json', import.meta.url), 'utf8')) as {
  rule: unknown;
  cases: { name: string; data: string; fast: boolean }[];
};

test('the vectors file carries the adapter\'s rule', () => {
  assert.deepEqual(vectors.rule, openaiChat.fastTokenRule);
});

test('every vector', () => {
  for (const c of vectors.cases) {
    assert.equal(matchesFastTokenRule(openaiChat.fastTokenRule!, c.data), c.fast, c.name);
  }
});

test('a fast match is always a real token under a full parse', () => {
  for (const c of vectors.cases.filter((v) => v.fast)) {
    const parsed = JSON.parse(c.data) as { choices: { delta: { content: string } }[] };
    assert.ok(parsed.choices[0]!.delta.content.length > 0, c.name);
  }
});
