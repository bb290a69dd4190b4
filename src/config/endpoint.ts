// Where requests go and how they are read: the endpoint (base URL, model,
// protocol, key, TLS), the time limits, and the transport (the stream meter
// or xk6-sse). The same fields are the public Client's options
// (src/client/client-options.ts); these knobs are their LLM_* defaults.

import { ConfigError, invalid } from '../errors.ts';
import { PROTOCOLS } from '../protocols/index.ts';
import { ALL, knob, type Knobs } from './knob.ts';
import { boolean, duration, nonEmpty, oneOf, optional } from './values.ts';

/** How responses are read: the project's stream meter, xk6-sse, or whichever is there (the meter first). */
export type TransportChoice = 'auto' | 'meter' | 'sse';

/** Where the stream meter listens and the secret it wants (from LLM_METER_URL). */
export interface MeterEndpoint {
  /** http://host:port, without the secret. */
  baseUrl: string;
  /** Sent as X-K6-LLM-Meter-Secret; never logged or written. */
  secret: string;
}

/** The endpoint and how to reach it. Durations in ms. */
export interface EndpointConfig {
  /** API base URL up to and including /v1, without a trailing slash. */
  baseUrl: string;
  /** Model name sent in every request (LLM_MODEL). */
  model: string;
  /** Never logged or written: only sent in the protocol's auth header. */
  apiKey: string | null;
  /** Wire protocol: a key of PROTOCOLS. */
  protocol: string;
  /** Whole-request timeout. */
  timeoutMs: number;
  /** Longest silence inside a response (the meter transport). */
  stallTimeoutMs: number;
  /** How streams are read: the stream meter, xk6-sse, or k6/http's whole body (LLM_TRANSPORT). */
  transport: TransportChoice;
  /** The stream meter, split into address and secret; null when not given. */
  meter: MeterEndpoint | null;
  /** Accept any TLS certificate (self-signed endpoints). */
  insecureTls: boolean;
}

/** The endpoint's knobs. */
export const ENDPOINT_KNOBS: Knobs<EndpointConfig> = {
  baseUrl: knob('LLM_BASE_URL', { default: 'http://127.0.0.1:8000/v1', description: 'API base URL, up to and including `/v1`', workloads: ALL, parse: parseBaseUrl }),
  model: knob('LLM_MODEL', { default: 'mock-llm', description: 'model name sent in every request', workloads: ALL, parse: (v, env) => nonEmpty(env, v) }),
  apiKey: knob('LLM_API_KEY', {
    default: '',
    description: "API key, sent as the protocol's auth header (a bearer token; Anthropic: `x-api-key`); from the environment only, never printed or written",
    workloads: ALL,
    parse: (v) => v || null,
  }),
  protocol: knob('LLM_PROTOCOL', {
    default: 'openai-chat',
    description: `wire protocol: ${Object.keys(PROTOCOLS).map((p) => `\`${p}\``).join(', ')} (see [Protocols](protocols.md)); \`openai-embeddings\` (\`/embeddings\`) is batch only (see [Embeddings](workloads.md#embeddings-a-batch-job))`,
    workloads: ALL,
    parse: (v, env) => oneOf(env, v, Object.keys(PROTOCOLS)),
  }),
  timeoutMs: knob('LLM_TIMEOUT', { default: '60s', description: 'whole-request timeout', workloads: ALL, parse: (v, env) => duration(env, v, 1) }),
  stallTimeoutMs: knob('LLM_STALL_TIMEOUT', {
    default: '30s',
    description: 'longest silence allowed inside a response (meter transport)',
    workloads: ALL,
    parse: (v, env) => duration(env, v, 1),
  }),
  transport: knob('LLM_TRANSPORT', {
    default: 'auto',
    description: '`meter` (the stream meter at `LLM_METER_URL`), `sse` (xk6-sse) or `auto` (the meter when `LLM_METER_URL` is set, else xk6-sse if the binary has it, else a one-line error saying how to start the meter); see [Stream transports](protocols.md#stream-transports)',
    workloads: ALL,
    parse: (v, env) => oneOf(env, v, ['auto', 'meter', 'sse']) as TransportChoice,
  }),
  meter: knob('LLM_METER_URL', {
    default: '',
    description: "the stream meter's URL as `npx k6-llm meter` prints it (`http://k6llm:<secret>@127.0.0.1:<port>`, loopback only); it holds the meter's per-start secret, so it is never printed or written; the CLI sets it for the meter it starts",
    workloads: ALL,
    parse: (v, env) => optional(v, (u) => parseMeterUrl(u, env)),
  }),
  insecureTls: knob('LLM_INSECURE_TLS', {
    default: 'false',
    description: "accept self-signed or otherwise unverifiable TLS certificates (sets k6's `insecureSkipTLSVerify`; off unless asked for)",
    workloads: ALL,
    parse: (v, env) => boolean(env, v),
  }),
};

/** An http(s) base URL without its trailing slashes; `name` names the variable or option in the error. */
export function parseBaseUrl(value: string, name: string): string {
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(value)) {
    throw invalid(name, 'an http:// or https:// URL such as http://127.0.0.1:8000/v1', value);
  }
  return value.replace(/\/+$/, '');
}

const METER_URL = /^http:\/\/k6llm:([0-9a-f]{32})@(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost):(\d{1,5})\/?$/;

/**
 * Splits the meter's URL (http://k6llm:<secret>@127.0.0.1:<port>, as the meter
 * prints it) into its address and secret. Loopback only: the meter must
 * never be reached across a network. The value is not echoed in errors.
 */
export function parseMeterUrl(value: string, name = 'LLM_METER_URL'): MeterEndpoint {
  const m = METER_URL.exec(value.trim());
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new ConfigError(
      'invalid-value',
      name,
      `invalid ${name}; expected the line the meter prints (http://k6llm:<32 hex secret>@127.0.0.1:<port>), got another value (not shown: it may hold the secret); start one with: npx k6-llm meter`,
    );
  }
  return { baseUrl: `http://${m[2]}:${port}`, secret: m[1] as string };
}

/** Whether requests go through the stream meter: asked for, or auto with a meter given (else xk6-sse). */
export function usesMeter(endpoint: Pick<EndpointConfig, 'transport' | 'meter'>): boolean {
  return endpoint.transport === 'meter' || (endpoint.transport === 'auto' && endpoint.meter !== null);
}
