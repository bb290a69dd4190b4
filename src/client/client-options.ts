// The Client's options, by concern: where requests go (EndpointOptions, the
// same fields as the built-ins' LLM_* endpoint knobs) and how the client
// records them (RecordingOptions). Each option not given falls back to its
// LLM_* variable, then to the knob's default: the script's own word is
// final, and the environment (the CLI's flags, k6 -e) fills in what the
// script leaves open, so two clients in one script keep their own models.
// Pure: k6's __ENV is passed in.

import { ENDPOINT_KNOBS, parseBaseUrl, parseMeterUrl, type EndpointConfig, type TransportChoice } from '../config/endpoint.ts';
import { REPORT_KNOBS } from '../config/report.ts';
import { boolean, duration, nonEmpty, number, oneOf } from '../config/values.ts';
import { ConfigError, invalid, quote } from '../errors.ts';
import { PROTOCOLS, type ProtocolName } from '../protocols/index.ts';
import { closest } from '../suggest.ts';
import type { ThresholdSpec } from '../thresholds/threshold-file.ts';

/** Where requests go and how they are read. Every field defaults to its LLM_* variable, then to the default named. */
export interface EndpointOptions {
  /** API base URL, up to and including /v1 (LLM_BASE_URL; default http://127.0.0.1:8000/v1). */
  baseUrl?: string;
  /** Model name sent in every request (LLM_MODEL; default mock-llm). */
  model?: string;
  /** Wire protocol (LLM_PROTOCOL; default openai-chat). */
  protocol?: ProtocolName;
  /** API key, sent in the protocol's auth header (LLM_API_KEY, from the environment); never printed or written. */
  apiKey?: string;
  /** Extra request headers (e.g. an Authorization your gateway wants); the protocol's own win over none of these. */
  headers?: Record<string, string>;
  /** Whole-request timeout: a duration such as '60s', or ms (LLM_TIMEOUT; default 60s). */
  timeout?: string | number;
  /** Longest silence inside a response, through the stream meter (LLM_STALL_TIMEOUT; default 30s). */
  stallTimeout?: string | number;
  /** Accept self-signed or otherwise unverifiable TLS certificates (LLM_INSECURE_TLS; default false). */
  insecureTls?: boolean;
  /** The stream meter, as `npx k6-llm meter` prints it (LLM_METER_URL); it holds a secret and is never printed. */
  meterUrl?: string;
  /** How responses are read: auto (the meter when there is one, else xk6-sse), meter or sse (LLM_TRANSPORT; default auto). */
  transport?: TransportChoice;
}

/** How the client records its requests as llm_* metrics. */
export interface RecordingOptions {
  /** The workload tag of every sample; default: the k6 scenario's `workload` tag, else the scenario's name. */
  workload?: string;
  /** More tags on every sample of this client's requests. */
  tags?: Record<string, string>;
  /** The SLO a request must meet, beyond succeeding, to count as good (llm_slo_attained); from loadSlo(). */
  slo?: ThresholdSpec | null;
  /** Keep every outcome with its start time for the availability timeline (needs the stream meter). */
  timeline?: boolean;
  /** Flag a request whose TTFT or E2E may read late by more than this (ms) (LLM_TIMING_FLAG_MS; default 1). */
  timingFlagMs?: number;
}

/** Options of `new Client()`: the endpoint, and how its requests are recorded. */
export interface ClientOptions extends EndpointOptions, RecordingOptions {}

/** The client's options resolved: the endpoint as the built-ins' config holds it, plus what only a client has. */
export interface ResolvedClient {
  endpoint: EndpointConfig;
  headers: Record<string, string>;
  recording: { workload: string | null; tags: Record<string, string>; slo: ThresholdSpec | null; timeline: boolean; timingFlagMs: number };
}

const OPTION_NAMES: readonly (keyof ClientOptions)[] = [
  'baseUrl', 'model', 'protocol', 'apiKey', 'headers', 'timeout', 'stallTimeout', 'insecureTls', 'meterUrl', 'transport',
  'workload', 'tags', 'slo', 'timeline', 'timingFlagMs',
];

/**
 * Resolves and validates `options` over `env` (k6's __ENV): one ConfigError
 * naming the option (or the variable it fell back to) and what it expected.
 */
