import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DUPLICATE_MS, interruptHandler } from '../../../tools/cli/interrupts.ts';

function harness() {
  let t = 0;
  const sent: number[] = [];
  const lines: string[] = [];
  const h = interruptHandler({ now: () => t, interrupt: () => sent.push(t), say: (l) => lines.push(l) });
  return { h, sent, lines, at: (ms: number) => { t = ms; h.onSigint(); } };
}

test('the first Ctrl-C is passed on once and says reports follow; copies of it within a second are the same keypress', () => {
  const { h, sent, lines, at } = harness();
  at(0);
  at(5);
  at(DUPLICATE_MS - 1);
  assert.deepEqual(sent, [0]);
  assert.equal(h.aborted(), false);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /writes the reports \(Ctrl-C again to abort without reports\)/);
});

test('a second Ctrl-C aborts on purpose and says so; later ones do nothing more', () => {
  const { h, sent, lines, at } = harness();
  at(0);
  at(2500);
  at(2600);
  assert.deepEqual(sent, [0, 2500]);
  assert.equal(h.aborted(), true);
  assert.match(lines[1]!, /^k6-llm: second Ctrl-C: aborting k6; no reports are written \(exit 130\)$/);
});
