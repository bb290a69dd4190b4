// Runs tcpdump (Debian's) to capture the bench's loopback traffic: found on
// PATH or in the sbin directories, started on an interface with a port
// filter, ready once it says it is listening, stopped with SIGINT, which
// makes it print its packet counts (kernel drops included) on stderr.
//
// Stopping waits first: libpcap's TPACKET_V3 ring hands tcpdump a partly
// filled block only when the block's timeout (tcpdump's 1 s) expires, and a
// SIGINT before that discards the block: the last second of traffic would be
// "received by filter" but never written.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The hint printed when tcpdump is missing. */
export const TCPDUMP_HINT = 'tcpdump not found: TTFT/ITL against the wire are skipped (install it: apt-get install -y tcpdump; capturing needs root or CAP_NET_RAW)';

/** The tcpdump binary, or null when there is none. */
export function findTcpdump(env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter((d) => d !== ''), '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'tcpdump');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** tcpdump's closing counts; null where it did not print the line. */
export interface CaptureStats {
  captured: number | null;
  receivedByFilter: number | null;
  droppedByKernel: number | null;
  droppedByInterface: number | null;
}

/** Reads the counts tcpdump prints on stderr when it stops. */
export function parseCaptureStats(stderr: string): CaptureStats {
  const count = (what: string): number | null => {
    const m = new RegExp(`^(\\d+) packets? ${what}$`, 'm').exec(stderr);
    return m ? Number(m[1]) : null;
  };
  return {
    captured: count('captured'),
    receivedByFilter: count('received by filter'),
    droppedByKernel: count('dropped by kernel'),
    droppedByInterface: count('dropped by interface'),
  };
}

/** A running capture. */
export interface Capture {
  pid: number;
  /** Waits settleMs (default 1500: see above), sends SIGINT and returns its counts; SIGKILL after killAfterMs if it does not exit. */
  stop(settleMs?: number, killAfterMs?: number): Promise<{ stats: CaptureStats; stderr: string; code: number | null }>;
}

/** Options of startCapture. */
export interface CaptureOptions {
  binary: string;
  iface: string;
  /** The pcap filter expression, e.g. `tcp port 8080`. */
  filter: string;
  file: string;
  /** Kernel buffer (KiB), tcpdump -B. */
  bufferKiB?: number;
  /** How long to wait for "listening on"; default 10 s. */
  startTimeoutMs?: number;
}

/** Starts tcpdump and resolves once it is listening; rejects with its stderr if it exits or stays silent. */
export function startCapture(o: CaptureOptions): Promise<Capture> {
  const args = ['-i', o.iface, '-s', '0', '-B', String(o.bufferKiB ?? 131072), '-w', o.file, '--time-stamp-precision=nano', '-U', o.filter];
  return new Promise((resolve, reject) => {
    const child = spawn(o.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let ready = false;
    let code: number | null = null;
    const closed = new Promise<void>((res) =>
      child.once('close', (c) => {
        code = c;
        res();
      }),
    );
    const timer = setTimeout(() => {
      if (ready) return;
      child.kill('SIGKILL');
      reject(new Error(`tcpdump did not say it was listening within ${o.startTimeoutMs ?? 10_000} ms; its stderr: ${stderr.trim() || '(empty)'}`));
    }, o.startTimeoutMs ?? 10_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not start tcpdump (${o.binary}): ${err.message}`));
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (!ready && /listening on /.test(stderr)) {
        ready = true;
        clearTimeout(timer);
        resolve({
          pid: child.pid!,
          stop: async (settleMs = 1500, killAfterMs = 10_000) => {
            if (code === null) await new Promise((r) => setTimeout(r, settleMs));
            if (code === null) child.kill('SIGINT');
            const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
            await closed;
            clearTimeout(kill);
            return { stats: parseCaptureStats(stderr), stderr, code };
          },
        });
      }
    });
    void closed.then(() => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`tcpdump exited (code ${code}) before listening; its stderr: ${stderr.trim().split('\n').join(' | ') || '(empty)'}`));
    });
  });
}
