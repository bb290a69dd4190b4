// The one typed reader of the run configuration. Every knob is an LLM_*
// variable (k6 -e or the environment); parseConfig validates them all before
// any load is sent and throws a ConfigError naming the first bad variable.
// Precedence is k6's own: -e values override the process environment.

import { ARRIVAL_NAMES } from './arrivals/index.ts';
import { parseDistribution, TOKENS, type Distribution, type ValueUnit } from './distribution.ts';
import { parseDurationMs } from './duration.ts';
import { ConfigError, invalid } from './errors.ts';
import { isEmbeddingProtocol, PROTOCOLS } from './protocols/index.ts';
import { closest } from './suggest.ts';
import { VARIABLES, type VariableSpec } from './variables.ts';
import { boolean, duration, factor, fraction, fractionBelowOne, integer, nonEmpty, number, offOr, oneOf, optional, percent, positive } from './config-values.ts';

export { VARIABLES } from './variables.ts';

/** What the ramp workload steps: concurrent streams (closed model) or arrival rate in requests/s (open model). */
export type RampBy = 'concurrency' | 'rate';

/** The workloads LLM_MIX can set, each with its own rate (batch: its concurrency). */
export const MIX_WORKLOADS = ['chat', 'realtime', 'batch'] as const;
/** One of MIX_WORKLOADS. */
export type MixWorkload = (typeof MIX_WORKLOADS)[number];

/** How responses are read: the project's stream meter, xk6-sse, or whichever is there (the meter first). */
export type TransportChoice = 'auto' | 'meter' | 'sse';

/** Where the stream meter listens and the secret it wants (from LLM_METER_URL). */
export interface MeterEndpoint {
  /** http://host:port, without the secret. */
  baseUrl: string;
  /** Sent as X-K6-LLM-Meter-Secret; never logged or written. */
  secret: string;
}

