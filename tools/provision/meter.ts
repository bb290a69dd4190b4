// Finds, builds and starts the stream meter (meter/, a Go program using only
// the standard library; docs/meter-protocol.md). In order: K6_LLM_METER_BINARY;
// the prebuilt platform package npm installed (@k6-llm/meter-linux-x64, ...;
// meter-platforms.ts), used only when its binary's SHA-256 is the one this
// k6-llm recorded; a build of meter/ from source when Go is on PATH (cached
// outside the repository, keyed by the sources and the Go version); else one
// line saying what was looked for and how to get a meter.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { cacheRoot, repoRoot } from './k6.ts';
import { findPackagedMeter, meterPlatform, noMeterMessage, type MeterPlatform } from './meter-platforms.ts';

/** A meter build or start-up problem the user can act on; the message is one line. */
export class MeterProvisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeterProvisionError';
  }
}

/** Options of ensureMeter. */
export interface EnsureMeterOptions {
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** The meter's Go sources; default `<packageRoot>/meter`. */
  sourceDir?: string;
  /** The k6-llm package (or clone) whose platform package and checksums are used; default the one running. */
  packageRoot?: string;
  /** The platform to find a prebuilt meter for (npm's names); default process.platform and process.arch. */
  os?: string;
  cpu?: string;
}

/**
 * The meter binary of the platform package installed beside the k6-llm
 * package at `root` (SHA-256 checked: meter-platforms.ts), or null when none
 * is installed; throws one line when one is installed but cannot be trusted.
 */
export function packagedMeter(root: string, platform: MeterPlatform): string | null {
  const found = findPackagedMeter(root, platform);
  if (found && 'problem' in found) throw new MeterProvisionError(found.problem);
  return found ? found.binary : null;
}

/** Every *.go and go.mod file under `dir`, sorted by path relative to it (with `/`). */
function meterSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.go') || name === 'go.mod') out.push(full);
    }
  };
  walk(dir);
  const rel = (f: string) => relative(dir, f).split(sep).join('/');
  return out.sort((a, b) => (rel(a) < rel(b) ? -1 : rel(a) > rel(b) ? 1 : 0));
}

/**
 * The build's cache key: sha256 over each source file's path (relative to
 * the meter directory) and content, in path order, then the `go version`
 * output; 16 hex characters.
 */
export function meterBuildKey(sourceDir: string, goVersion: string): string {
  const hash = createHash('sha256');
  for (const file of meterSources(sourceDir)) {
    hash.update(relative(sourceDir, file).split(sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  hash.update(goVersion.trim());
  return hash.digest('hex').slice(0, 16);
}

/** Where the build of the meter sources in `src` by the Go on PATH is cached (built or not yet); null without Go or sources. */
export function sourceBuildPath(src: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (!existsSync(join(src, 'go.mod'))) return null;
  const go = spawnSync('go', ['version'], { encoding: 'utf8', env });
  if (go.error || go.status !== 0) return null;
  return join(cacheRoot(env), `meter-${meterBuildKey(src, go.stdout)}`, 'meter');
}

/**
 * Returns the path of a stream meter binary: $K6_LLM_METER_BINARY when set,
 * else the platform package's (SHA-256 checked), else the cached build of
 * `<package>/meter`, building it first when the sources or the Go version
 * changed. Throws one line when there is none.
 */
export function ensureMeter(options: EnsureMeterOptions = {}): string {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  if (env.K6_LLM_METER_BINARY) {
    const binary = resolve(env.K6_LLM_METER_BINARY);
    if (!existsSync(binary) || !statSync(binary).isFile()) {
      throw new MeterProvisionError(`invalid K6_LLM_METER_BINARY; expected a built stream meter, got "${env.K6_LLM_METER_BINARY}", which does not exist`);
    }
    return binary;
  }

  const root = options.packageRoot ?? repoRoot();
  const os = options.os ?? process.platform;
  const cpu = options.cpu ?? process.arch;
  const platform = meterPlatform(os, cpu);
  const prebuilt = platform ? packagedMeter(root, platform) : null;
  if (prebuilt) return prebuilt;

  const src = resolve(options.sourceDir ?? join(root, 'meter'));
  const go = spawnSync('go', ['version'], { encoding: 'utf8', env });
  if (go.error || go.status !== 0) throw new MeterProvisionError(noMeterMessage(os, cpu));
  if (!existsSync(join(src, 'go.mod'))) {
    throw new MeterProvisionError(`invalid stream meter sources; expected a Go module (go.mod) in ${src}, got none`);
  }
  const dir = join(cacheRoot(env), `meter-${meterBuildKey(src, go.stdout)}`);
  const binary = join(dir, 'meter');
  if (existsSync(binary)) return binary;

  mkdirSync(dir, { recursive: true });
  // Built beside its final name, then renamed: the cached name is always a complete build.
  const tmp = join(dir, `meter.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  log(`building the stream meter (${src}) into ${dir}`);
  try {
    const res = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
      cwd: src,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      // Standard library only: no cgo (a static binary, no C compiler needed).
      env: { ...env, CGO_ENABLED: '0' },
    });
    if (res.error || res.status !== 0) {
      const tail = `${res.stdout ?? ''}\n${res.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
      if (tail) log(tail);
      throw new MeterProvisionError(`go build of the stream meter in ${src} failed (${res.error ? res.error.message : `exit code ${res.status}`}, output above)`);
    }
    renameSync(tmp, binary);
  } finally {
    rmSync(tmp, { force: true });
    // A failed build leaves no empty cache directory behind (one another build is using stays).
    if (!existsSync(binary)) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty, or already gone
      }
    }
  }
  log(`stream meter ready: ${binary}`);
  return binary;
}

/**
 * The meter URL with its secret replaced by `***` (`http://k6llm:***@127.0.0.1:PORT`),
 * for logs. Works on any text: every `scheme://user:secret@` in it is redacted.
 */
export function redactMeterUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]*@/gi, '$1***@');
}

