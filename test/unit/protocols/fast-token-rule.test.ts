// Every adapter's plain-token rule, checked against the vectors the Go
// reader's test uses too, and against the adapter's always-parse reading: a
// fast match is always one answer token and nothing else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { matchesFastTokenRule } from '../../../src/protocols/fast-token-rule.ts';
import { PROTOCOLS } from '../../../src/protocols/index.ts';
import { emptyChunkInfo, PARSED } from '../../../src/protocols/protocol.ts';

type Case = { name: string; data: string; fast: boolean };
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/fast-token-vectors.json', import.meta.url), 'utf8')) as {
  protocols: Record<string, { rule: unknown; cases: Case[] }>;
};

test('the vectors file carries every adapter that has a rule, with its rule', () => {
  const withRule = Object.values(PROTOCOLS).filter((a) => a.fastTokenRule !== undefined).map((a) => a.name);
  assert.deepEqual(Object.keys(vectors.protocols).sort(), withRule.sort());
  for (const [name, v] of Object.entries(vectors.protocols)) assert.deepEqual(v.rule, PROTOCOLS[name]!.fastTokenRule, name);
});

for (const [name, v] of Object.entries(vectors.protocols)) {
  const adapter = PROTOCOLS[name]!;

  test(`${name}: every vector`, () => {
    assert.ok(v.cases.some((c) => c.fast) && v.cases.some((c) => !c.fast), 'both outcomes covered');
    for (const c of v.cases) assert.equal(matchesFastTokenRule(adapter.fastTokenRule!, c.data), c.fast, c.name);
  });

  test(`${name}: a fast match is one answer token and nothing else under the full parse`, () => {
    for (const c of v.cases.filter((x) => x.fast)) {
      // The same JSON re-spaced defeats the rule, so readChunk must parse it.
      const spaced = JSON.stringify(JSON.parse(c.data), null, 1);
      const into = emptyChunkInfo();
      assert.equal(adapter.readChunk(spaced, into), PARSED, c.name);
      assert.deepEqual(into, { ...emptyChunkInfo(), tokens: 1 }, c.name);
    }
  });
}
