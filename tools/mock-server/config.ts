// Configuration of the mock LLM server: defaults, command-line flags, MOCK_*
// environment variables and JSON partials (POST /mock/config), all checked
// against one table so every source gets the same validation and messages.

import { quote } from '../../src/errors.ts';
import { closestOrPrefix as closest } from '../../src/suggest.ts';

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
  /** Prefill time per prompt token the prefix cache did not supply (ms), added to ttftMs (after admission under the capacity model). */
  prefillMsPerToken: number;
  /** Prefill time per 1000 pixels of each image outside the cached prefix (ms): the vision encoder's share of TTFT. */
  imageMsPerKpixel: number;
  /** Pixels per image token: an image is ⌈width × height / this⌉ prompt tokens (784 = one per 28 × 28 patch). */
  imagePixelsPerToken: number;
  /** Prefix cache capacity in blocks of 16 tokens (prompt-cache.ts); 0 = no cache, and usage says nothing of one. */
  prefixCacheBlocks: number;
  /** Capacity model: each decode step takes itlMs × (1 + batchSlowdown × (running − 1)). */
  batchSlowdown: number;
  /** Capacity model: most requests in the server (running + waiting) before 429s; 0 = no limit. */
  maxConcurrent: number;
  /** Honour ignore_eos (output exactly max_tokens) and min_tokens, as vLLM does. */
  lengthControl: boolean;
  /** The first N tokens of every answer are reasoning (capped by the answer's length); 0 = none. */
  reasoningTokens: number;
  /** The chat delta field reasoning goes in: `reasoning_content` (DeepSeek, older vLLM) or `reasoning` (newer vLLM, SGLang's option). */
  reasoningField: ReasoningField;
  /** Answer a request that offers `tools` with a call to its first tool, arguments streamed as deltas. */
  toolCalls: boolean;
  /** Share of chat requests (0..1) that get a fault from `faults`. */
  faultRate: number;
  /** The fault mix: kinds of FAULT_KINDS, each with an optional weight ("429:2,503,reset"), normalised to "kind:weight,...". */
  faults: string;
  /** Retry-After (seconds) sent with injected 429 and 503 answers and while warming up. */
  retryAfterS: number;
  /** Tokens streamed before an in-stream fault (reset, stall, malformed, stream_error). */
  faultAfterTokens: number;
  /** Silence of a `stall` fault (ms). */
  stallMs: number;
  /** Connection-refused window: starts this long after listen() or a config change (ms). */
  downAfterMs: number;
  /** Length of the connection-refused window (ms); 0 = no window. */
  downForMs: number;
  /** Scale to zero after this long without a request (ms); 0 = always warm. Starts scaled to zero. */
  scaleToZeroMs: number;
  /** Cold-start delay paid by the first request(s) after scaling to zero (ms). */
  coldStartMs: number;
  /** While warming up, answer 503 with Retry-After instead of holding the request. */
  coldStart503: boolean;
  /** Requests a kept-alive connection serves; the next one on it finds it closed (keep-alive-limit.ts); 0 = no limit. */
  keepAliveMax: number;
  /** A kept-alive connection idle longer than this (ms) is closed under the next request on it; 0 = never. */
  keepAliveIdleMs: number;
  /** PEM certificate file: serve HTTPS (needs tlsKey). */
  tlsCert: string | null;
  /** PEM private key file of tlsCert. */
  tlsKey: string | null;
}

