// Every TypeScript snippet of the documentation compiles against the
// library's public types: each ```ts block becomes a file under docs/ (in
// memory only), compiled with the repository's tsconfig.json, where
// `k6-llm` (and `./k6-llm.js`, the single-file library beside a script) is
// src/index.ts and k6's modules are @types/k6. A snippet that is partial on
// purpose is marked <!-- snippet: fragment: why --> above its fence.
// docs/api.md is left out: its blocks are signatures generated from the code.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { fences } from '../../../tools/docs/markdown.ts';
import { GENERATED_API, PAGES, read, ROOT } from './pages.ts';

/** One snippet as a file of its own. */
interface Snippet {
  /** Where it is written, e.g. README.md:64. */
  at: string;
  code: string;
}

const TS_LANGS = new Set(['ts', 'typescript']);
/** The library entry both import specifiers stand for. */
const ENTRY = join(ROOT, 'src', 'index.ts');
/** The in-memory snippet files live here, so node_modules (k6's types) resolves as for the repository's own code. */
const SNIPPET_DIR = join(ROOT, 'docs', '.snippets');

/** The diagnostics of compiling `snippets` (keyed by their `at`), one line each. */
function compile(snippets: readonly Snippet[]): Map<string, string[]> {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const files = new Map<string, Snippet>();
  snippets.forEach((s, i) => files.set(join(SNIPPET_DIR, `snippet-${i}.ts`), s));
  // `./k6-llm.js` beside a snippet: the single-file library, whose types are the entry's.
  const beside = join(SNIPPET_DIR, 'k6-llm.ts');
  const virtual = new Map<string, string>([...[...files].map(([path, s]) => [path, s.code] as [string, string]), [beside, `export * from ${JSON.stringify(ENTRY)};\n`]]);
  const compilerOptions: ts.CompilerOptions = { ...options, noEmit: true, paths: { 'k6-llm': [ENTRY] } };
  const host = ts.createCompilerHost(compilerOptions);
  const { getSourceFile, fileExists, readFile, directoryExists } = host;
  host.fileExists = (path) => virtual.has(path) || fileExists(path);
  host.directoryExists = (path) => path === SNIPPET_DIR || (directoryExists?.(path) ?? true);
  host.readFile = (path) => virtual.get(path) ?? readFile(path);
  host.getSourceFile = (path, language, ...rest) => {
    const text = virtual.get(path);
    return text === undefined ? getSourceFile(path, language, ...rest) : ts.createSourceFile(path, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], compilerOptions, host);
  const out = new Map<string, string[]>();
  for (const [path, snippet] of files) {
    const source = program.getSourceFile(path) as ts.SourceFile;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    out.set(
      snippet.at,
      diagnostics.map((d) => {
        const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line + 1;
        return `snippet line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      }),
    );
  }
  return out;
}

/** The TypeScript snippets of the documentation, and the marked fragments apart. */
function snippets(): { checked: Snippet[]; fragments: { at: string; reason: string }[] } {
  const checked: Snippet[] = [];
  const fragments: { at: string; reason: string }[] = [];
  for (const page of PAGES.filter((p) => p !== GENERATED_API)) {
    for (const fence of fences(read(page))) {
      if (!TS_LANGS.has(fence.lang)) continue;
      const at = `${page}:${fence.line}`;
      if (fence.marker?.kind === 'fragment') fragments.push({ at, reason: fence.marker.reason });
      else checked.push({ at, code: fence.body });
    }
  }
  return { checked, fragments };
}

describe('TypeScript snippets', () => {
  const { checked, fragments } = snippets();

  it('are there to check (the README shows a script of its own)', () => {
    assert.ok(checked.some((s) => s.at.startsWith('README.md:')), checked.map((s) => s.at).join(', '));
  });

  it('compile against the public types', () => {
    const failures = [...compile(checked)].filter(([, problems]) => problems.length > 0).map(([at, problems]) => `${at}: ${problems.join('; ')}`);
    assert.deepEqual(failures, []);
  });

  it('left unchecked only as fragments with a reason, and few of them', () => {
    assert.deepEqual(fragments.filter((f) => f.reason === ''), [], 'say why: <!-- snippet: fragment: why -->');
    assert.ok(fragments.length <= 3, `${fragments.length} fragments: ${fragments.map((f) => f.at).join(', ')}`);
  });

  it('fail on a wrong use of the API (the check can fail)', () => {
    const result = compile([
      { at: 'bad', code: "import { Client } from 'k6-llm';\nnew Client().chat({ message: [] });\n" },
      { at: 'good', code: "import { Client } from 'k6-llm';\nnew Client().chat('hi');\n" },
    ]);
    assert.match((result.get('bad') ?? []).join(' '), /message/);
    assert.deepEqual(result.get('good'), []);
  });
});

