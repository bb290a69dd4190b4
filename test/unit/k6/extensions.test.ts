// xk6-sse is known by its open(), not by require() succeeding: k6 before
// v1.4 throws for a module the binary lacks (optionalModule gives null), k6
// v1.4 and later hand back an empty module (k6 PR #5240).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sseOpenFrom } from '../../../src/k6/extensions.ts';

const open = () => ({ url: '', status: 200, headers: {}, error: '' });

test('a k6 without xk6-sse: require() threw (k6 < 1.4) or gave an empty module (k6 >= 1.4)', () => {
  assert.equal(sseOpenFrom(null), null);
  assert.equal(sseOpenFrom({}), null);
  assert.equal(sseOpenFrom(Object.create(null)), null);
  assert.equal(sseOpenFrom({ default: {} }), null);
  assert.equal(sseOpenFrom({ default: undefined }), null);
  assert.equal(sseOpenFrom({ open: 'not a function' }), null);
  assert.equal(sseOpenFrom(undefined), null);
});

test('a k6 with xk6-sse: open() as a named export or on the default export', () => {
  const named = { open };
  assert.equal(sseOpenFrom(named), named);
  const viaDefault = { default: { open } };
  assert.equal(sseOpenFrom(viaDefault), viaDefault.default);
  // A module object with both: its own open() wins.
  const both = { open, default: { open: () => ({ url: 'default', status: 200, headers: {}, error: '' }) } };
  assert.equal(sseOpenFrom(both), both);
});
