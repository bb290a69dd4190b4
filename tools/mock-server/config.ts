// Configuration of the mock LLM server: defaults, command-line flags, MOCK_*
// environment variables and JSON partials (POST /mock/config), all checked
// against one table so every source gets the same validation and messages.

/** Everything the mock server's behaviour depends on. Times in milliseconds. */
export interface MockConfig {
  /** Interface to bind, e.g. 127.0.0.1. */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Time to first token, from request body received to first content chunk (ms). */
  ttftMs: number;
  /** Inter-token latency between consecutive tokens (ms). */
  itlMs: number;
  /** Tokens generated per response before any max_tokens cap. */
  outputTokens: number;
  /** Tokens carried by each content chunk (the last may carry fewer). */
  tokensPerChunk: number;
  /** Per-token uniform jitter in [-jitterMs, +jitterMs] (ms); 0 = exact schedule. */
  jitterMs: number;
  /** Seed of the jitter PRNG, so runs are reproducible. */
  seed: number;
  /** Send a `: keep-alive` comment before every Nth content chunk; 0 = never. */
  keepaliveEvery: number;
  /** Frame SSE lines with CRLF instead of LF. */
  crlf: boolean;
  /** Bearer key required on /v1/* requests; null = no authentication. */
  apiKey: string | null;
  /** Suppress informational output (the shutdown stats line). */
  quiet: boolean;
  /** Capacity model (capacity.ts): decode slots; 0 = off, every request served at once. */
  slots: number;
  /** Capacity model: prefill time per prompt token (ms), added to ttftMs after admission. */
  prefillMsPerToken: number;
  /** Capacity model: each decode step takes itlMs × (1 + batchSlowdown × (running − 1)). */
  batchSlowdown: number;
  /** Capacity model: most requests in the server (running + waiting) before 429s; 0 = no limit. */
  maxConcurrent: number;
}

/** Defaults used when neither a flag nor an environment variable is given. */
export const DEFAULT_MOCK_CONFIG: Readonly<MockConfig> = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  ttftMs: 200,
  itlMs: 20,
  outputTokens: 64,
  tokensPerChunk: 1,
  jitterMs: 0,
  seed: 1,
  keepaliveEvery: 16,
  crlf: false,
  apiKey: null,
  quiet: false,
  slots: 0,
  prefillMsPerToken: 0,
  batchSlowdown: 0,
  maxConcurrent: 0,
});

/** Invalid mock configuration; `variable` names the flag, env var or key at fault. */
export class MockConfigError extends Error {
  /** The flag, environment variable or JSON key at fault, e.g. `--itl-ms`. */
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(message);
    this.name = 'MockConfigError';
    this.variable = variable;
  }
}

type Kind = 'host' | 'number' | 'integer' | 'boolean' | 'key';

interface Field {
  key: keyof MockConfig;
  flag: string;
  env: string;
  kind: Kind;
  min?: number;
  max?: number;
}

// Upper bounds keep values inside what timers and memory can honour; they are
// far beyond any sensible load test.
const MAX_MS = 3_600_000;
const MAX_TOKENS = 1_000_000;