/** The validated run configuration. Durations in ms. */
export interface Config {
  baseUrl: string;
  model: string;
  /** Never logged or written: only sent as the Authorization header. */
  apiKey: string | null;
  protocol: string;
  durationMs: number;
  /** LLM_VUS; null: the workload's default. */
  vus: number | null;
  /** LLM_MAX_TOKENS; null: the workload's default. */
  maxTokens: number | null;
  stream: boolean;
  timeoutMs: number;
  stallTimeoutMs: number;
  transport: TransportChoice;
  /** LLM_METER_URL, split into address and secret; null when not given. */
  meter: MeterEndpoint | null;
  outDir: string;
  summaryJson: string | null;
  prompt: string | null;
  /** LLM_THINK_TIME (ms); null: the workload's default. */
  thinkTime: Distribution | null;
  lagWarnMs: number;
  /** LLM_RATE, arrivals per second; null: the workload's default. */
  rate: number | null;
  /** LLM_ARRIVAL; null: the workload's default (trace when LLM_TRACE is set). */
  arrival: string | null;
  /** LLM_BURSTINESS: gamma shape, > 0. */
  burstiness: number;
  /** LLM_RAMP_FROM: start rate of the ramp pattern, per second. */
  rampFrom: number;
  seed: number;
  /** LLM_DATASET: JSONL prompts file, or null. */
  dataset: string | null;
  /** LLM_TOOLS: JSON file of the tools every request offers, or null. */
  tools: string | null;
  /** LLM_TRACE: JSONL trace file, or null. */
  trace: string | null;
  /** LLM_PROMPT_TOKENS: synthetic prompt lengths; null: the workload's default. */
  promptTokens: Distribution | null;
  /** LLM_SHARED_PREFIX: share (0–1) of every synthetic prompt that is identical across requests. */
  sharedPrefix: number;
  /** LLM_IGNORE_EOS: ask for exactly max_tokens (ignore_eos and min_tokens, vLLM/SGLang). */
  ignoreEos: boolean;
  /** LLM_TURNS: turns per chat conversation; null: the workload's default. */
  turns: Distribution | null;
  /** LLM_MAX_LAG: an arrival no VU could start within this many ms of its time is dropped (Infinity: never). */
  maxLagMs: number;
  /** LLM_SCHEDULE_LAG_WARN_MS: schedule lag p99 above which the summary warns. */
  scheduleLagWarnMs: number;
  /** LLM_BATCH_SIZE: prompts in the batch job (an embeddings job: requests). */
  batchSize: number;
  /** LLM_INPUTS_PER_REQUEST: texts per embeddings request. */
  inputsPerRequest: number;
  /** LLM_MIX: per-workload rates of the mixed run (batch: concurrency); 0 leaves a workload out. */
  mix: Record<MixWorkload, number>;
  /** LLM_THRESHOLDS as given: '' (workload default), 'none', a profile name or a file path. */
  thresholds: string;
  /** Accept any TLS certificate (self-signed endpoints); sets k6's insecureSkipTLSVerify. */
  insecureTls: boolean;
  /** coldstart: idle gap before each cold probe (ms). */
  idleMs: number;
  /** coldstart: number of cold probes. */
  probes: number;
  /** coldstart: warm requests after each cold probe. */
  warmRequests: number;
  /** coldstart: retries of a cold probe answered 429/502/503/504 or refused. */
  maxRetries: number;
  /** coldstart: first retry's backoff without Retry-After (ms); doubles each retry. */
  retryBackoffMs: number;
  /** coldstart: longest wait before one retry, Retry-After included (ms). */
  retryMaxWaitMs: number;
  /** availability: width of a reporting window (ms). */
  windowMs: number;
  /** Ramp: the load levels, strictly ascending (streams, or requests/s with rampBy 'rate'). */
  levels: number[];
  rampBy: RampBy;
  /** Ramp: how long each level is held, warm-up included. */
  levelDurationMs: number;
  /** Ramp: the start of each level left out of the analysis. */
  warmupMs: number;
  /** Ramp stop rule: a level whose error rate exceeds this ends the run; null = never. */
  stopErrorRate: number | null;
  /** Ramp stop rule: a level whose TTFT/E2E percentile exceeds this many times its SLO bound ends the run; null = never. */
  stopLatencyFactor: number | null;
  /** Ramp: the smallest throughput gain (%) that still counts as scaling. */
  saturationGainPct: number;
  /** Ramp: whose request shape and default SLO file the ramp uses (checked where it is looked up: rampShapeByName). */
  rampShape: string;
  /** Ramp with rampBy 'rate': the most requests in flight (VUs) per level. */
  rampMaxVus: number;
  /** Lines to print once before load (deprecated values that still work). */
  notices: string[];
}