/** Faults the mock can inject into a chat request. */
export const FAULT_KINDS = ['429', '500', '502', '503', 'reset', 'stall', 'malformed', 'stream_error', 'empty'] as const;
/** One injectable fault kind. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Parses a fault mix ("429:2,503,reset") into kinds repeated by weight; throws MockConfigError. */
export function parseFaultMix(text: string, variable = 'faults'): FaultKind[] {
  const out: FaultKind[] = [];
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const [kind, weightText] = item.split(':') as [string, string | undefined];
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw invalid(variable, `fault kinds from ${FAULT_KINDS.join(', ')} (optionally kind:weight)`, text);
    }
    const weight = weightText === undefined ? 1 : Number(weightText);
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw invalid(variable, 'a whole-number weight from 1 to 100 after the colon', text);
    }
    for (let i = 0; i < weight; i++) out.push(kind as FaultKind);
  }
  if (out.length === 0) throw invalid(variable, `at least one fault kind from ${FAULT_KINDS.join(', ')}`, text);
  return out;
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
  faultRate: 0,
  faults: FAULT_KINDS.join(','),
  retryAfterS: 1,
  faultAfterTokens: 4,
  stallMs: 5000,
  downAfterMs: 0,
  downForMs: 0,
  scaleToZeroMs: 0,
  coldStartMs: 0,
  coldStart503: false,
  keepAliveMax: 0,
  keepAliveIdleMs: 0,
  tlsCert: null,
  tlsKey: null,
  lengthControl: true,
  reasoningTokens: 0,
  reasoningField: 'reasoning_content',
  toolCalls: false,
  slots: 0,
  prefillMsPerToken: 0,
  imageMsPerKpixel: 0,
  imagePixelsPerToken: 784,
  prefixCacheBlocks: 0,
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

/** Where a chat answer's reasoning goes (--reasoning-field). */
export const REASONING_FIELDS = ['reasoning_content', 'reasoning'] as const;
export type ReasoningField = (typeof REASONING_FIELDS)[number];

type Kind = 'host' | 'number' | 'integer' | 'boolean' | 'key' | 'faults' | 'choice';

interface Field {
  key: keyof MockConfig;
  flag: string;
  env: string;
  kind: Kind;
  min?: number;
  max?: number;
  /** The values a `choice` field takes. */
  choices?: readonly string[];
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
  { key: 'faultRate', flag: '--fault-rate', env: 'MOCK_FAULT_RATE', kind: 'number', min: 0, max: 1 },
  { key: 'faults', flag: '--faults', env: 'MOCK_FAULTS', kind: 'faults' },
  { key: 'retryAfterS', flag: '--retry-after-s', env: 'MOCK_RETRY_AFTER_S', kind: 'integer', min: 0, max: 3600 },
  { key: 'faultAfterTokens', flag: '--fault-after-tokens', env: 'MOCK_FAULT_AFTER_TOKENS', kind: 'integer', min: 0, max: MAX_TOKENS },
  { key: 'stallMs', flag: '--stall-ms', env: 'MOCK_STALL_MS', kind: 'number', min: 0, max: MAX_MS },
  { key: 'downAfterMs', flag: '--down-after-ms', env: 'MOCK_DOWN_AFTER_MS', kind: 'number', min: 0, max: MAX_MS },
  { key: 'downForMs', flag: '--down-for-ms', env: 'MOCK_DOWN_FOR_MS', kind: 'number', min: 0, max: MAX_MS },
  { key: 'scaleToZeroMs', flag: '--scale-to-zero-ms', env: 'MOCK_SCALE_TO_ZERO_MS', kind: 'number', min: 0, max: MAX_MS },
  { key: 'coldStartMs', flag: '--cold-start-ms', env: 'MOCK_COLD_START_MS', kind: 'number', min: 0, max: MAX_MS },
  { key: 'coldStart503', flag: '--cold-start-503', env: 'MOCK_COLD_START_503', kind: 'boolean' },
  { key: 'keepAliveMax', flag: '--keep-alive-max', env: 'MOCK_KEEP_ALIVE_MAX', kind: 'integer', min: 0, max: MAX_TOKENS },
  { key: 'keepAliveIdleMs', flag: '--keep-alive-idle-ms', env: 'MOCK_KEEP_ALIVE_IDLE_MS', kind: 'number', min: 0, max: MAX_MS },
  { key: 'tlsCert', flag: '--tls-cert', env: 'MOCK_TLS_CERT', kind: 'key' },
  { key: 'tlsKey', flag: '--tls-key', env: 'MOCK_TLS_KEY', kind: 'key' },
  { key: 'lengthControl', flag: '--length-control', env: 'MOCK_LENGTH_CONTROL', kind: 'boolean' },
  { key: 'reasoningTokens', flag: '--reasoning-tokens', env: 'MOCK_REASONING_TOKENS', kind: 'integer', min: 0, max: MAX_TOKENS },
  { key: 'reasoningField', flag: '--reasoning-field', env: 'MOCK_REASONING_FIELD', kind: 'choice', choices: REASONING_FIELDS },
  { key: 'toolCalls', flag: '--tool-calls', env: 'MOCK_TOOL_CALLS', kind: 'boolean' },
  { key: 'slots', flag: '--slots', env: 'MOCK_SLOTS', kind: 'integer', min: 0, max: MAX_TOKENS },
  { key: 'prefillMsPerToken', flag: '--prefill-ms-per-token', env: 'MOCK_PREFILL_MS_PER_TOKEN', kind: 'number', min: 0, max: MAX_MS },
  { key: 'imageMsPerKpixel', flag: '--image-ms-per-kpixel', env: 'MOCK_IMAGE_MS_PER_KPIXEL', kind: 'number', min: 0, max: MAX_MS },
  { key: 'imagePixelsPerToken', flag: '--image-pixels-per-token', env: 'MOCK_IMAGE_PIXELS_PER_TOKEN', kind: 'integer', min: 1, max: 100_000_000 },
  { key: 'prefixCacheBlocks', flag: '--prefix-cache-blocks', env: 'MOCK_PREFIX_CACHE_BLOCKS', kind: 'integer', min: 0, max: 10_000_000 },
  { key: 'batchSlowdown', flag: '--batch-slowdown', env: 'MOCK_BATCH_SLOWDOWN', kind: 'number', min: 0, max: 1000 },
  { key: 'maxConcurrent', flag: '--max-concurrent', env: 'MOCK_MAX_CONCURRENT', kind: 'integer', min: 0, max: MAX_TOKENS },
];

