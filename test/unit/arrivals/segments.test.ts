// Execution segments: k6 gives each instance a stripe of the global
// iteration numbers, and each iteration sends schedule[iterationInTest].
// The stripes (a port of k6's algorithm, checked against real k6 runs in
// test/k6/arrivals.test.ts) partition the schedule, so the union of the
// instances' arrivals is the single-instance schedule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchedule } from '../../../src/arrivals/index.ts';
import { instanceSegment, parseFraction, segmentIterations, segmentShare, sharedIterationsStripe } from '../../../src/arrivals/segments.ts';

const sequences = ['0,1', '0,1/2,1', '0,1/3,2/3,1', '0,1/4,1', '0,0.1,0.35,0.5,1', '0,1/5,2/5,3/5,4/5,1', '0,25%,1'];

describe('execution segments', () => {
  for (const sequence of sequences) {
    it(`the instances of ${sequence} together send exactly the single-instance Poisson schedule`, () => {
      const schedule = buildSchedule('poisson', { ratePerSec: 20, durationMs: 60_000, seed: 3, burstiness: 1, rampFromPerSec: 0, trace: null });
      const points = sequence.split(',');
      const union: number[] = [];
      for (let i = 0; i + 1 < points.length; i++) {
        const mine = segmentIterations(schedule.length, sequence, `${points[i]}:${points[i + 1]}`);
        const share = ((f) => f.num / f.den)(parseFraction(points[i + 1] as string)) - ((f) => f.num / f.den)(parseFraction(points[i] as string));
        // Proportional share, spread over the whole run (a stripe, not a block).
        assert.ok(Math.abs(mine.length - share * schedule.length) <= 2, `${sequence} segment ${i}: ${mine.length} of ${schedule.length}`);
        if (mine.length > 10) {
          const times = mine.map((k) => schedule[k]!.atMs);
          assert.ok(times[0]! < 10_000 && times[times.length - 1]! > 50_000, 'spread over the run');
        }
        union.push(...mine);
      }
      union.sort((a, b) => a - b);
      assert.deepEqual(union.map((k) => schedule[k]), schedule);
    });
  }

  it('matches the stripes k6 v1.3 hands out (observed with shared-iterations)', () => {
    assert.deepEqual(segmentIterations(23, '0,1/4,1', '0:1/4'), [1, 5, 9, 13, 17, 21]);
    assert.deepEqual(segmentIterations(9, '0,1/3,2/3,1', '1/3:2/3'), [1, 4, 7]);
    // shared-iterations splits by VUs: 12 VUs over quarters are 3 + 9, so the stripes above hold.
    assert.deepEqual(sharedIterationsStripe(23, 12, '0,1/4,1', '0:1/4'), [1, 5, 9, 13, 17, 21]);
    // 2 VUs over thirds: 1 + 1 + 0; the third instance gets nothing, the others alternate.
    assert.deepEqual(sharedIterationsStripe(10, 2, '0,1/3,2/3,1', '0:1/3'), [0, 2, 4, 6, 8]);
    assert.deepEqual(sharedIterationsStripe(10, 2, '0,1/3,2/3,1', '2/3:1'), []);
    // 16 VUs over 0,1/3,1 are 5 + 11: 51 iterations split 16 + 35 (a real k6 run's figures).
    assert.equal(sharedIterationsStripe(51, 16, '0,1/3,1', '0:1/3').length, 16);
    assert.equal(sharedIterationsStripe(51, 16, '0,1/3,1', '1/3:1').length, 35);
  });

  for (const vus of [1, 2, 5, 16, 31]) {
    it(`with ${vus} VUs, the instances' shared-iterations stripes are still the whole schedule`, () => {
      for (const sequence of sequences) {
        const points = sequence.split(',');
        const union: number[] = [];
        for (let i = 0; i + 1 < points.length; i++) union.push(...sharedIterationsStripe(101, vus, sequence, `${points[i]}:${points[i + 1]}`));
        assert.deepEqual(union.sort((a, b) => a - b), Array.from({ length: 101 }, (_, k) => k), sequence);
      }
    });
  }

  it('parses k6 fraction forms and rejects others', () => {
    assert.deepEqual(parseFraction('2/4'), { num: 1, den: 2 });
    assert.deepEqual(parseFraction('0.25'), { num: 1, den: 4 });
    assert.deepEqual(parseFraction('50%'), { num: 1, den: 2 });
    assert.throws(() => parseFraction('3/2'), /expected a fraction/);
    assert.throws(() => segmentIterations(10, '0,1/2,1', '0:1/3'), /one of the segments/);
  });

  for (const vus of [1, 2, 5, 8, 33]) {
    it(`a closed pool of ${vus} users: each instance's first iterations are its users, together users 0..${vus - 1}`, () => {
      for (const sequence of sequences) {
        const points = sequence.split(',');
        const users: number[] = [];
        for (let i = 0; i + 1 < points.length; i++) {
          const at = instanceSegment(`${points[i]}:${points[i + 1]}`, sequence);
          const mine = segmentShare(vus, at);
          // k6 gives the instance mine.length VUs; their first iterations take the first numbers of its stripe.
          assert.deepEqual(mine, segmentIterations(1000, sequence, at.segment).slice(0, mine.length));
          users.push(...mine);
        }
        assert.deepEqual(users.sort((a, b) => a - b), Array.from({ length: vus }, (_, k) => k), sequence);
      }
    });
  }

  it('matches the VU split k6 v1.1 makes of a constant-vus pool (observed: 5 VUs over quarters are 2 + 1 + 1 + 1)', () => {
    const sequence = '0,1/4,2/4,3/4,1';
    assert.deepEqual(segmentShare(5, instanceSegment('0:1/4', sequence)), [0, 4]);
    assert.deepEqual(segmentShare(5, instanceSegment('3/4:1', sequence)), [3]);
    assert.deepEqual(segmentShare(5, instanceSegment('0:1/2', '0,1/2,1')), [0, 2, 4]);
    // The one-VU generator probe lands on the first instance only.
    assert.deepEqual(segmentShare(1, instanceSegment('1/4:2/4', sequence)), []);
  });

  it('reads the instance segment: whole without one, k6\'s own sequence for an edge segment, refused inside the test without a sequence', () => {
    assert.deepEqual(instanceSegment(null, null), { whole: true, segment: '0:1', sequence: '0,1' });
    assert.equal(instanceSegment('0:1', null).whole, true);
    assert.deepEqual(instanceSegment('0:1/3', null), { whole: false, segment: '0:1/3', sequence: '0,1/3,1' });
    assert.deepEqual(instanceSegment('1/3:1', null), { whole: false, segment: '1/3:1', sequence: '0,1/3,1' });
    assert.deepEqual(instanceSegment('1/3:2/3', '0,1/3,2/3,1'), { whole: false, segment: '1/3:2/3', sequence: '0,1/3,2/3,1' });
    assert.throws(
      () => instanceSegment('1/3:2/3', null),
      /invalid --execution-segment-sequence; expected the sequence every instance shares \(e\.g\. 0,1\/3,2\/3,1\) beside --execution-segment 1\/3:2\/3/,
    );
    assert.throws(() => instanceSegment('1/3', null), /FROM:TO/);
  });
});
