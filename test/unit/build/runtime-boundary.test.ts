// The runtime boundary, as the build enforces it: build.mjs's own options,
// pointed at tiny temporary entries that break each rule, fail with one line
// naming the file, the import and the rule; entries that keep to it build.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

// A computed specifier: build.mjs is plain JavaScript without type declarations.
const buildModule = pathToFileURL(join(import.meta.dirname, '../../../build.mjs')).href;
const { scenarios, tools, runtimeBoundary, errorLines } = (await import(buildModule)) as {
  scenarios: esbuild.BuildOptions;
  tools: esbuild.BuildOptions;
  runtimeBoundary: (runtime: 'k6' | 'node', root: string) => esbuild.Plugin;
  errorLines: (err: unknown) => string[];
};

const root = mkdtempSync(join(tmpdir(), 'k6-llm-boundary-'));
after(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, text: string): string {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  return path;
}

/** Builds one entry with the project's options for `runtime`; the error lines, or [] when it built. */
async function build(runtime: 'k6' | 'node', entry: string): Promise<string[]> {
  const base = runtime === 'k6' ? scenarios : tools;
  try {
    await esbuild.build({
      ...base,
      entryPoints: [entry],
      absWorkingDir: root,
      outdir: 'out',
      outbase: '.',
      write: false,
      plugins: [runtimeBoundary(runtime, root)],
    });
    return [];
  } catch (err) {
    return errorLines(err);
  }
}

describe('the build enforces the runtime boundary', () => {
  it('a k6 import in a Node tool fails with one line', async () => {
    const entry = file('tools/uses-k6.ts', "import http from 'k6/http';\nexport const get = http.get;\n");
    assert.deepEqual(await build('node', entry), [
      'tools/uses-k6.ts:1:17: "k6/http" is a k6 module, and this file is bundled into a Node tool, where k6 modules do not exist (tools/ never import k6)',
    ]);
  });

  it('a k6 import reached through src/ from a Node tool fails too', async () => {
    file('src/shell.ts', "import { sleep } from 'k6';\nexport const nap = sleep;\n");
    const entry = file('tools/via-src.ts', "import { nap } from '../src/shell.ts';\nexport { nap };\n");
    const lines = await build('node', entry);
    assert.equal(lines.length, 1);
    assert.match(lines[0] as string, /^src\/shell\.ts:1:22: "k6" is a k6 module, and this file is bundled into a Node tool/);
  });

  it('a node: import in code bundled for k6 fails with one line', async () => {
    const entry = file('scenarios/uses-node.ts', "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n");
    assert.deepEqual(await build('k6', entry), [
      'scenarios/uses-node.ts:1:29: "node:fs" is a Node built-in, and this file is bundled for k6, which has no Node built-ins (src/ and scenarios/ never import node:*)',
    ]);
  });

  it('a bare Node built-in (no node: prefix) from src/ fails too', async () => {
    file('src/uses-path.ts', "import { join } from 'path';\nexport const j = join;\n");
    const entry = file('scenarios/via-src.ts', "import { j } from '../src/uses-path.ts';\nexport { j };\n");
    const lines = await build('k6', entry);
    assert.equal(lines.length, 1);
    assert.match(lines[0] as string, /^src\/uses-path\.ts:1:21: "path" is a Node built-in/);
  });

  it('src/ may not import node: even when only a Node tool bundles it', async () => {
    file('src/pure-but-not.ts', "import { cpus } from 'node:os';\nexport const n = cpus().length;\n");
    const entry = file('tools/uses-src.ts', "import { n } from '../src/pure-but-not.ts';\nexport { n };\n");
    const lines = await build('node', entry);
    assert.equal(lines.length, 1);
    assert.match(lines[0] as string, /^src\/pure-but-not\.ts:1:21: "node:os" is a Node built-in, and src\/ and scenarios\/ run inside k6 too/);
  });

  it('code that keeps to the boundary builds: tools use node:, scenarios use k6 and src/', async () => {
    file('src/pure.ts', 'export const twice = (n: number): number => 2 * n;\n');
    const tool = file('tools/fine.ts', "import { cpus } from 'node:os';\nimport { twice } from '../src/pure.ts';\nexport const n = twice(cpus().length);\n");
    const scenario = file('scenarios/fine.ts', "import { sleep } from 'k6';\nimport { twice } from '../src/pure.ts';\nexport default (): void => sleep(twice(1));\n");
    assert.deepEqual(await build('node', tool), []);
    assert.deepEqual(await build('k6', scenario), []);
  });
});
