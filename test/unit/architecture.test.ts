// The layout rules that keep the code navigable, checked on every test run:
// no import circles among the files of src/, scenarios/ and tools/ (type-only
// imports count: a circle of types is still a circle to read), no source
// file over 400 lines outside tests, and the one-way arrows between rooms
// (nothing in src/k6/ or src/measure/ imports src/summary/).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');
const MAX_LINES = 400;

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir)).sort()) {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

/** Every TypeScript file of the project's code, as a path from the root. */
const CODE = ['src', 'scenarios', 'tools'].flatMap((dir) => walk(dir, (p) => p.endsWith('.ts')));

/** File → the project files it imports (relative specifiers, type-only imports included). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    const deps = info.importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.') && spec.endsWith('.ts'))
      .map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)).split('\\').join('/'));
    graph.set(file, deps);
  }
  return graph;
}

/** The import circles: strongly connected components of more than one file, or a file importing itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the code layout', () => {
  const graph = importGraph(CODE);

  it('finds the files and their imports (a sanity check of the checker)', () => {
    assert.ok(CODE.includes('src/config/config.ts') && CODE.includes('tools/cli/main.ts'));
    assert.ok(graph.get('src/summary/build.ts')?.includes('src/k6-summary-data.ts'));
    assert.deepEqual(circles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), [['a', 'b', 'c']]);
    assert.deepEqual(circles(new Map([['a', ['a']]])), [['a']]);
  });

  it('has no import circles in src/, scenarios/ and tools/', () => {
    assert.deepEqual(circles(graph), [], 'files that import each other, directly or through others');
  });

  it('k6 scripts outside src/ (scenarios/, examples/) import the library only through its public entry', () => {
    const scripts = ['scenarios', 'examples'].filter((d) => existsSync(join(ROOT, d))).flatMap((dir) => walk(dir, (p) => p.endsWith('.ts')));
    assert.ok(scripts.includes('scenarios/chat.ts') && scripts.some((f) => f.startsWith('scenarios/workloads/')), 'the check sees the built-in scripts');
    const past = scripts.flatMap((file) =>
      ts
        .preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true)
        .importedFiles.map((i) => i.fileName)
        // The public entry, k6's own modules, and files of the script's own folder tree.
        .filter((spec) => !(spec === 'k6-llm' || spec === 'k6' || spec.startsWith('k6/') || (spec.startsWith('./') && !spec.includes('..'))))
        .map((spec) => `${file} → ${spec}`),
    );
    assert.deepEqual(past, []);
  });

  it('keeps the reports pure: nothing in src/summary/ imports the k6 shell (src/k6, client, load, run)', () => {
    const shell = /^src\/(k6|client|load|run)\//;
    const backwards = [...graph].flatMap(([file, deps]) => (file.startsWith('src/summary/') ? deps.filter((d) => shell.test(d)).map((d) => `${file} → ${d}`) : []));
    assert.deepEqual(backwards, []);
  });

  it('has no arrow from src/k6/ or src/measure/ into src/summary/', () => {
    const backwards = [...graph].flatMap(([file, deps]) =>
      /^src\/(k6|measure)\//.test(file) ? deps.filter((d) => d.startsWith('src/summary/')).map((d) => `${file} → ${d}`) : [],
    );
    assert.deepEqual(backwards, []);
  });

  it(`has no source file over ${MAX_LINES} lines outside tests`, () => {
    const sources = [
      ...CODE,
      ...walk('meter', (p) => p.endsWith('.go') && !p.endsWith('_test.go')),
      ...walk('bin', (p) => /\.m?js$/.test(p)),
      'build.mjs',
    ];
    const long = sources
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    assert.deepEqual(long, []);
  });
});
