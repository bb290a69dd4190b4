// The documentation's shape: the README is a front page of at most 250
// lines that keeps the two commands (and .ci/run still runs the test one),
// docs/README.md lists every page of docs/, and every code block names its
// language, so none escapes the snippet checks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fences, links } from '../../../tools/docs/markdown.ts';
import { DOCS_PAGES, PAGES, read } from './pages.ts';

/** The README's most lines: a front page, not the manual. */
const README_MAX_LINES = 250;

describe('the README', () => {
  const readme = read('README.md');

  it(`is a front page of at most ${README_MAX_LINES} lines`, () => {
    const lines = readme.split('\n').length - (readme.endsWith('\n') ? 1 : 0);
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move sections into docs/ pages`);
  });

  it('keeps the two commands, and .ci/run runs the test one', () => {
    assert.match(readme, /^npm ci && npm start +# the main job: chat workload for 20 s against the built-in mock LLM server$/m);
    assert.match(readme, /^npm test +# every test: type-check, Go unit tests, Node unit tests, real k6 runs$/m);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts.start ?? '', /cli\.mjs demo$/);
    assert.match(scripts.test ?? '', /typecheck.*build\.mjs.*test:go.*run-all\.mjs/);
    assert.match(read('.ci/run'), /^npm test$/m);
  });
});

describe('docs/README.md', () => {
  it('lists every page of docs/', () => {
    const listed = new Set(links(read('docs/README.md')).map((l) => `docs/${l.target.split('#')[0]}`));
    const missing = DOCS_PAGES.filter((p) => p !== 'docs/README.md' && !listed.has(p));
    assert.deepEqual(missing, [], `add each page to the contents in docs/README.md`);
  });
});

describe('code blocks', () => {
  it('name their language (sh, ts, json, text, …)', () => {
    const bare = PAGES.flatMap((page) => fences(read(page)).filter((f) => f.lang === '').map((f) => `${page}:${f.line}`));
    assert.deepEqual(bare, [], 'a code block without a language escapes the snippet checks: ```sh, ```ts, ```json or ```text');
  });
});
