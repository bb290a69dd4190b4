// The one typed reader of the run configuration. Every knob is an LLM_*
// variable (k6 -e or the environment); parseConfig validates them all before
// any load is sent and throws a ConfigError naming the first bad variable.
// Precedence is k6's own: -e values override the process environment.

import { parseDurationMs } from './duration.ts';
import { ConfigError, invalid } from './errors.ts';
import { PROTOCOLS } from './protocols/index.ts';
import { closest } from './suggest.ts';

/** How streams are read: the project's Go reader, xk6-sse, or whichever exists (Go first). */
export type TransportChoice = 'auto' | 'go' | 'sse';

/** The validated run configuration. Durations in ms. */
export interface Config {
  baseUrl: string;
  model: string;
  /** Never logged or written: only sent as the Authorization header. */
  apiKey: string | null;
  protocol: string;
  durationMs: number;
  vus: number;
  maxTokens: number;
  stream: boolean;
  timeoutMs: number;
  stallTimeoutMs: number;
  transport: TransportChoice;
  outDir: string;
  summaryJson: string | null;
  prompt: string | null;
  thinkTimeMs: number;
  lagWarnMs: number;
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
  /** availability: requests started per second (open model). */
  rate: number;
  /** availability: width of a reporting window (ms). */
  windowMs: number;
}

interface VariableSpec {
  /** The default, as a user would write it. */
  default: string;
  description: string;
}

/** Every variable parseConfig reads, with its default and meaning (the README table mirrors this). */
export const VARIABLES: Readonly<Record<string, VariableSpec>> = {
  LLM_BASE_URL: { default: 'http://127.0.0.1:8000/v1', description: 'API base URL, up to and including /v1' },
  LLM_MODEL: { default: 'mock-llm', description: 'model name sent in every request' },
  LLM_API_KEY: { default: '', description: 'bearer token; read from the environment, never printed' },
  LLM_PROTOCOL: { default: 'openai-chat', description: `wire protocol: ${Object.keys(PROTOCOLS).join(', ')}` },
  LLM_DURATION: { default: '30s', description: 'whole run, including the graceful stop of in-flight requests' },
  LLM_VUS: { default: '8', description: 'concurrent streams (closed-model workloads)' },
  LLM_MAX_TOKENS: { default: '128', description: 'max_tokens of every request' },
  LLM_STREAM: { default: 'true', description: 'stream responses (true) or not (false)' },
  LLM_TIMEOUT: { default: '60s', description: 'whole-request timeout' },
  LLM_STALL_TIMEOUT: { default: '30s', description: 'longest silence allowed inside a response (Go transport)' },
  LLM_TRANSPORT: { default: 'auto', description: 'auto, go (k6/x/llmstream) or sse (xk6-sse)' },
  LLM_OUT_DIR: { default: '.', description: 'existing folder for the reports (k6 does not create folders; the CLI does)' },
  LLM_SUMMARY_JSON: { default: '', description: 'JSON summary path (default: <LLM_OUT_DIR>/llm-summary.json)' },
  LLM_PROMPT: { default: '', description: 'fixed user prompt (default: the bundled demo prompts)' },
  LLM_THINK_TIME: { default: '0s', description: 'pause between a VU\'s requests' },
  LLM_LAG_WARN_MS: { default: '5', description: 'generator lag p99 (ms) above which the summary warns' },
  LLM_INSECURE_TLS: { default: 'false', description: 'accept self-signed or otherwise unverifiable TLS certificates (k6 insecureSkipTLSVerify)' },
  LLM_IDLE: { default: '15m', description: 'coldstart: idle gap before each cold probe (longer than the provider\'s scale-down window)' },
  LLM_PROBES: { default: '3', description: 'coldstart: number of cold probes' },
  LLM_WARM_REQUESTS: { default: '5', description: 'coldstart: warm requests after each cold probe' },
  LLM_MAX_RETRIES: { default: '5', description: 'coldstart: retries of a cold probe answered 429/502/503/504 or refused' },
  LLM_RETRY_BACKOFF: { default: '500ms', description: 'coldstart: first backoff when no Retry-After is given; doubles per retry' },
  LLM_RETRY_MAX_WAIT: { default: '30s', description: 'coldstart: longest wait before one retry (caps Retry-After too)' },
  LLM_RATE: { default: '1', description: 'availability: requests started per second (0.001 to 10000)' },
  LLM_WINDOW: { default: '1m', description: 'availability: reporting window' },
  LLM_THRESHOLDS: {
    default: '',
    description: "SLO file: a path to a .json file, a profile name (e.g. relaxed), or none (default: thresholds/<workload>.json)",
  },
};

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
    vus: integer('LLM_VUS', get('LLM_VUS'), 1, 100_000),
    maxTokens: integer('LLM_MAX_TOKENS', get('LLM_MAX_TOKENS'), 1, 10_000_000),
    stream: boolean('LLM_STREAM', get('LLM_STREAM')),
    timeoutMs: duration('LLM_TIMEOUT', get('LLM_TIMEOUT'), 1),
    stallTimeoutMs: duration('LLM_STALL_TIMEOUT', get('LLM_STALL_TIMEOUT'), 1),
    transport: oneOf('LLM_TRANSPORT', get('LLM_TRANSPORT'), ['auto', 'go', 'sse']) as TransportChoice,
    outDir,
    summaryJson: summaryJson || null,
    prompt: get('LLM_PROMPT') || null,
    thinkTimeMs: duration('LLM_THINK_TIME', get('LLM_THINK_TIME'), 0),
    lagWarnMs: number('LLM_LAG_WARN_MS', get('LLM_LAG_WARN_MS'), 0),
    thresholds: get('LLM_THRESHOLDS').trim(),
    insecureTls: boolean('LLM_INSECURE_TLS', get('LLM_INSECURE_TLS')),
    idleMs: duration('LLM_IDLE', get('LLM_IDLE'), 0),
    probes: integer('LLM_PROBES', get('LLM_PROBES'), 1, 100),
    warmRequests: integer('LLM_WARM_REQUESTS', get('LLM_WARM_REQUESTS'), 1, 1000),
    maxRetries: integer('LLM_MAX_RETRIES', get('LLM_MAX_RETRIES'), 0, 100),
    retryBackoffMs: duration('LLM_RETRY_BACKOFF', get('LLM_RETRY_BACKOFF'), 1),
    retryMaxWaitMs: duration('LLM_RETRY_MAX_WAIT', get('LLM_RETRY_MAX_WAIT'), 1),
    rate: number('LLM_RATE', get('LLM_RATE'), 0.001),
    windowMs: duration('LLM_WINDOW', get('LLM_WINDOW'), 100),
  };
  if (config.rate > 10_000) throw invalid('LLM_RATE', 'a number from 0.001 to 10000', get('LLM_RATE'));
  return config;
}

