// Every llm_* metric k6-llm emits has its written definition: a row of the
// table in docs/metrics.md whose first cell names it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './pages.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}

test('every llm_* metric in src/ has a row in docs/metrics.md', () => {
  const declared = new Set<string>();
  for (const file of sources(join(ROOT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/new (?:Trend|Counter|Rate|Gauge)\('(llm_[a-z0-9_]+)'/g)) declared.add(m[1]!);
  }
  assert.ok(declared.size >= 30, `found ${declared.size} metrics in src/`);
  const defined = new Set<string>();
  for (const line of readFileSync(join(ROOT, 'docs', 'metrics.md'), 'utf8').split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const m of first.matchAll(/`(llm_[a-z0-9_]+)`/g)) defined.add(m[1]!);
  }
  assert.deepEqual([...declared].filter((name) => !defined.has(name)).sort(), [], 'metrics without a definition in docs/metrics.md');
});
