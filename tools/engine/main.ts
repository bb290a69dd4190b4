// `npm run engine`: installs (once, cached) and starts llama.cpp's
// OpenAI-compatible server with Gemma 3 270M on 127.0.0.1, prints its base
// URL, and runs until Ctrl-C (or --for DURATION), then stops it. Its log,
// with llama.cpp's per-request prefill and decode times, goes to
// --log FILE (default engine.log in the system's temp folder).
//
//   npm run engine                      # prints LLM_BASE_URL=http://127.0.0.1:PORT/v1
//   npm run engine -- --port 8080 --threads 1 --for 10m

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDurationMs } from '../../src/duration.ts';
import { EngineInstallError, ensureEngine } from './install.ts';
import { startEngine } from './server.ts';

const USAGE = 'usage: npm run engine -- [--port N] [--threads N] [--log FILE] [--for DURATION] [--install-only]';

/** The engine command's flags. */
export interface EngineArgs {
  port: number | undefined;
  threads: number;
  log: string;
  forMs: number | null;
  installOnly: boolean;
}

/** Parses the flags; throws a one-line error naming the flag. */
export function parseEngineArgs(argv: string[], tmp = tmpdir()): EngineArgs {
  const out: EngineArgs = { port: undefined, threads: 1, log: join(tmp, 'k6-llm-engine.log'), forMs: null, installOnly: false };
  const int = (flag: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min || n > max) throw new Error(`invalid ${flag}; expected an integer ${min}..${max}, got ${v === undefined ? 'nothing' : `"${v}"`} (${USAGE})`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--port') out.port = int(flag, argv[++i], 1, 65535);
    else if (flag === '--threads') out.threads = int(flag, argv[++i], 1, 256);
    else if (flag === '--log') {
      const v = argv[++i];
      if (!v) throw new Error(`invalid --log; expected a file path, got nothing (${USAGE})`);
      out.log = v;
    } else if (flag === '--for') {
      const v = argv[++i];
      if (!v) throw new Error(`invalid --for; expected a duration such as 10m, got nothing (${USAGE})`);
      const ms = parseDurationMs(v);
      if (ms === null || !(ms > 0)) throw new Error(`invalid --for; expected a duration such as 10m or 90s, got "${v}" (${USAGE})`);
      out.forMs = ms;
    } else if (flag === '--install-only') out.installOnly = true;
    else throw new Error(`invalid flag "${flag}"; expected one of --port, --threads, --log, --for, --install-only (${USAGE})`);
  }
  return out;
}

async function main(): Promise<number> {
  let args: EngineArgs;
  try {
    args = parseEngineArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`k6-llm engine: ${(err as Error).message}\n`);
    return 2;
  }
  let install;
  try {
    install = ensureEngine();
  } catch (err) {
    if (err instanceof EngineInstallError) {
      process.stderr.write(`k6-llm engine: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  process.stderr.write(`k6-llm engine: model ${install.model}\n`);
  if (args.installOnly) return 0;
  const engine = await startEngine(install, { port: args.port, threads: args.threads, logFile: args.log });
  process.stdout.write(`LLM_BASE_URL=${engine.url}\n`);
  process.stderr.write(`k6-llm engine: llama.cpp server (pid ${engine.pid}, ${args.threads} thread${args.threads === 1 ? '' : 's'}) log in ${args.log}; Ctrl-C stops it\n`);
  const crashed = await new Promise<string | null>((resolve) => {
    process.once('SIGINT', () => resolve(null));
    process.once('SIGTERM', () => resolve(null));
    if (args.forMs !== null) setTimeout(() => resolve(null), args.forMs).unref();
    void engine.exited.then(({ code, signal }) => resolve(`the llama.cpp server exited by itself (${signal ?? `code ${code}`}); its log: ${args.log}`));
  });
  if (crashed) {
    process.stderr.write(`k6-llm engine: ${crashed}\n`);
    return 1;
  }
  const code = await engine.stop();
  process.stderr.write(`k6-llm engine: stopped (exit code ${code ?? 'signal'})\n`);
  return 0;
}

// Run as a program, not when a test imports parseEngineArgs.
if (process.argv[1] && /engine(\.mjs|[\\/]main\.ts)$/.test(process.argv[1])) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`k6-llm engine: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
