// The bench's mock LLM server: started as its own process (so its CPU is
// apart from k6's and the meter's), asked for its counters, stopped.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { MockStats } from '../mock-server/server.ts';

/** The streams the mock sends: first token after ttftMs, then one every itlMs, outputTokens in all. */
export interface MockShape {
  ttftMs: number;
  itlMs: number;
  outputTokens: number;
}

/** The running mock. */
export interface Mock {
  url: string;
  port: number;
  pid: number;
  stats(): Promise<MockStats | null>;
  stop(): Promise<void>;
}

/** Starts the mock server (dist/tools/mock-server.mjs under root) as its own process and waits for its listening line. */
export function startMock(root: string, shape: MockShape): Promise<Mock> {
  const args = [join(root, 'dist', 'tools', 'mock-server.mjs'), '--port', '0', '--quiet', '--ttft-ms', String(shape.ttftMs), '--itl-ms', String(shape.itlMs), '--output-tokens', String(shape.outputTokens)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the mock printed no listening line within 10 s; its stderr: ${stderr.trim() || '(empty)'}`));
    }, 10_000);
    void closed.then(() => {
      clearTimeout(timer);
      reject(new Error(`the mock exited before listening; its stderr: ${stderr.trim() || '(empty)'}`));
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      out += c;
      const m = /mock-llm listening on (http:\/\/[^\s]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1]!.replace(/\/$/, '');
      const base = url.replace(/\/v1$/, '');
      resolve({
        url,
        port: Number(new URL(url).port),
        pid: child.pid!,
        stats: async () => {
          try {
            const res = await fetch(`${base}/mock/stats`, { signal: AbortSignal.timeout(2000) });
            return (await res.json()) as MockStats;
          } catch {
            return null;
          }
        },
        stop: async () => {
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
          await closed;
          clearTimeout(kill);
        },
      });
    });
  });
}

/** Events the mock has sent: content chunks, each stream's role chunk, and finish + usage + [DONE] of each completed stream. */
export function mockEvents(s: MockStats): number {
  return s.chunksSent + s.streams + 3 * (s.streams - s.activeStreams - s.aborted);
}
