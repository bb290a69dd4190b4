import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownersGone, parentInStat } from '../../../tools/cli/meter-command.ts';

test('ownersGone: the parent changed, or the parent was handed to another because its own parent died', () => {
  const start = { parent: 200, grandparent: 100 };
  assert.equal(ownersGone(start, { parent: 200, grandparent: 100 }), null);
  assert.equal(ownersGone(start, { parent: 1, grandparent: null }), 'the process that started it (pid 200) is gone');
  // npx killed: its shell (our parent) lives on under init or a subreaper.
  assert.equal(ownersGone(start, { parent: 200, grandparent: 1 }), 'the parent (pid 100) of the process that started it is gone');
  assert.equal(ownersGone(start, { parent: 200, grandparent: 4321 }), 'the parent (pid 100) of the process that started it is gone');
  // The grandparent could not be read this time: no verdict from it.
  assert.equal(ownersGone(start, { parent: 200, grandparent: null }), null);
});

test('ownersGone: init (or no grandparent) is not watched', () => {
  assert.equal(ownersGone({ parent: 200, grandparent: 1 }, { parent: 200, grandparent: 7 }), null);
  assert.equal(ownersGone({ parent: 200, grandparent: 0 }, { parent: 200, grandparent: 7 }), null);
  assert.equal(ownersGone({ parent: 200, grandparent: null }, { parent: 200, grandparent: 7 }), null);
  assert.equal(ownersGone({ parent: 1, grandparent: 0 }, { parent: 1, grandparent: 0 }), null);
});

test('parentInStat reads the parent pid after the command name, whatever the name holds', () => {
  assert.equal(parentInStat('4737 (node) S 4736 4712 20382 0 -1 4194304'), 4736);
  assert.equal(parentInStat('99 (a) b (c) R 42 99 99'), 42);
  assert.equal(parentInStat('99 (sh -c x) S 1 99 99\n'), 1);
  assert.equal(parentInStat('garbage'), null);
});
