// CPU time and memory of a process from Linux /proc: utime + stime from
// /proc/<pid>/stat (every thread of the process, in clock ticks), peak and
// current resident set (VmHWM, VmRSS) from /proc/<pid>/status.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** utime and stime (clock ticks) from the text of /proc/<pid>/stat; null when unreadable. */
export function parseStat(text: string): { utime: number; stime: number } | null {
  // The command name (field 2) is in parentheses and may hold spaces or ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // After the name: state is field 3, utime field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? { utime, stime } : null;
}

/** VmHWM and VmRSS (kB) from the text of /proc/<pid>/status; null fields when absent. */
export function parseStatus(text: string): { hwmKb: number | null; rssKb: number | null } {
  const kb = (name: string): number | null => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  return { hwmKb: kb('VmHWM'), rssKb: kb('VmRSS') };
}

let ticks: number | null = null;

/** Clock ticks per second (getconf CLK_TCK; 100 on every common Linux). */
export function clockTicksPerSecond(): number {
  if (ticks === null) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(r.stdout?.trim());
    ticks = r.status === 0 && Number.isInteger(n) && n > 0 ? n : 100;
  }
  return ticks;
}

/** CPU time (user + system, ms) a process has used so far; null when it is gone. */
export function cpuMsOf(pid: number): number | null {
  try {
    const s = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return s === null ? null : ((s.utime + s.stime) * 1000) / clockTicksPerSecond();
  } catch {
    return null;
  }
}

/** Peak and current RSS (kB) of a process; null when it is gone. */
export function memoryOf(pid: number): { hwmKb: number | null; rssKb: number | null } | null {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** The whole machine's CPU time so far (clock ticks, all CPUs), from the first line of /proc/stat. */
export interface MachineTicks {
  /** user + nice + system + irq + softirq (guest time is inside user). */
  busy: number;
  /** idle + iowait. */
  idle: number;
  /** Time the hypervisor ran something else while this VM wanted the CPU. */
  steal: number;
}

/** Reads the aggregate `cpu` line of /proc/stat; null when it is not there. */
export function parseMachineStat(text: string): MachineTicks | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  if (![user, nice, system, idle].every((n) => Number.isFinite(n))) return null;
  return { busy: user! + nice! + system! + (irq ?? 0) + (softirq ?? 0), idle: idle! + (iowait ?? 0), steal: steal ?? 0 };
}

/** The machine's CPU ticks so far; null off Linux. */
export function machineTicks(): MachineTicks | null {
  try {
    return parseMachineStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/** Peak and current resident set (kB). */
type BenchMemory = { hwmKb: number | null; rssKb: number | null };

/** Sums per-process figures (null when none is known). */
export function total(values: (number | null | undefined)[]): number | null {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
}

/** Sums per-process memory figures (null when none is known). */
export function memorySum(list: (BenchMemory | null)[]): BenchMemory | null {
  return list.every((m) => m === null) ? null : { hwmKb: total(list.map((m) => m?.hwmKb)), rssKb: total(list.map((m) => m?.rssKb)) };
}