/** A running stream meter. */
export interface MeterProcess {
  /** The LLM_METER_URL value, secret included: pass it on, never log it (see redactMeterUrl). */
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGTERM (the meter drains and flushes its records), SIGKILL after 15 s; resolves to the exit code (128+N for signal N). */
  stop(): Promise<number>;
  /** What the meter wrote on stderr so far (its last 1 MiB; the protocol keeps the secret out of it). */
  stderr(): string;
}

/** Options of startMeter. */
export interface StartMeterOptions {
  /** The meter binary; default ensureMeter({ env, log }). */
  binary?: string;
  /** --records FILE. */
  records?: string;
  /** --max-streams N. */
  maxStreams?: number;
  /** More meter flags, after those above. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** How long to wait for LLM_METER_URL; default 10 s. */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL; default 15 s. */
  killAfterMs?: number;
}

const STDERR_KEEP = 1024 * 1024;

/** A temporary file for the meter's stderr, read back by this process (its last STDERR_KEEP bytes). */
function openStderrFile(): { fd: number; read(): string; unlink(): void; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'k6-llm-meter-'));
  const path = join(dir, 'stderr');
  const fd = openSync(path, 'w+', 0o600);
  let open = true;
  let last = '';
  const unlink = () => rmSync(dir, { recursive: true, force: true });
  const read = (): string => {
    if (!open) return last;
    const size = fstatSync(fd).size;
    const n = Math.min(size, STDERR_KEEP);
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const r = readSync(fd, buf, got, n - got, size - n + got);
      if (r === 0) break;
      got += r;
    }
    last = buf.subarray(0, got).toString('utf8');
    return last;
  };
  const close = () => {
    if (!open) return;
    read();
    open = false;
    closeSync(fd);
    unlink();
  };
  return { fd, read, unlink, close };
}

function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? osConstants.signals[signal] : undefined;
  return n ? 128 + n : 1;
}

function oneLine(s: string): string {
  return s.trim().replace(/\s*\n\s*/g, ' | ');
}

/**
 * Starts the stream meter and resolves once it printed LLM_METER_URL.
 *
 * The meter gets `--stdin-lifeline` with stdin a pipe from this process and
 * `--parent-pid` of this process, so it exits within 0.5 s of this process
 * going away, even by SIGKILL, without stop(): the kernel closes the pipe,
 * and on Linux sends the parent-death signal. It runs in its own process group, so a terminal's Ctrl-C reaches k6 but not
 * the meter: the caller stops it after k6 is done. The child does not keep
 * Node's event loop alive by itself (stop() does while it waits).
 */
