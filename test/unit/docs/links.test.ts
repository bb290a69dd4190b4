// Every relative link of the documentation resolves: the file (or folder)
// exists, and an #anchor is a heading of the page it points into, slugged
// as GitHub slugs it (or an <a id>). The slugging itself is checked on
// headings whose GitHub anchors are known.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { anchors, githubSlug, links } from '../../../tools/docs/markdown.ts';
import { PAGES, read, ROOT } from './pages.ts';

/** A link that leaves the repository (a web page, mail): not checked here. */
const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/** Each broken link of `page`, as `page:line target (why)`. */
function brokenLinks(page: string): string[] {
  const out: string[] = [];
  for (const { target, line } of links(read(page))) {
    if (EXTERNAL.test(target)) continue;
    const [path, anchor] = target.split('#') as [string, string | undefined];
    const file = path === '' ? page : normalize(join(dirname(page), decodeURIComponent(path)));
    if (file.startsWith('..')) out.push(`${page}:${line} ${target} (outside the repository)`);
    else if (!existsSync(join(ROOT, file))) out.push(`${page}:${line} ${target} (no such file)`);
    else if (anchor !== undefined && file.endsWith('.md') && !anchors(read(file)).has(anchor)) out.push(`${page}:${line} ${target} (no heading #${anchor} in ${file})`);
  }
  return out;
}

describe('links in README.md, docs/ and examples/README.md', () => {
  for (const page of PAGES) {
    it(`${page}: every relative link and anchor resolves`, () => {
      assert.deepEqual(brokenLinks(page), []);
    });
  }
});

describe('anchors as GitHub makes them', () => {
  it('drops punctuation but - and _, keeps code text, turns spaces into hyphens', () => {
    assert.equal(githubSlug('Running and merging instances: `run --instances` and `merge`'), 'running-and-merging-instances-run---instances-and-merge');
    assert.equal(githubSlug('The LLM_* variables, as the built-in workloads read them'), 'the-llm_-variables-as-the-built-in-workloads-read-them');
    assert.equal(githubSlug("On a real engine: llama.cpp"), 'on-a-real-engine-llamacpp');
    assert.equal(githubSlug("k6's web dashboard"), 'k6s-web-dashboard');
    assert.equal(githubSlug('See [the API](api.md) now'), 'see-the-api-now');
  });

  it('numbers a repeated heading, skips headings inside code blocks, takes <a id>', () => {
    const page = ['# Arrivals', '## Arrivals', '```sh', '# not a heading', '```', '<a id="here"></a>', '## Arrivals'].join('\n');
    assert.deepEqual([...anchors(page)].sort(), ['arrivals', 'arrivals-1', 'arrivals-2', 'here']);
  });

  it('finds links outside code only, with their lines', () => {
    const page = ['See [a](a.md#x) and `[b](b.md)`.', '```md', '[c](c.md)', '```', '![d](d.png)'].join('\n');
    assert.deepEqual(links(page), [
      { target: 'a.md#x', line: 1 },
      { target: 'd.png', line: 5 },
    ]);
  });
});
