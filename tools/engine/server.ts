// Starts llama.cpp's OpenAI-compatible server (llama-cpp-python's
// `python -m llama_cpp.server`) on 127.0.0.1 with the cached Gemma 3 270M
// model, on one thread, and waits until it answers /v1/models. Its stderr,
// where llama.cpp logs each request's prefill and decode times, goes to a log
// file and is kept for parseEngineTimings. Stopping is bounded: SIGTERM,
// then SIGKILL.
//
// What this server does not do, and the tests rely on knowing: it sends no
// `usage` in streams (token counts are estimated from the chunks), it
// honours max_tokens (not max_completion_tokens), it serves one request at
// a time (others wait for its one slot: --interrupt_requests false, see
// serverArgs), and it reuses the KV cache of the previous prompt for the
// longest common prefix (an identical prompt skips prefill).

import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import type { EngineInstall } from './install.ts';
import { parseEngineTimings, type EngineTimings } from './server-log.ts';

/** A running engine. */
export interface Engine {
  /** The OpenAI-compatible base URL, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  port: number;
  pid: number;
  /** The server's stderr so far. */
  log(): string;
  /** Each finished request's logged timings so far, in the order the server finished them. */
  timings(): EngineTimings[];
  /** Stops it: SIGTERM, SIGKILL after killAfterMs (default 10 s); resolves with its exit code (null: killed by a signal). */
  stop(killAfterMs?: number): Promise<number | null>;
  /** Resolves when the server has exited, by stop() or by itself (a crash), with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Options of startEngine. */
export interface StartEngineOptions {
  /** Port; default a free one. */
  port?: number;
  /** Threads for generation (--n_threads); default 1. */
  threads?: number;
  /** Context size (--n_ctx); default 2048. */
  contextTokens?: number;
  /** Also write the server's stderr here. */
  logFile?: string;
  /** Longest wait for the server to load the model and answer (ms); default 120 s. */
  startTimeoutMs?: number;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free when this returns). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The server's command line (after the venv's python). */
export function serverArgs(model: string, port: number, threads: number, contextTokens: number): string[] {
  return [
    '-m',
    'llama_cpp.server',
    '--model',
    model,
    '--chat_format',
    'gemma',
    '--n_threads',
    String(threads),
    '--n_threads_batch',
    String(threads),
    '--n_ctx',
    String(contextTokens),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    // llama.cpp's per-request perf lines (prompt eval time, eval time) are printed only when verbose.
    '--verbose',
    'true',
    // By default a request that arrives while another streams ends that stream at once with
    // `data: [DONE]` (no finish reason): concurrent clients would cut each other's answers short.
    // Off, requests wait for the one slot in turn, as a one-slot server's queue should.
    '--interrupt_requests',
    'false',
    // The server's default computes the logits of every prompt token (Gemma's vocabulary is 262 144
    // entries), for prompt logprobs k6-llm never asks; that more than doubles prefill (33 tokens: ~345 ms
    // against ~150 ms). Off, only the last position's logits are computed, as llama.cpp's own server does.
    '--logits_all',
    'false',
  ];
}

/** True when a /v1/models answer lists `model` (llama-cpp-python names a model by its path unless given an alias). */
export function servesModel(body: string, model: string): boolean {
  try {
    const data = (JSON.parse(body) as { data?: { id?: unknown }[] }).data;
    return Array.isArray(data) && data.some((m) => m.id === model);
  } catch {
    return false;
  }
}

/** Starts the server and resolves once GET /v1/models answers 200; rejects with the log's tail if it exits or stays silent. */
export async function startEngine(install: EngineInstall, options: StartEngineOptions = {}): Promise<Engine> {
  const port = options.port ?? (await freePort());
  const args = serverArgs(install.model, port, options.threads ?? 1, options.contextTokens ?? 2048);
  const child = spawn(install.python, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  let text = '';
  let file: WriteStream | null = options.logFile ? createWriteStream(options.logFile) : null;
  const take = (chunk: Buffer) => {
    const s = chunk.toString('utf8');
    text += s;
    file?.write(s);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  let exitCode: number | null | undefined;
  const exitedWith = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      exitCode = code;
      file?.end();
      file = null;
      resolve({ code, signal });
    }),
  );
  const exited = exitedWith.then(() => undefined);
  const stop = async (killAfterMs = 10_000): Promise<number | null> => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exited;
      clearTimeout(kill);
    }
    return exitCode ?? null;
  };
  const url = `http://127.0.0.1:${port}/v1`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  const tail = () => text.trim().split('\n').slice(-5).join(' | ') || '(no output)';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the llama.cpp server exited (code ${exitCode}) before it answered: ${tail()}`);
    try {
      const res = await fetch(`${url}/models`, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      // Ours only: a port taken by another server (the engine then fails to bind and exits) answers too.
      if (res.status === 200 && servesModel(body, install.model) && exitCode === undefined) {
        return { url, port, pid: child.pid!, log: () => text, timings: () => parseEngineTimings(text), stop, exited: exitedWith };
      }
    } catch {
      // Not listening yet (the model loads before uvicorn binds the port).
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the llama.cpp server did not answer on ${url} within ${options.startTimeoutMs ?? 120_000} ms: ${tail()}`);
}
