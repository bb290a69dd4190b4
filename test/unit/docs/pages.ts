// The documentation the docs tests read: the README, every page of docs/
// and the examples' README, by path from the repository's root.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../tools/provision/k6.ts';

export const ROOT = repoRoot();

/** The pages of docs/, as docs/<name>.md. */
export const DOCS_PAGES: readonly string[] = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => `docs/${f}`);

/** Every Markdown page the checks cover. */
export const PAGES: readonly string[] = ['README.md', ...DOCS_PAGES, 'examples/README.md'];

/** Generated from the code it shows (npm run docs:api): its code blocks are signatures, not snippets. */
export const GENERATED_API = 'docs/api.md';

/** A page's text. */
export function read(page: string): string {
  return readFileSync(join(ROOT, page), 'utf8');
}

/** Null when `committed` is `fresh`; else where they first differ, for a "run npm run docs:… and commit it" message. */
export function staleness(committed: string, fresh: string): string | null {
  const was = committed.split('\n');
  const now = fresh.split('\n');
  const at = now.findIndex((line, i) => line !== was[i]);
  const first = at >= 0 ? at : now.length < was.length ? now.length : -1;
  if (first < 0) return null;
  const show = (line: string | undefined): string => (line === undefined ? '(the end of the file)' : JSON.stringify(line));
  return `line ${first + 1} is\n  ${show(was[first])}\nand should be\n  ${show(now[first])}`;
}