/** Reads and validates the configuration from k6's __ENV (or any string map). */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  rejectUnknown(env);
  const get = (name: string): string => {
    const value = env[name];
    return value === undefined || value === '' ? (VARIABLES[name] as VariableSpec).default : value;
  };
  const outDir = get('LLM_OUT_DIR');
  const summaryJson = get('LLM_SUMMARY_JSON');
  const config: Config = {
    baseUrl: parseBaseUrl(get('LLM_BASE_URL')),
    model: nonEmpty('LLM_MODEL', get('LLM_MODEL')),
    apiKey: get('LLM_API_KEY') || null,
    protocol: oneOf('LLM_PROTOCOL', get('LLM_PROTOCOL'), Object.keys(PROTOCOLS)),
    durationMs: duration('LLM_DURATION', get('LLM_DURATION'), 1000),
    vus: optional(get('LLM_VUS'), (v) => integer('LLM_VUS', v, 1, 100_000)),
    maxTokens: optional(get('LLM_MAX_TOKENS'), (v) => integer('LLM_MAX_TOKENS', v, 1, 10_000_000)),
    stream: boolean('LLM_STREAM', get('LLM_STREAM')),
    timeoutMs: duration('LLM_TIMEOUT', get('LLM_TIMEOUT'), 1),
    stallTimeoutMs: duration('LLM_STALL_TIMEOUT', get('LLM_STALL_TIMEOUT'), 1),
    transport: oneOf('LLM_TRANSPORT', get('LLM_TRANSPORT'), ['auto', 'meter', 'sse']) as TransportChoice,
    meter: optional(get('LLM_METER_URL'), parseMeterUrl),
    outDir,
    summaryJson: summaryJson || null,
    prompt: get('LLM_PROMPT') || null,
    thinkTime: optional(get('LLM_THINK_TIME'), (v) => parseDistribution('LLM_THINK_TIME', v, DURATION_MS)),
    lagWarnMs: number('LLM_LAG_WARN_MS', get('LLM_LAG_WARN_MS'), 0),
    thresholds: get('LLM_THRESHOLDS').trim(),
    insecureTls: boolean('LLM_INSECURE_TLS', get('LLM_INSECURE_TLS')),
    idleMs: duration('LLM_IDLE', get('LLM_IDLE'), 0),
    probes: integer('LLM_PROBES', get('LLM_PROBES'), 1, 100),
    warmRequests: integer('LLM_WARM_REQUESTS', get('LLM_WARM_REQUESTS'), 1, 1000),
    maxRetries: integer('LLM_MAX_RETRIES', get('LLM_MAX_RETRIES'), 0, 100),
    retryBackoffMs: duration('LLM_RETRY_BACKOFF', get('LLM_RETRY_BACKOFF'), 1),
    retryMaxWaitMs: duration('LLM_RETRY_MAX_WAIT', get('LLM_RETRY_MAX_WAIT'), 1),
    windowMs: duration('LLM_WINDOW', get('LLM_WINDOW'), 100),
    rate: optional(get('LLM_RATE'), (v) => positive('LLM_RATE', v, 'arrivals per second')),
    arrival: optional(get('LLM_ARRIVAL'), arrivalName),
    burstiness: positive('LLM_BURSTINESS', get('LLM_BURSTINESS'), 'gamma shape (1 = Poisson)'),
    rampFrom: number('LLM_RAMP_FROM', get('LLM_RAMP_FROM'), 0),
    seed: integer('LLM_SEED', get('LLM_SEED'), 0, 0xffffffff),
    dataset: get('LLM_DATASET') || null,
    tools: get('LLM_TOOLS') || null,
    trace: get('LLM_TRACE') || null,
    promptTokens: optional(get('LLM_PROMPT_TOKENS'), (v) => parseDistribution('LLM_PROMPT_TOKENS', v, TOKENS)),
    sharedPrefix: fraction('LLM_SHARED_PREFIX', get('LLM_SHARED_PREFIX')),
    ignoreEos: boolean('LLM_IGNORE_EOS', get('LLM_IGNORE_EOS')),
    turns: optional(get('LLM_TURNS'), (v) => parseDistribution('LLM_TURNS', v, TOKENS)),
    maxLagMs: get('LLM_MAX_LAG').trim() === 'none' ? Infinity : duration('LLM_MAX_LAG', get('LLM_MAX_LAG'), 0),
    scheduleLagWarnMs: number('LLM_SCHEDULE_LAG_WARN_MS', get('LLM_SCHEDULE_LAG_WARN_MS'), 0),
    batchSize: integer('LLM_BATCH_SIZE', get('LLM_BATCH_SIZE'), 1, 10_000_000),
    inputsPerRequest: integer('LLM_INPUTS_PER_REQUEST', get('LLM_INPUTS_PER_REQUEST'), 1, 100_000),
    mix: parseMix(get('LLM_MIX')),
    levels: [],
    rampBy: oneOf('LLM_RAMP_BY', get('LLM_RAMP_BY'), ['concurrency', 'rate']) as RampBy,
    levelDurationMs: duration('LLM_LEVEL_DURATION', get('LLM_LEVEL_DURATION'), 2000),
    warmupMs: duration('LLM_WARMUP', get('LLM_WARMUP'), 0),
    stopErrorRate: offOr(get('LLM_STOP_ERROR_RATE'), (v) => fractionBelowOne('LLM_STOP_ERROR_RATE', v)),
    stopLatencyFactor: offOr(get('LLM_STOP_TTFT_FACTOR'), (v) => factor('LLM_STOP_TTFT_FACTOR', v)),
    saturationGainPct: percent('LLM_SATURATION_GAIN', get('LLM_SATURATION_GAIN')),
    rampShape: nonEmpty('LLM_RAMP_SHAPE', get('LLM_RAMP_SHAPE')).trim(),
    rampMaxVus: integer('LLM_RAMP_MAX_VUS', get('LLM_RAMP_MAX_VUS'), 1, 100_000),
    notices: [],
  };
  if (get('LLM_ARRIVAL') === DEPRECATED_LINEAR) {
    config.notices.push(`LLM_ARRIVAL=${DEPRECATED_LINEAR} is deprecated: the pattern is now called linear (the ramp workload is dist/ramp.js); ran it as linear`);
  }
  config.levels = levels(get('LLM_LEVELS'), config.rampBy);
  // Embeddings are never streamed (an explicit LLM_STREAM=true is refused by the workload scope check).
  if (isEmbeddingProtocol(config.protocol) && (env.LLM_STREAM ?? '') === '') config.stream = false;
  // At least a second of every level must be measured at steady state.
  if (config.warmupMs > config.levelDurationMs - 1000) {
    throw invalid(
      'LLM_WARMUP',
      `a duration at least 1 s shorter than LLM_LEVEL_DURATION (${config.levelDurationMs / 1000}s)`,
      get('LLM_WARMUP'),
    );
  }
  if (config.trace !== null && config.arrival === null) config.arrival = 'trace';
  if (config.arrival === 'trace' && config.trace === null) {
    throw new ConfigError('missing-value', 'LLM_TRACE', 'invalid LLM_TRACE; expected a JSONL trace file for LLM_ARRIVAL=trace, got nothing');
  }
  if (config.trace !== null && config.arrival !== 'trace') throw invalid('LLM_ARRIVAL', 'trace (or unset) when LLM_TRACE is given', config.arrival);
  if (config.prompt !== null && config.dataset !== null) throw invalid('LLM_PROMPT', 'nothing when LLM_DATASET is given (one prompt source)', config.prompt);
  if (config.promptTokens !== null && (config.prompt !== null || config.dataset !== null)) {
    throw invalid('LLM_PROMPT_TOKENS', `nothing when ${config.prompt !== null ? 'LLM_PROMPT' : 'LLM_DATASET'} is given (one prompt source)`, get('LLM_PROMPT_TOKENS'));
  }
  return config;
}