export function startMeter(options: StartMeterOptions = {}): Promise<MeterProcess> {
  const env = options.env ?? process.env;
  const binary = options.binary ?? ensureMeter({ env, log: options.log });
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const killAfterMs = options.killAfterMs ?? 15_000;
  const args = ['--stdin-lifeline', '--parent-pid', String(process.pid)];
  if (options.records !== undefined) args.push('--records', options.records);
  if (options.maxStreams !== undefined) args.push('--max-streams', String(options.maxStreams));
  args.push(...(options.args ?? []));

  // The meter's stderr goes to a file, not a pipe: if this process dies, a
  // Go program writing to a pipe nobody reads dies of SIGPIPE before it has
  // drained and flushed its records. The file is unlinked at once (the
  // meter and this process keep it open), so nothing is left behind.
  const stderrFile = openStderrFile();

  return new Promise<MeterProcess>((resolvePromise, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(binary, args, { env, stdio: ['pipe', 'pipe', stderrFile.fd], detached: true });
    } catch (err) {
      stderrFile.close();
      reject(new MeterProvisionError(`could not start the stream meter ${binary}: ${(err as Error).message}`));
      return;
    }
    stderrFile.unlink();
    let stdoutBuf = '';
    let settled = false;
    let exited: number | null = null;
    const closed = new Promise<number>((res) => {
      child.once('close', (code, signal) => {
        exited = exitStatus(code, signal);
        stderrFile.close();
        res(exited);
      });
    });
    // Nothing is ever written to the meter's stdin; a closed pipe is not an error.
    child.stdin?.on('error', () => {});

    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (exited === null && child.pid !== undefined) {
        for (const target of [-child.pid, child.pid]) {
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      reject(new MeterProvisionError(message));
    };
    const stderrSuffix = () => {
      const s = oneLine(redactMeterUrl(stderrFile.read()));
      return s ? `; its stderr: ${s}` : '; its stderr was empty';
    };

    const timer = setTimeout(() => {
      fail(`the stream meter (${binary}) printed no LLM_METER_URL line within ${startTimeoutMs} ms${stderrSuffix()}`);
    }, startTimeoutMs);

    child.once('error', (err) => {
      if (child.pid === undefined) stderrFile.close();
      fail(`could not start the stream meter ${binary}: ${err.message}`);
    });
    child.once('close', () => {
      if (!settled) fail(`the stream meter (${binary}) exited with code ${exited} before printing LLM_METER_URL${stderrSuffix()}`);
    });

    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (settled) return;
      stdoutBuf += chunk;
      let nl: number;
      while ((nl = stdoutBuf.indexOf('\n')) >= 0) {
        const line = stdoutBuf.slice(0, nl).replace(/\r$/, '');
        stdoutBuf = stdoutBuf.slice(nl + 1);
        if (!line.startsWith('LLM_METER_URL=')) continue;
        const url = line.slice('LLM_METER_URL='.length).trim();
        settled = true;
        clearTimeout(timer);
        stdoutBuf = '';
        // From here on the meter does not hold the event loop open; if this
        // process exits without stop(), its stdin closes and the meter exits.
        child.unref();
        for (const s of [child.stdin, child.stdout]) (s as unknown as { unref?: () => void } | null)?.unref?.();
        // Keep draining stdout (the protocol prints nothing more, but a full pipe would block the meter).
        child.stdout?.resume();
        let stopping: Promise<number> | null = null;
        const stop = (): Promise<number> => {
          if (stopping) return stopping;
          // Hold the event loop open until the meter has exited and its output is read.
          child.ref();
          (child.stdout as unknown as { ref?: () => void } | null)?.ref?.();
          stopping = (async () => {
            if (exited !== null) return exited;
            try {
              process.kill(child.pid!, 'SIGTERM');
            } catch {
              // already gone
            }
            const kill = setTimeout(() => {
              // The whole process group: nothing the meter started outlives it.
              for (const target of [-child.pid!, child.pid!]) {
                try {
                  process.kill(target, 'SIGKILL');
                } catch {
                  // already gone
                }
              }
            }, killAfterMs);
            try {
              return await closed;
            } finally {
              clearTimeout(kill);
              child.stdin?.destroy();
            }
          })();
          return stopping;
        };
        resolvePromise({ url, pid: child.pid!, child, stop, stderr: () => stderrFile.read() });
        return;
      }
    });
  });
}
