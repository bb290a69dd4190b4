// `k6-llm meter`: the stream meter in the foreground, its output as is (first
// line LLM_METER_URL=...). Nothing it starts outlives its owner: the meter is
// tied to this CLI (a lifeline pipe on its fd 3 and --parent-pid), and this
// CLI to the process that started it and that one's parent (npx runs the CLI
// through a shell, so a killed npx leaves the shell alive but handed to
// another parent). When either is gone the CLI closes the lifeline, the
// meter cancels its streams within 0.5 s and exits, and so does the CLI.

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ensureMeter } from '../provision/meter.ts';

/** The CLI's owners as it started: its parent, and the parent's parent when known. */
export interface Owners {
  parent: number;
  grandparent: number | null;
}

/** Where the owners are now: the CLI's parent, and the parent's parent (null: not readable). */
export interface OwnersNow {
  parent: number;
  grandparent: number | null;
}

/**
 * Why the owners are gone, or null while they live. The parent is gone when
 * the CLI's parent pid changed; the grandparent when the parent was handed
 * to another process (its own parent died). A grandparent of 0 or 1 (init,
 * a container's first process) is not watched: it is not a process that
 * could die and leave its child behind.
 */
export function ownersGone(start: Owners, now: OwnersNow): string | null {
  if (now.parent !== start.parent) return `the process that started it (pid ${start.parent}) is gone`;
  if (start.grandparent !== null && start.grandparent > 1 && now.grandparent !== null && now.grandparent !== start.grandparent) {
    return `the parent (pid ${start.grandparent}) of the process that started it is gone`;
  }
  return null;
}

/** The parent pid in a Linux /proc/<pid>/stat line (`pid (comm) state ppid ...`), or null. */
export function parentInStat(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/);
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) && ppid >= 0 ? ppid : null;
}

/** The parent pid of process `pid` from /proc (Linux), or null where there is no /proc or the process is gone. */
function parentOf(pid: number): number | null {
  try {
    return parentInStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The CLI's owners now and how to read them again: /proc on Linux; elsewhere `ps` once, then whether the grandparent still exists. */
function ownersWatch(): { start: Owners; now(): OwnersNow } {
  const parent = process.ppid;
  const fromProc = parentOf(parent);
  if (fromProc !== null) return { start: { parent, grandparent: fromProc }, now: () => ({ parent: process.ppid, grandparent: parentOf(parent) }) };
  const ps = spawnSync('ps', ['-o', 'ppid=', '-p', String(parent)], { encoding: 'utf8' });
  const grandparent = Number.parseInt(ps.stdout ?? '', 10);
  if (!(grandparent > 1)) return { start: { parent, grandparent: null }, now: () => ({ parent: process.ppid, grandparent: null }) };
  const exists = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  // A grandparent that no longer exists reads as pid -1: gone.
  return { start: { parent, grandparent }, now: () => ({ parent: process.ppid, grandparent: exists(grandparent) ? grandparent : -1 }) };
}

/** Options of meterCommand beyond the meter's own flags. */
export interface MeterCommandOptions {
  /** How often the owners are checked, ms; default 250. */
  pollMs?: number;
}

/** How long the meter may take to exit once its lifeline is closed before it is killed. */
const KILL_AFTER_MS = 3000;

/**
 * Runs the meter until it exits (Ctrl-C drains it: it is in the terminal's
 * process group) and resolves with its exit code. `--keep-running` (not
 * passed to the meter) lets it outlive its owner, for nohup and the like.
 */
export async function meterCommand(argv: string[], options: MeterCommandOptions = {}): Promise<number> {
  const keepRunning = argv.includes('--keep-running');
  const meterArgs = argv.filter((a) => a !== '--keep-running');
  const binary = ensureMeter({ log: (line) => process.stderr.write(`${line}\n`) });
  // Our flags first: the meter takes the last of a repeated flag, so the user's own stay in force.
  const lifeline = keepRunning ? [] : ['--lifeline-fd', '3', '--parent-pid', String(process.pid)];
  const child = spawn(binary, [...lifeline, ...meterArgs], { stdio: keepRunning ? 'inherit' : ['inherit', 'inherit', 'inherit', 'pipe'] });
  // The owner that redirected our stderr may be gone with its pipe: a failed write must not crash the CLI.
  process.stderr.on('error', () => {});
  // The terminal's Ctrl-C reaches the meter itself (same process group); keep this process alive until it has drained.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1))));
  if (keepRunning) return exited;

  const owners = ownersWatch();
  const poll = setInterval(() => {
    const why = ownersGone(owners.start, owners.now());
    if (why === null) return;
    clearInterval(poll);
    process.stderr.write(`k6-llm: meter: ${why}: stopping the stream meter\n`);
    // Closing the lifeline is the owner going away: a short drain, then exit.
    child.stdio[3]?.destroy();
    setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS).unref();
  }, options.pollMs ?? 250);
  try {
    return await exited;
  } finally {
    clearInterval(poll);
  }
}