function expected(field: Field): string {
  switch (field.kind) {
    case 'host':
      return 'a non-empty host name or address';
    case 'key':
      return 'a non-empty string';
    case 'faults':
      return `fault kinds from ${FAULT_KINDS.join(', ')}`;
    case 'choice':
      return `one of ${(field.choices ?? []).join(', ')}`;
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
    case 'faults':
      return normaliseFaults(text, variable);
    case 'choice':
      if (!(field.choices ?? []).includes(text.trim())) throw invalid(variable, expected(field), text);
      return text.trim() as MockConfig[keyof MockConfig];
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
    case 'faults':
      if (typeof value !== 'string') throw invalid(variable, expected(field), value);
      return normaliseFaults(value, variable);
    case 'choice':
      if (typeof value !== 'string' || !(field.choices ?? []).includes(value)) throw invalid(variable, expected(field), value);
      return value as MockConfig[keyof MockConfig];
    case 'number':
    case 'integer':
      if (typeof value !== 'number') throw invalid(variable, expected(field), value);
      return checkNumber(field, variable, value, value);
  }
}

/** The canonical "kind:weight,..." form of a valid fault mix. */
function normaliseFaults(text: string, variable: string): string {
  const counts = new Map<string, number>();
  for (const kind of parseFaultMix(text, variable)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => (n === 1 ? kind : `${kind}:${n}`)).join(',');
}

/** Checks settings that only make sense together; throws MockConfigError. */
function checkCombination(config: MockConfig, via: 'flags' | 'json'): MockConfig {
  if ((config.tlsCert === null) !== (config.tlsKey === null)) {
    const name = via === 'flags' ? (config.tlsCert === null ? '--tls-cert' : '--tls-key') : config.tlsCert === null ? 'tlsCert' : 'tlsKey';
    throw invalid(name, 'both a TLS certificate and its key, or neither', undefined);
  }
  return config;
}

const FLAG_NAMES = [...FIELDS.map((f) => f.flag), '--help'];

/** Every MOCK_* variable the mock reads (the docs name no other). */
export const MOCK_VARIABLES: readonly string[] = FIELDS.map((f) => f.env);

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
  return checkCombination(config, 'flags');
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
  return checkCombination(merged, 'json');
}
