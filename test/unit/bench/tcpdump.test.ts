// tcpdump: its closing counts. A real loopback exchange captured with it is
// test/k6/tcpdump-capture.test.ts (real timers and a real capture: it waits
// on the machine, so it runs one file at a time, not among the unit tests).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureStats } from '../../../tools/bench/tcpdump.ts';

describe('tcpdump', () => {
  it('reads its closing counts', () => {
    const err = 'tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n1200 packets captured\n1300 packets received by filter\n7 packets dropped by kernel\n1 packet dropped by interface\n';
    assert.deepEqual(parseCaptureStats(err), { captured: 1200, receivedByFilter: 1300, droppedByKernel: 7, droppedByInterface: 1 });
    assert.deepEqual(parseCaptureStats('tcpdump: killed'), { captured: null, receivedByFilter: null, droppedByKernel: null, droppedByInterface: null });
  });
});
