// Command-line parsing for the k6-llm CLI: flags map one-to-one onto LLM_*
// variables, so the CLI can never do what a plain `k6 run -e ...` cannot.

import { closest } from '../../src/suggest.ts';

/** CLI flag → the LLM_* variable it sets. */
export const FLAG_TO_VARIABLE: Readonly<Record<string, string>> = {
  '--url': 'LLM_BASE_URL',
  '--model': 'LLM_MODEL',
  '--protocol': 'LLM_PROTOCOL',
  '--duration': 'LLM_DURATION',
  '--vus': 'LLM_VUS',
  '--max-tokens': 'LLM_MAX_TOKENS',
  '--stream': 'LLM_STREAM',
  '--timeout': 'LLM_TIMEOUT',
  '--stall-timeout': 'LLM_STALL_TIMEOUT',
  '--transport': 'LLM_TRANSPORT',
  '--prompt': 'LLM_PROMPT',
  '--think-time': 'LLM_THINK_TIME',
  '--summary-json': 'LLM_SUMMARY_JSON',
  '--lag-warn-ms': 'LLM_LAG_WARN_MS',
  '--thresholds': 'LLM_THRESHOLDS',
  '--rate': 'LLM_RATE',
  '--arrival': 'LLM_ARRIVAL',
  '--burstiness': 'LLM_BURSTINESS',
  '--ramp-from': 'LLM_RAMP_FROM',
  '--seed': 'LLM_SEED',
  '--dataset': 'LLM_DATASET',
  '--tools': 'LLM_TOOLS',
  '--trace': 'LLM_TRACE',
  '--prompt-tokens': 'LLM_PROMPT_TOKENS',
  '--shared-prefix': 'LLM_SHARED_PREFIX',
  '--images': 'LLM_IMAGES',
  '--image-size': 'LLM_IMAGE_SIZE',
  '--ignore-eos': 'LLM_IGNORE_EOS',
  '--turns': 'LLM_TURNS',
  '--max-lag': 'LLM_MAX_LAG',
  '--batch-size': 'LLM_BATCH_SIZE',
  '--mix': 'LLM_MIX',
  '--levels': 'LLM_LEVELS',
  '--ramp-by': 'LLM_RAMP_BY',
  '--level-duration': 'LLM_LEVEL_DURATION',
  '--warmup': 'LLM_WARMUP',
};

/** Flags that are the CLI's own, not LLM_* variables. */
const OWN_FLAGS = ['--out-dir', '--k6', '--quiet'];

/** A usage error: one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parsed `run` arguments. */
export interface RunArgs {
  workload: string;
  /** LLM_* variables set by flags or -e KEY=VALUE. */
  variables: Record<string, string>;
  outDir: string | null;
  k6: string | null;
  /** --quiet: no progress lines. */
  quiet: boolean;
}

/** Parses `run <workload> [flags]` (argv without the command word). */
export function parseRunArgs(argv: string[]): RunArgs {
  const args: RunArgs = { workload: '', variables: {}, outDir: null, k6: null, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-')) {
      if (args.workload) throw new UsageError(`invalid argument "${arg}"; expected one workload name, got a second one`);
      args.workload = arg;
      continue;
    }
    if (arg === '--quiet') {
      args.quiet = true;
      continue;
    }
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? splitOnce(arg, '=') : [arg, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`invalid ${flag}; expected a value after it, got nothing`);
    if (flag === '-e' || flag === '--env') {
      const [key, val] = splitOnce(value, '=');
      if (!key || val === undefined) throw new UsageError(`invalid -e ${value}; expected KEY=VALUE`);
      if (key === 'LLM_API_KEY') throw new UsageError('invalid -e LLM_API_KEY; expected the key in the environment (export LLM_API_KEY=...), never on the command line');
      args.variables[key] = val;
    } else if (flag === '--out-dir') {
      args.outDir = value;
    } else if (flag === '--k6') {
      args.k6 = value;
    } else if (flag in FLAG_TO_VARIABLE) {
      args.variables[FLAG_TO_VARIABLE[flag] as string] = value;
    } else {
      const known = [...Object.keys(FLAG_TO_VARIABLE), ...OWN_FLAGS];
      const hint = closest(flag, known);
      // The hint first: the whole list is long (k6-llm --help has it with meanings).
      throw new UsageError(hint ? `invalid flag ${flag}; did you mean ${hint}? (k6-llm --help lists every flag)` : `invalid flag ${flag}; expected one of ${known.join(', ')}`);
    }
  }
  if (!args.workload) throw new UsageError('invalid run command; expected a workload name, e.g. `k6-llm run chat --url http://host:8000/v1`');
  return args;
}

/**
 * A built-in workload is run against the endpoint named by --url or
 * LLM_BASE_URL, never against the default http://127.0.0.1:8000/v1 unasked.
 * A script of one's own is let through: its Client may name its own
 * endpoint (new Client({ baseUrl })), which only running it would tell.
 */
export function requireEndpoint(run: Pick<RunArgs, 'workload' | 'variables'>, isScript: boolean, env: NodeJS.ProcessEnv): void {
  if (isScript || run.variables.LLM_BASE_URL || env.LLM_BASE_URL) return;
  throw new UsageError(
    `invalid run command; expected the endpoint as --url URL (or LLM_BASE_URL in the environment), got neither (k6-llm demo ${run.workload} runs against a built-in mock server)`,
  );
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
