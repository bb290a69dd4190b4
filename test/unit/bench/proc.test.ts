// /proc readers: utime and stime past a command name with spaces and
// parentheses, VmHWM and VmRSS, and this process's own figures.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clockTicksPerSecond, cpuMsOf, machineTicks, memoryOf, parseMachineStat, parseStat, parseStatus } from '../../../tools/bench/proc.ts';

describe('/proc readers', () => {
  it('reads utime and stime after a name with spaces and parentheses', () => {
    const stat = '4242 (k6 (run) x) S 1 4242 4242 0 -1 4194560 8513 0 0 0 1234 567 0 0 20 0 12 0 100 0 0';
    assert.deepEqual(parseStat(stat), { utime: 1234, stime: 567 });
    assert.equal(parseStat('garbage'), null);
  });

  it('reads VmHWM and VmRSS in kB', () => {
    const status = 'Name:\tk6\nVmPeak:\t 900000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t   65432 kB\nThreads:\t12\n';
    assert.deepEqual(parseStatus(status), { hwmKb: 123456, rssKb: 65432 });
    assert.deepEqual(parseStatus('Name:\tkthread\n'), { hwmKb: null, rssKb: null });
  });

  it('reads the machine’s busy, idle and steal ticks', () => {
    const stat = 'cpu  100 5 50 1000 20 3 2 7 0 0\ncpu0 50 2 25 500 10 1 1 3 0 0\nintr 1\n';
    assert.deepEqual(parseMachineStat(stat), { busy: 160, idle: 1020, steal: 7 });
    assert.equal(parseMachineStat('intr 1\n'), null);
  });

  it('reads this process', { skip: process.platform !== 'linux' ? 'needs Linux /proc' : false }, () => {
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
    assert.ok(x > 0);
    assert.ok((cpuMsOf(process.pid) ?? -1) >= 0);
    const mem = memoryOf(process.pid)!;
    assert.ok((mem.hwmKb ?? 0) >= (mem.rssKb ?? 0) && (mem.rssKb ?? 0) > 0);
    assert.ok(clockTicksPerSecond() > 0);
    assert.equal(cpuMsOf(2 ** 30), null);
    const m = machineTicks()!;
    assert.ok(m.busy > 0 && m.idle >= 0 && m.steal >= 0);
  });
});
