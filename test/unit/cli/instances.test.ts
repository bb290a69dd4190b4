// run --instances: the k6 flags of each instance's execution segment and the
// one-line refusals.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { instanceDir, parseInstances, segmentArgs } from '../../../tools/cli/instances.ts';

describe('run --instances', () => {
  it('gives instance i of n the segment i/n:(i+1)/n of the sequence 0,1/n,…,1', () => {
    assert.deepEqual(segmentArgs(0, 2), ['--execution-segment', '0:1/2', '--execution-segment-sequence', '0,1/2,1']);
    assert.deepEqual(segmentArgs(3, 4), ['--execution-segment', '3/4:1', '--execution-segment-sequence', '0,1/4,2/4,3/4,1']);
    assert.deepEqual(segmentArgs(0, 1), ['--execution-segment', '0:1', '--execution-segment-sequence', '0,1']);
    assert.equal(instanceDir('results/chat-x', 1), 'results/chat-x/instance-1');
  });

  it('refuses a count out of range and a workload that cannot be split, in one line', () => {
    assert.equal(parseInstances('4', 'chat'), 4);
    assert.equal(parseInstances('1', 'coldstart'), 1);
    assert.throws(() => parseInstances('0', 'chat'), /^UsageError: invalid --instances; expected a whole number from 1 to 16, got "0"$/);
    assert.throws(() => parseInstances('2.5', 'chat'), /expected a whole number/);
    assert.throws(() => parseInstances('2', 'coldstart'), /^UsageError: invalid --instances 2 for coldstart; it cannot be split over instances \(it runs one VU whose cold and warm probes follow each other\): run it as one instance$/);
  });
});
