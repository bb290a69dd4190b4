// lib/k6-llm.d.ts: tsc's per-file declarations joined into one module
// (tools/pack/dts-bundle.ts), and the real library's types as a script
// beside lib/k6-llm.js sees them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../../../tools/provision/k6.ts';
import { bundleDeclarations, DtsBundleError } from '../../../tools/pack/dts-bundle.ts';
import { bundleExports, checkDeclarations, libraryTypes } from '../../../tools/pack/library-types.ts';

const root = repoRoot();
const typeRoots = [join(root, 'node_modules', '@types')];
const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('bundleDeclarations', () => {
  test('two files declaring the same name do not collide; the entry re-exports one of each', () => {
    const dts = bundleDeclarations(
      files({
        'src/index.d.ts': "export { gamma } from './random.ts';\nexport { gamma as gammaArrivals, type Pattern } from './arrivals/gamma.ts';\n",
        'src/random.d.ts': 'export declare function gamma(shape: number): number;\n',
        'src/arrivals/gamma.d.ts': "import { gamma as draw } from '../random.ts';\nexport interface Pattern { draw: typeof draw }\nexport declare const gamma: Pattern;\n",
      }),
      'src/index.d.ts',
    );
    const problem = checkDeclarations(dts, "import { gamma, gammaArrivals, type Pattern } from './k6-llm.js';\nconst n: number = gamma(2);\nconst p: Pattern = gammaArrivals;\nexport const x: number = n + p.draw(1);\n", typeRoots);
    assert.equal(problem, null, dts);
    // And the checker does see a wrong use: the arrivals' gamma is not a function.
    assert.match(checkDeclarations(dts, "import { gammaArrivals } from './k6-llm.js';\nexport const y: number = gammaArrivals(1);\n", typeRoots) ?? '', /not callable|no call signatures/i);
  });

  test('an export list of an imported name, and internal names stay internal', () => {
    const dts = bundleDeclarations(
      files({
        'src/index.d.ts': "export { currentSegment, setup } from './lifecycle.ts';\n",
        'src/segment.d.ts': 'export declare function currentSegment(): number;\n',
        'src/lifecycle.d.ts': "import { currentSegment } from './segment.ts';\ndeclare function hidden(): void;\nexport declare function setup(): void;\nexport { currentSegment };\n",
      }),
      'src/index.d.ts',
    );
    assert.equal(checkDeclarations(dts, "import { currentSegment, setup } from './k6-llm.js';\nsetup();\nexport const n: number = currentSegment();\n", typeRoots), null, dts);
    assert.match(checkDeclarations(dts, "import { __k6llm_src_lifecycle } from './k6-llm.js';\nexport const n = __k6llm_src_lifecycle;\n", typeRoots) ?? '', /not exported|has no exported member/);
  });

  test('what it cannot carry over fails in one line naming the file', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'src/index.d.ts': "export * from './a.ts';\n", 'src/a.d.ts': 'export declare const a: number;\n' }, /^unsupported `export \*` in src\/index\.d\.ts:1/],
      [{ 'src/index.d.ts': "export { a } from './a.ts';\n", 'src/a.d.ts': 'declare const a: number;\nexport default a;\n' }, /^unsupported default export in src\/a\.d\.ts:2/],
      [{ 'src/index.d.ts': "export { a } from './missing.ts';\n" }, /^invalid import in src\/index\.d\.ts; expected a declaration file for "\.\/missing\.ts"/],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => bundleDeclarations(files(input), 'src/index.d.ts'), (err: Error) => err instanceof DtsBundleError && message.test(err.message) && !err.message.includes('\n'));
    }
  });
});

describe('the library\'s types', () => {
  let dts = '';
  let names: string[] = [];
  before(() => {
    // lib/k6-llm.js first (bundleExports reads its export list).
    const build = spawnSync(process.execPath, [join(root, 'build.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    dts = libraryTypes(root);
    names = bundleExports(readFileSync(join(root, 'lib', 'k6-llm.js'), 'utf8'));
  });

  test('declare every export of lib/k6-llm.js, and a script of one\'s own type-checks against them', () => {
    assert.ok(names.includes('Client') && names.includes('llmOptions') && names.length >= 15, names.join(', '));
    const script = `import { Client, closedUsers, llmOptions, type LlmResult } from './k6-llm.js';
const client = new Client({ workload: 'mine' });
export const options = llmOptions({ scenarios: { mine: closedUsers({ vus: 3, duration: '4s' }) } });
export default function (): void {
  const r: LlmResult = client.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 64 });
  const tokens: number = r.outputTokens;
  void tokens;
}
`;
    assert.equal(checkDeclarations(dts, script, typeRoots), null);
    // A misuse is caught: maxTokens is a number.
    assert.match(checkDeclarations(dts, script.replace('maxTokens: 64', "maxTokens: '64'"), typeRoots) ?? '', /not assignable to type 'number'/);
    assert.ok(dts.startsWith('// k6-llm '), dts.slice(0, 80));
  });
});
