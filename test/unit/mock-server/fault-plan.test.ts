// The fault plan on its own: exactly rate × requests faulted and evenly
// spread, every kind once per cycle of the mix (weights repeat a kind),
// reproducible per seed, and nothing at rate 0.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFaultMix, type FaultKind } from '../../../tools/mock-server/config.ts';
import { FaultPlan } from '../../../tools/mock-server/fault-plan.ts';

const ALL = parseFaultMix('429,500,502,503,reset,stall,malformed,stream_error,empty');

function run(seed: number, rate: number, mix: readonly FaultKind[], requests: number): Array<FaultKind | null> {
  const plan = new FaultPlan(seed, rate, mix);
  return Array.from({ length: requests }, () => plan.next());
}

describe('FaultPlan', () => {
  it('faults exactly rate × requests, every kind once per cycle, reproducibly', () => {
    const a = run(3, 0.05, ALL, 1800);
    assert.deepEqual(a, run(3, 0.05, ALL, 1800));
    assert.notDeepEqual(a, run(4, 0.05, ALL, 1800));
    const faulted = a.filter((k) => k !== null);
    assert.equal(faulted.length, 90);
    for (const kind of ALL) assert.equal(faulted.filter((k) => k === kind).length, 10, kind);
    for (let cycle = 0; cycle < 10; cycle++) {
      assert.deepEqual([...faulted.slice(cycle * 9, cycle * 9 + 9)].sort(), [...ALL].sort(), `cycle ${cycle}`);
    }
  });

  it('keeps any prefix of the run within 1 of rate × requests, gaps even', () => {
    for (const seed of [1, 2, 7, 11]) {
      const plan = run(seed, 0.3, ALL, 500);
      let faulted = 0;
      plan.forEach((kind, i) => {
        if (kind !== null) faulted += 1;
        assert.ok(Math.abs(faulted - (i + 1) * 0.3) <= 1, `seed ${seed}: ${faulted} faults in ${i + 1}`);
      });
      const at = plan.flatMap((kind, i) => (kind === null ? [] : [i]));
      const gaps = at.slice(1).map((x, i) => x - at[i]!);
      assert.ok(gaps.every((g) => g === 3 || g === 4), `seed ${seed}: gaps ${[...new Set(gaps)]}`);
    }
  });

  it('repeats a weighted kind within each cycle', () => {
    const mix = parseFaultMix('429:3,reset');
    const faulted = run(5, 1, mix, 40);
    assert.ok(faulted.every((k) => k !== null), 'rate 1 faults every request');
    for (let cycle = 0; cycle < 10; cycle++) {
      const kinds: Array<FaultKind | null> = faulted.slice(cycle * 4, cycle * 4 + 4);
      assert.equal(kinds.filter((k) => k === '429').length, 3, `cycle ${cycle}: ${kinds}`);
      assert.equal(kinds.filter((k) => k === 'reset').length, 1, `cycle ${cycle}: ${kinds}`);
    }
  });

  it('varies the phase and the order with the seed', () => {
    const firsts = new Set<number>();
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const plan = run(seed, 0.1, ALL, 200);
      firsts.add(plan.findIndex((k) => k !== null));
      orders.add(plan.filter((k) => k !== null).slice(0, 9).join(','));
    }
    assert.ok(firsts.size > 3, `first faulted request over 20 seeds: ${[...firsts]}`);
    assert.ok(orders.size > 10, `kind orders over 20 seeds: ${orders.size}`);
  });

  it('faults nothing at rate 0', () => {
    assert.equal(new FaultPlan(1, 0, ALL).next(), null);
    assert.ok(run(9, 0, ALL, 100).every((k) => k === null));
  });
});
