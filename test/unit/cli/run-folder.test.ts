import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freshRunFolder, removeIfEmpty } from '../../../tools/cli/run-folder.ts';

test('runs started in the same second get their own folders', () => {
  const parent = join(mkdtempSync(join(tmpdir(), 'k6-llm-folders-')), 'results');
  const at = new Date('2026-12-01T12:00:51.123Z');
  const dirs = [1, 2, 3].map(() => freshRunFolder('chat', parent, at));
  assert.deepEqual(dirs, [join(parent, 'chat-2026-12-01T12-00-51'), join(parent, 'chat-2026-12-01T12-00-51-2'), join(parent, 'chat-2026-12-01T12-00-51-3')]);
  assert.ok(dirs.every((d) => existsSync(d)));
});

test('an empty run folder is removed, one with reports kept', () => {
  const parent = mkdtempSync(join(tmpdir(), 'k6-llm-folders-'));
  const empty = freshRunFolder('chat', parent);
  writeFileSync(join(empty, 'llm-records.jsonl'), '');
  assert.equal(removeIfEmpty(empty), true);
  assert.equal(existsSync(empty), false);
  const kept = freshRunFolder('chat', parent);
  writeFileSync(join(kept, 'llm-summary.json'), '{}');
  assert.equal(removeIfEmpty(kept), false);
  assert.equal(removeIfEmpty(join(parent, 'missing')), false);
});