export function resolveClientOptions(options: ClientOptions, env: Readonly<Record<string, string | undefined>>): ResolvedClient {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw invalid('Client options', 'an object such as { baseUrl, model }', options);
  for (const key of Object.keys(options)) {
    if ((OPTION_NAMES as readonly string[]).includes(key)) continue;
    const hint = closest(key, OPTION_NAMES);
    throw new ConfigError('unknown-value', key, `invalid Client option ${key}; expected one of ${OPTION_NAMES.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`);
  }
  /** The option's text when given (named as the option in errors), else its variable's, else the knob's default. */
  const pick = <V>(option: keyof EndpointOptions, knob: { env: string; default: string }, fromOption: (v: unknown, name: string) => V, fromText: (text: string, name: string) => V): V => {
    const given = options[option];
    if (given !== undefined) return fromOption(given, option);
    const text = env[knob.env];
    return text !== undefined && text !== '' ? fromText(text, knob.env) : fromText(knob.default, knob.env);
  };
  const text = (v: unknown, name: string): string => {
    if (typeof v !== 'string') throw invalid(name, 'a string', v);
    return v;
  };
  const ms = (v: unknown, name: string): number => {
    if (typeof v === 'string') return duration(name, v, 1);
    if (typeof v === 'number' && Number.isFinite(v) && v >= 1) return v;
    throw invalid(name, 'a duration such as "60s", or a number of ms of at least 1', v);
  };
  const flag = (v: unknown, name: string): boolean => {
    if (typeof v !== 'boolean') throw invalid(name, 'true or false', v);
    return v;
  };
  const k = ENDPOINT_KNOBS;
  const endpoint: EndpointConfig = {
    baseUrl: pick('baseUrl', k.baseUrl, (v, n) => parseBaseUrl(text(v, n), n), parseBaseUrl),
    model: pick('model', k.model, (v, n) => nonEmpty(n, text(v, n)), (t, n) => nonEmpty(n, t)),
    apiKey: pick('apiKey', k.apiKey, (v, n) => text(v, n) || null, (t) => t || null),
    protocol: pick('protocol', k.protocol, (v, n) => oneOf(n, text(v, n), Object.keys(PROTOCOLS)), (t, n) => oneOf(n, t, Object.keys(PROTOCOLS))),
    timeoutMs: pick('timeout', k.timeoutMs, ms, (t, n) => duration(n, t, 1)),
    stallTimeoutMs: pick('stallTimeout', k.stallTimeoutMs, ms, (t, n) => duration(n, t, 1)),
    transport: pick('transport', k.transport, (v, n) => oneOf(n, text(v, n), ['auto', 'meter', 'sse']) as TransportChoice, (t, n) => oneOf(n, t, ['auto', 'meter', 'sse']) as TransportChoice),
    meter: pick('meterUrl', k.meter, (v, n) => parseMeterUrl(text(v, n), n), (t, n) => (t === '' ? null : parseMeterUrl(t, n))),
    insecureTls: pick('insecureTls', k.insecureTls, flag, (t, n) => boolean(n, t)),
  };
  const flagKnob = REPORT_KNOBS.timingFlagMs;
  const flagText = env[flagKnob.env];
  const timingFlagMs =
    options.timingFlagMs !== undefined
      ? number('timingFlagMs', String(options.timingFlagMs), 0)
      : flagKnob.parse(flagText !== undefined && flagText !== '' ? flagText : flagKnob.default);
  return { endpoint, headers: headersOption(options.headers), recording: { ...recordingOptions(options), timingFlagMs } };
}

function headersOption(headers: unknown): Record<string, string> {
  if (headers === undefined) return {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) throw invalid('headers', 'an object of header names to string values', headers);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === '' || /[\s:\x00]/.test(name)) throw invalid('headers', 'header names without spaces or colons', name);
    // The value is not echoed: headers often carry credentials.
    if (typeof value !== 'string' || /[\r\n\x00]/.test(value)) {
      throw new ConfigError('invalid-value', 'headers', `invalid headers; expected a string without CR, LF or NUL for ${quote(name)}, got another value (not shown)`);
    }
    out[name] = value;
  }
  return out;
}

function recordingOptions(options: RecordingOptions): Omit<ResolvedClient['recording'], 'timingFlagMs'> {
  const { workload, tags, slo, timeline } = options;
  if (workload !== undefined && (typeof workload !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(workload))) {
    throw invalid('workload', 'a tag value of letters, digits, _ . or - such as chat', workload);
  }
  const ownTags: Record<string, string> = {};
  if (tags !== undefined) {
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) throw invalid('tags', 'an object of tag names to string values', tags);
    for (const [name, value] of Object.entries(tags)) {
      if (typeof value !== 'string') throw invalid(`tags.${name}`, 'a string', value);
      ownTags[name] = value;
    }
  }
  if (timeline !== undefined && typeof timeline !== 'boolean') throw invalid('timeline', 'true or false', timeline);
  if (slo !== undefined && slo !== null && (typeof slo !== 'object' || typeof slo.source !== 'string')) throw invalid('slo', 'an SLO from loadSlo(), or null', slo);
  return { workload: workload ?? null, tags: ownTags, slo: slo ?? null, timeline: timeline === true };
}
