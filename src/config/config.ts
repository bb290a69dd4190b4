// The run configuration of the built-in workloads: one small option type per
// concern (src/config/<concern>.ts, each with its knobs), composed. Every
// knob is an LLM_* variable (k6 -e or the environment; -e values override
// the process environment, k6's own precedence); parseConfig validates them
// all before any load is sent and throws a ConfigError naming the first bad
// variable.

import { ConfigError } from '../errors.ts';
import { isEmbeddingProtocol } from '../protocols/index.ts';
import { closest } from '../suggest.ts';
import { AVAILABILITY_KNOBS, type AvailabilityConfig } from './availability.ts';
import { BATCH_KNOBS, type BatchConfig } from './batch.ts';
import { CHAT_KNOBS, type ChatConfig } from './chat.ts';
import { COLDSTART_KNOBS, type ColdstartConfig } from './coldstart.ts';
import { ENDPOINT_KNOBS, type EndpointConfig } from './endpoint.ts';
import { readKnobs, type Knob, type Knobs } from './knob.ts';
import { DEPRECATED_LINEAR, LOAD_KNOBS, settleTrace, type LoadConfig } from './load.ts';
import { MIX_KNOBS, type MixConfig } from './mix.ts';
import { checkPromptSource, PROMPT_KNOBS, type PromptConfig } from './prompts.ts';
import { RAMP_KNOBS, settleRamp, type RampConfig } from './ramp.ts';
import { REPORT_KNOBS, type ReportConfig } from './report.ts';
import { REQUEST_KNOBS, type RequestConfig } from './request.ts';

/** The validated run configuration: one option type per concern. */
export interface Config {
  /** Where requests go and how they are read (LLM_BASE_URL, LLM_MODEL, LLM_PROTOCOL, LLM_TIMEOUT, …). */
  endpoint: EndpointConfig;
  /** The shape of every request (LLM_MAX_TOKENS, LLM_STREAM, LLM_IGNORE_EOS, LLM_TOOLS). */
  request: RequestConfig;
  /** Where prompts come from (LLM_PROMPT, LLM_DATASET, LLM_PROMPT_TOKENS, LLM_SHARED_PREFIX). */
  prompts: PromptConfig;
  /** The load model (LLM_DURATION, LLM_VUS, LLM_RATE, LLM_ARRIVAL, LLM_SEED, LLM_TRACE, …). */
  load: LoadConfig;
  /** Chat conversations (LLM_TURNS, LLM_THINK_TIME). */
  chat: ChatConfig;
  /** The batch job (LLM_BATCH_SIZE, LLM_INPUTS_PER_REQUEST). */
  batch: BatchConfig;
  /** The cold-start probes (LLM_IDLE, LLM_PROBES, LLM_WARM_REQUESTS, the retry knobs). */
  coldstart: ColdstartConfig;
  /** The availability timeline (LLM_WINDOW). */
  availability: AvailabilityConfig;
  /** The ramp (LLM_LEVELS, LLM_RAMP_BY, LLM_LEVEL_DURATION, LLM_WARMUP, the stop rules). */
  ramp: RampConfig;
  /** The mixed run's per-workload rates (LLM_MIX). */
  mix: MixConfig;
  /** The reports and their verdicts (LLM_OUT_DIR, LLM_SUMMARY_JSON, LLM_THRESHOLDS, the warning bounds). */
  report: ReportConfig;
  /** Lines to print once before load (deprecated values that still work). */
  notices: string[];
}

/** Every concern's knobs, by the Config field they fill. */
export const CONCERNS: { readonly [K in keyof Omit<Config, 'notices'>]: Knobs<Config[K]> } = {
  endpoint: ENDPOINT_KNOBS,
  request: REQUEST_KNOBS,
  prompts: PROMPT_KNOBS,
  load: LOAD_KNOBS,
  chat: CHAT_KNOBS,
  batch: BATCH_KNOBS,
  coldstart: COLDSTART_KNOBS,
  availability: AVAILABILITY_KNOBS,
  ramp: RAMP_KNOBS,
  mix: MIX_KNOBS,
  report: REPORT_KNOBS,
};

/** Every knob by its LLM_* variable, in the order the concerns declare them (the configuration reference's order). */
export const KNOBS: Readonly<Record<string, Knob<unknown>>> = Object.fromEntries(
  Object.values(CONCERNS).flatMap((knobs) => Object.values(knobs as Record<string, Knob<unknown>>).map((k) => [k.env, k])),
);

/** Reads and validates the configuration from k6's __ENV (or any string map). */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  rejectUnknown(env);
  const text = (name: string): string => env[name] ?? '';
  const config: Config = {
    endpoint: readKnobs(ENDPOINT_KNOBS, text),
    request: readKnobs(REQUEST_KNOBS, text),
    prompts: readKnobs(PROMPT_KNOBS, text),
    load: readKnobs(LOAD_KNOBS, text),
    chat: readKnobs(CHAT_KNOBS, text),
    batch: readKnobs(BATCH_KNOBS, text),
    coldstart: readKnobs(COLDSTART_KNOBS, text),
    availability: readKnobs(AVAILABILITY_KNOBS, text),
    ramp: readKnobs(RAMP_KNOBS, text),
    mix: readKnobs(MIX_KNOBS, text),
    report: readKnobs(REPORT_KNOBS, text),
    notices: [],
  };
  if (text('LLM_ARRIVAL') === DEPRECATED_LINEAR) {
    config.notices.push(`LLM_ARRIVAL=${DEPRECATED_LINEAR} is deprecated: the pattern is now called linear (the ramp workload is dist/ramp.js); ran it as linear`);
  }
  settleRamp(config.ramp, text);
  // Embeddings are never streamed (an explicit LLM_STREAM=true is refused by the workload scope check).
  if (isEmbeddingProtocol(config.endpoint.protocol) && text('LLM_STREAM') === '') config.request.stream = false;
  settleTrace(config.load);
  checkPromptSource(config.prompts, text);
  return config;
}

/** A copy of the config safe to print: the API key and the meter's secret are replaced by a marker. */
export function redactedConfig(config: Config): Config {
  const endpoint = config.endpoint;
  return {
    ...config,
    endpoint: {
      ...endpoint,
      apiKey: endpoint.apiKey === null ? null : '[redacted]',
      meter: endpoint.meter === null ? null : { ...endpoint.meter, secret: '[redacted]' },
    },
  };
}

function rejectUnknown(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(env)) {
    if (!name.startsWith('LLM_') || name in KNOBS) continue;
    const hint = closest(name, Object.keys(KNOBS));
    throw new ConfigError(
      'unknown-value',
      name,
      // The value is not echoed: a misspelt LLM_API_KEY would print the secret.
      `invalid variable ${name}; expected one of the LLM_* variables of docs/configuration.md${hint ? ` (did you mean ${hint}?)` : ''}, got an unknown name`,
    );
  }
}