/** The linear arrival pattern's old name: still accepted (as linear), with a notice. */
const DEPRECATED_LINEAR = 'ramp';

function arrivalName(value: string): string {
  if (value === DEPRECATED_LINEAR) return 'linear';
  if (!ARRIVAL_NAMES.includes(value)) {
    const hint = closest(value, ARRIVAL_NAMES);
    throw invalid('LLM_ARRIVAL', `one of ${ARRIVAL_NAMES.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`, value);
  }
  return value;
}

/** Most levels a ramp may have: each is a k6 scenario with its own sub-metrics. */
export const MAX_LEVELS = 40;

function levels(value: string, by: RampBy): number[] {
  const expected =
    by === 'concurrency'
      ? `a comma list of ascending whole numbers of streams such as 1,2,4,8,16 (at most ${MAX_LEVELS})`
      : `a comma list of ascending request rates per second such as 0.5,1,2,4 (at most ${MAX_LEVELS}, 3 decimals)`;
  const parts = value.split(',').map((p) => p.trim());
  const out: number[] = [];
  for (const part of parts) {
    const ok = by === 'concurrency' ? /^\d+$/.test(part) : /^\d+(\.\d{1,3})?$/.test(part);
    const n = Number(part);
    if (!ok || !(n > 0) || n > 100_000) throw invalid('LLM_LEVELS', expected, value);
    if (out.length > 0 && n <= (out[out.length - 1] as number)) throw invalid('LLM_LEVELS', expected, value);
    out.push(n);
  }
  if (out.length === 0 || out.length > MAX_LEVELS) throw invalid('LLM_LEVELS', expected, value);
  return out;
}

