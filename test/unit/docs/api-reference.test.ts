// The API reference: docs/api.md is what tools/docs/api-reference.ts makes
// of src/index.ts now (regenerated in memory), every export and every
// member it lists has TSDoc, and the generator keeps the entry's sections,
// shows signatures and fields, and names what lacks TSDoc (on a small entry
// of its own).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { API_MD, apiReference } from '../../../tools/docs/api-reference.ts';
import { staleness } from './pages.ts';

describe('the API reference (docs/api.md)', () => {
  const reference = apiReference();

  it('is up to date with src/index.ts and its TSDoc', () => {
    const stale = staleness(readFileSync(API_MD, 'utf8'), reference.markdown);
    assert.equal(stale, null, `docs/api.md is stale: run npm run docs:api and commit it (${stale})`);
  });

  it('has TSDoc on every export of src/index.ts and every member it lists', () => {
    assert.deepEqual(reference.undocumented, [], `without TSDoc (add a /** ... */ comment on each): ${reference.undocumented.join(', ')}`);
  });

  it('groups by the entry\'s section comments, shows kinds, signatures and fields, and names what lacks TSDoc', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-api-'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2020', strict: true, allowImportingTsExtensions: true, noEmit: true, types: [] } }),
    );
    writeFileSync(
      join(dir, 'index.ts'),
      [
        '// A tiny library.',
        '',
        '// Doing things.',
        "export { add, bare } from './mod.ts';",
        '',
        "export type { Shape, Box } from './mod.ts';",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'mod.ts'),
      [
        '/** Adds `a` and `b`. */',
        'export function add(a: number, b = 2): number {',
        '  return a + b;',
        '}',
        'export function bare(): void {}',
        '/** A shape. */',
        'export interface Shape {',
        '  /** Width (ms); default 1. */',
        '  width: number;',
        '  height?: string;',
        '}',
        '/** A box: a shape with a depth. */',
        'export interface Box extends Shape {',
        '  /** Depth. */',
        '  depth: number;',
        '}',
      ].join('\n'),
    );
    const { markdown, undocumented } = apiReference(join(dir, 'index.ts'), join(dir, 'tsconfig.json'));
    assert.deepEqual(undocumented, ['bare', 'Shape.height']);
    const sections = markdown.split('\n').filter((l) => l.startsWith('## '));
    assert.deepEqual(sections, ['## Contents', '## Doing things', '## Types']);
    assert.ok(markdown.includes('### add\n\n*function*\n\nAdds `a` and `b`.\n\n```ts\nfunction add(a: number, b: number = 2): number\n```'), markdown);
    assert.ok(markdown.includes('- `width: number`: Width (ms); default 1.\n- `height?: string`\n'), markdown);
    // A field of an exported base is listed once, under the base.
    assert.ok(markdown.includes('### Box\n\n*interface* · extends [`Shape`](#shape)\n\nA box: a shape with a depth.\n\n- `depth: number`: Depth.\n'), markdown);
    // An export the reference would not see (export *, a declaration in the entry) stops the generator.
    writeFileSync(join(dir, 'star.ts'), "export * from './mod.ts';\n");
    assert.throws(() => apiReference(join(dir, 'star.ts'), join(dir, 'tsconfig.json')), /expected every export on an `export \{ … \} from` line, got add, bare, Shape, Box exported otherwise/);
  });
});