/** Where the JSON summary goes. */
export function summaryJsonPath(config: Config): string {
  return config.summaryJson ?? `${config.outDir.replace(/\/+$/, '')}/llm-summary.json`;
}

/** A copy of the config safe to print: the API key is replaced by a marker. */
export function redactedConfig(config: Config): Config {
  return { ...config, apiKey: config.apiKey === null ? null : '[redacted]' };
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

function parseBaseUrl(value: string): string {
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(value)) {
    throw invalid('LLM_BASE_URL', 'an http:// or https:// URL such as http://127.0.0.1:8000/v1', value);
  }
  return value.replace(/\/+$/, '');
}

function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw invalid(name, 'a non-empty string', value);
  return value;
}

function oneOf(name: string, value: string, choices: string[]): string {
  if (!choices.includes(value)) throw invalid(name, `one of ${choices.join(', ')}`, value);
  return value;
}

function duration(name: string, value: string, minMs: number): number {
  const ms = parseDurationMs(value);
  if (ms === null || ms < minMs) {
    throw invalid(name, `a duration such as 500ms, 30s or 2m${minMs > 0 ? ` (at least ${minMs} ms)` : ''}`, value);
  }
  return ms;
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) throw invalid(name, `a whole number from ${min} to ${max}`, value);
  return n;
}

function number(name: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw invalid(name, `a number >= ${min}`, value);
  return n;
}

function boolean(name: string, value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid(name, 'true or false', value);
}