const FIELDS: readonly Field[] = [
  { key: 'host', flag: '--host', env: 'MOCK_HOST', kind: 'host' },
  { key: 'port', flag: '--port', env: 'MOCK_PORT', kind: 'integer', min: 0, max: 65535 },
  { key: 'ttftMs', flag: '--ttft-ms', env: 'MOCK_TTFT_MS', kind: 'number', min: 0, max: MAX_MS },
  { key: 'itlMs', flag: '--itl-ms', env: 'MOCK_ITL_MS', kind: 'number', min: 0, max: MAX_MS },
  { key: 'outputTokens', flag: '--output-tokens', env: 'MOCK_OUTPUT_TOKENS', kind: 'integer', min: 1, max: MAX_TOKENS },
  { key: 'tokensPerChunk', flag: '--tokens-per-chunk', env: 'MOCK_TOKENS_PER_CHUNK', kind: 'integer', min: 1, max: MAX_TOKENS },
  { key: 'jitterMs', flag: '--jitter-ms', env: 'MOCK_JITTER_MS', kind: 'number', min: 0, max: MAX_MS },
  { key: 'seed', flag: '--seed', env: 'MOCK_SEED', kind: 'integer', min: 0, max: 0xffffffff },
  { key: 'keepaliveEvery', flag: '--keepalive-every', env: 'MOCK_KEEPALIVE_EVERY', kind: 'integer', min: 0, max: MAX_TOKENS },
  { key: 'crlf', flag: '--crlf', env: 'MOCK_CRLF', kind: 'boolean' },
  { key: 'apiKey', flag: '--api-key', env: 'MOCK_API_KEY', kind: 'key' },
  { key: 'quiet', flag: '--quiet', env: 'MOCK_QUIET', kind: 'boolean' },
  { key: 'slots', flag: '--slots', env: 'MOCK_SLOTS', kind: 'integer', min: 0, max: MAX_TOKENS },
  { key: 'prefillMsPerToken', flag: '--prefill-ms-per-token', env: 'MOCK_PREFILL_MS_PER_TOKEN', kind: 'number', min: 0, max: MAX_MS },
  { key: 'batchSlowdown', flag: '--batch-slowdown', env: 'MOCK_BATCH_SLOWDOWN', kind: 'number', min: 0, max: 1000 },
  { key: 'maxConcurrent', flag: '--max-concurrent', env: 'MOCK_MAX_CONCURRENT', kind: 'integer', min: 0, max: MAX_TOKENS },
];

/** Usage text for --help. */
export const MOCK_USAGE = `Usage: mock-server [flags]

OpenAI-compatible mock LLM server with exact, measured token timing.
Every flag has a MOCK_* environment variable equivalent (e.g. MOCK_ITL_MS); flags win.

  --host <addr>              interface to bind (default 127.0.0.1)
  --port <n>                 TCP port, 0 = free port (default 0)
  --ttft-ms <ms>             time to first token (default 200)
  --itl-ms <ms>              inter-token latency (default 20)
  --output-tokens <n>        tokens per response before max_tokens (default 64)
  --tokens-per-chunk <n>     tokens per SSE content chunk (default 1)
  --jitter-ms <ms>           uniform per-token jitter in [-ms, +ms] (default 0)
  --seed <n>                 jitter PRNG seed (default 1)
  --keepalive-every <n>      ': keep-alive' comment every Nth chunk, 0 = off (default 16)
  --crlf                     CRLF SSE line framing instead of LF
  --api-key <key>            require 'Authorization: Bearer <key>' on /v1/*
  --quiet                    no shutdown stats line
  --help                     show this text

Capacity model (continuous batching; off unless --slots is set):
  --slots <n>                decode slots; requests beyond wait in FIFO order, TTFT includes the wait (default 0 = off)
  --prefill-ms-per-token <ms>  prefill time per prompt token, added to --ttft-ms after admission (default 0)
  --batch-slowdown <x>       each decode step takes itl × (1 + x × (running − 1)) (default 0)
  --max-concurrent <n>       refuse with 429 when n requests are in (running + waiting), 0 = no limit (default 0)
`;

function expected(field: Field): string {
  switch (field.kind) {
    case 'host':
      return 'a non-empty host name or address';
    case 'key':
      return 'a non-empty string';
    case 'boolean':
      return 'true or false';
    case 'number':
    case 'integer': {
      const noun = field.kind === 'number' ? 'a number' : 'an integer';
      // The common case reads best as ">= min"; the cap only matters when hit.
      return `${noun} >= ${field.min ?? 0}`;
    }
  }
}

function rangeText(field: Field): string {
  const noun = field.kind === 'number' ? 'a number' : 'an integer';
  return `${noun} between ${field.min ?? 0} and ${field.max}`;
}

function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function invalid(variable: string, expectation: string, got: unknown): MockConfigError {
  return new MockConfigError(variable, `invalid ${variable}; expected ${expectation}, got ${quote(got)}`);
}

function checkNumber(field: Field, variable: string, value: number, got: unknown): number {
  if (!Number.isFinite(value) || (field.kind === 'integer' && !Number.isInteger(value)) || value < (field.min ?? 0)) {
    throw invalid(variable, expected(field), got);
  }
  if (field.max !== undefined && value > field.max) throw invalid(variable, rangeText(field), got);
  return value;
}