/** Where the JSON summary goes. */
export function summaryJsonPath(config: Config): string {
  return config.summaryJson ?? `${config.outDir.replace(/\/+$/, '')}/llm-summary.json`;
}

/** A copy of the config safe to print: the API key and the meter's secret are replaced by a marker. */
export function redactedConfig(config: Config): Config {
  return {
    ...config,
    apiKey: config.apiKey === null ? null : '[redacted]',
    meter: config.meter === null ? null : { ...config.meter, secret: '[redacted]' },
  };
}

const METER_URL = /^http:\/\/k6llm:([0-9a-f]{32})@(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost):(\d{1,5})\/?$/;

/**
 * Splits LLM_METER_URL (http://k6llm:<secret>@127.0.0.1:<port>, as the meter
 * prints it) into its address and secret. Loopback only: the meter must
 * never be reached across a network. The value is not echoed in errors.
 */
export function parseMeterUrl(value: string): MeterEndpoint {
  const m = METER_URL.exec(value.trim());
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new ConfigError(
      'invalid-value',
      'LLM_METER_URL',
      'invalid LLM_METER_URL; expected the line the meter prints (http://k6llm:<32 hex secret>@127.0.0.1:<port>), got another value (not shown: it may hold the secret); start one with: npx k6-llm meter',
    );
  }
  return { baseUrl: `http://${m[2]}:${port}`, secret: m[1] as string };
}

function rejectUnknown(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(env)) {
    if (!name.startsWith('LLM_') || name in VARIABLES) continue;
    const hint = closest(name, Object.keys(VARIABLES));
    // The value is not echoed: a misspelt LLM_API_KEY would otherwise print the key.
    throw new ConfigError(
      'unknown-value',
      name,
      // The value is not echoed: a misspelt LLM_API_KEY would print the secret.
      `invalid variable ${name}; expected one of the LLM_* variables in the README${hint ? ` (did you mean ${hint}?)` : ''}, got an unknown name`,
    );
  }
}

/** Durations in ms for distributions (think times). */
const DURATION_MS: ValueUnit = { parse: parseDurationMs, min: 0, integer: false, example: 'a duration such as 2s' };

function parseMix(value: string): Record<MixWorkload, number> {
  const mix: Record<MixWorkload, number> = { chat: 0.5, realtime: 4, batch: 4 };
  const expected = `workload=rate pairs such as chat=0.5,realtime=4,batch=2 (workloads ${MIX_WORKLOADS.join(', ')}; batch: a whole concurrency)`;
  for (const part of value.split(',')) {
    const [name, rate] = part.split('=').map((t) => t.trim());
    const n = Number(rate);
    if (!MIX_WORKLOADS.includes(name as MixWorkload) || rate === undefined || rate === '' || !Number.isFinite(n) || n < 0) {
      throw invalid('LLM_MIX', expected, value);
    }
    if (name === 'batch' && !Number.isInteger(n)) throw invalid('LLM_MIX', expected, value);
    mix[name as MixWorkload] = n;
  }
  if (MIX_WORKLOADS.every((w) => mix[w] === 0)) throw invalid('LLM_MIX', `${expected}, at least one above 0`, value);
  return mix;
}

function parseBaseUrl(value: string): string {
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(value)) {
    throw invalid('LLM_BASE_URL', 'an http:// or https:// URL such as http://127.0.0.1:8000/v1', value);
  }
  return value.replace(/\/+$/, '');
}