/** Converts a flag or env string to the field's type; `variable` names the source in errors. */
function fromText(field: Field, variable: string, text: string): MockConfig[keyof MockConfig] {
  switch (field.kind) {
    case 'host':
    case 'key':
      if (text.trim() === '') throw invalid(variable, expected(field), text);
      return text;
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true' || lower === '1' || lower === 'yes') return true;
      if (lower === 'false' || lower === '0' || lower === 'no') return false;
      throw invalid(variable, expected(field), text);
    }
    case 'number':
    case 'integer':
      // Number('') is 0, so blank strings need their own rejection.
      if (text.trim() === '') throw invalid(variable, expected(field), text);
      return checkNumber(field, variable, Number(text), text);
  }
}

/** Checks a JSON value for the field without coercion; `variable` names the key in errors. */
function fromJson(field: Field, variable: string, value: unknown): MockConfig[keyof MockConfig] {
  switch (field.kind) {
    case 'host':
      if (typeof value !== 'string' || value.trim() === '') throw invalid(variable, expected(field), value);
      return value;
    case 'key':
      if (value === null) return null;
      if (typeof value !== 'string' || value.trim() === '') throw invalid(variable, 'a non-empty string or null', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(variable, expected(field), value);
      return value;
    case 'number':
    case 'integer':
      if (typeof value !== 'number') throw invalid(variable, expected(field), value);
      return checkNumber(field, variable, value, value);
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest candidate, if close enough to be a plausible typo or abbreviation. */
function closest(given: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(given.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const isPrefix = given.length >= 4 && candidates.some((c) => c.startsWith(given));
  if (isPrefix) return candidates.find((c) => c.startsWith(given));
  return bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

const FLAG_NAMES = [...FIELDS.map((f) => f.flag), '--help'];

/** Builds a config from defaults, then MOCK_* env vars, then flags (flags win); throws MockConfigError. */
export function parseMockArgs(argv: readonly string[], env: Record<string, string | undefined>): MockConfig {
  const config: MockConfig = { ...DEFAULT_MOCK_CONFIG };
  const assign = (field: Field, value: MockConfig[keyof MockConfig]): void => {
    (config as unknown as Record<string, unknown>)[field.key] = value;
  };

  for (const field of FIELDS) {
    const text = env[field.env];
    // An empty variable is how shells usually "unset" something, so it means default.
    if (text === undefined || text === '') continue;
    assign(field, fromText(field, field.env, text));
  }

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      throw new MockConfigError(arg, `unexpected argument ${quote(arg)}; flags look like --itl-ms 20 (see --help)`);
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const field = FIELDS.find((f) => f.flag === name);
    if (field === undefined) {
      const hint = closest(name, FLAG_NAMES);
      throw new MockConfigError(name, `unknown flag ${name}${hint ? `; did you mean ${hint}?` : ' (see --help)'}`);
    }
    if (field.kind === 'boolean') {
      assign(field, eq === -1 ? true : fromText(field, field.flag, arg.slice(eq + 1)));
      continue;
    }
    let text: string | undefined;
    if (eq !== -1) {
      text = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      // A following flag means the value was forgotten, not that it is "--quiet".
      if (next === undefined || next.startsWith('--')) {
        throw new MockConfigError(field.flag, `missing value for ${field.flag}; expected ${expected(field)}`);
      }
      text = next;
      i++;
    }
    assign(field, fromText(field, field.flag, text));
  }
  return config;
}

/** Returns base with a JSON partial (camelCase MockConfig keys) applied; throws MockConfigError. */
export function mergeMockConfig(base: Readonly<MockConfig>, partial: unknown): MockConfig {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
    throw invalid('config', 'a JSON object of MockConfig keys', partial);
  }
  const merged: MockConfig = { ...base };
  const keys = FIELDS.map((f) => f.key as string);
  for (const [key, value] of Object.entries(partial)) {
    const field = FIELDS.find((f) => f.key === key);
    if (field === undefined) {
      const hint = closest(key, keys);
      throw new MockConfigError(key, `unknown config key ${quote(key)}${hint ? `; did you mean ${quote(hint)}?` : `; expected one of ${keys.join(', ')}`}`);
    }
    (merged as unknown as Record<string, unknown>)[key] = fromJson(field, key, value);
  }
  return merged;
}
