// Every LLM_* variable: its default, its meaning, and the workloads it applies
// to (the README's Configuration table mirrors this). parseConfig reads the
// defaults; src/workload-scope.ts refuses a variable set for a workload it
// does not apply to. Data only, so whatever reads config pulls in no request
// builders.

import { ARRIVAL_NAMES } from './arrivals/index.ts';
import { PROTOCOLS } from './protocols/index.ts';

/** Every workload, one script each (dist/<name>.js). */
export const WORKLOAD_NAMES = ['chat', 'realtime', 'batch', 'mixed', 'coldstart', 'availability', 'ramp'] as const;
/** One of WORKLOAD_NAMES. */
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** One variable's row of the table. */
export interface VariableSpec {
  /** The default, as a user would write it. */
  default: string;
  description: string;
  /** The workloads it applies to; set for any other, it is refused before load. */
  workloads: readonly WorkloadName[];
}

const ALL = WORKLOAD_NAMES;
// Every workload but those whose length is not LLM_DURATION (coldstart: its probes; ramp: its levels).
const TIMED: readonly WorkloadName[] = ['chat', 'realtime', 'batch', 'mixed', 'availability'];
// Workloads whose requests follow a generated schedule (LLM_ARRIVAL).
const SCHEDULED: readonly WorkloadName[] = ['chat', 'realtime', 'mixed'];

/** Every variable parseConfig reads, with its default, meaning and scope (the README table mirrors this). */
export const VARIABLES: Readonly<Record<string, VariableSpec>> = {
  LLM_BASE_URL: { default: 'http://127.0.0.1:8000/v1', description: 'API base URL, up to and including /v1', workloads: ALL },
  LLM_MODEL: { default: 'mock-llm', description: 'model name sent in every request', workloads: ALL },
  LLM_API_KEY: { default: '', description: 'bearer token; read from the environment, never printed', workloads: ALL },
  LLM_PROTOCOL: { default: 'openai-chat', description: `wire protocol: ${Object.keys(PROTOCOLS).join(', ')}`, workloads: ALL },
  LLM_DURATION: { default: '30s', description: 'whole run, including the graceful stop of in-flight requests', workloads: TIMED },
  LLM_VUS: {
    default: '',
    description: 'VUs: chat users (closed pool), batch concurrency, or the pool that sends open-model arrivals (default per workload)',
    workloads: TIMED,
  },
  LLM_MAX_TOKENS: { default: '', description: 'max_tokens of every request (default per workload)', workloads: ALL },
  LLM_STREAM: { default: 'true', description: 'stream responses (true) or not (false)', workloads: ALL },
  LLM_TIMEOUT: { default: '60s', description: 'whole-request timeout', workloads: ALL },
  LLM_STALL_TIMEOUT: { default: '30s', description: 'longest silence allowed inside a response (meter transport)', workloads: ALL },
  LLM_TRANSPORT: { default: 'auto', description: 'auto (the meter when LLM_METER_URL is set, else xk6-sse), meter or sse', workloads: ALL },
  LLM_METER_URL: {
    default: '',
    description: 'the stream meter to read responses through, as printed by npx k6-llm meter (it holds a secret; never printed)',
    workloads: ALL,
  },
  LLM_OUT_DIR: { default: '.', description: 'existing folder for the reports (k6 does not create folders; the CLI does)', workloads: ALL },
  LLM_SUMMARY_JSON: { default: '', description: 'JSON summary path (default: <LLM_OUT_DIR>/llm-summary.json)', workloads: ALL },
  LLM_PROMPT: { default: '', description: 'fixed user prompt (default: the bundled demo prompts)', workloads: ALL },
  LLM_THINK_TIME: {
    default: '',
    description: 'pause between chat turns: a duration or a distribution such as uniform:1s:3s or exp:2s',
    workloads: ['chat', 'mixed'],
  },
  LLM_LAG_WARN_MS: { default: '5', description: 'generator lag p99 (ms) above which the summary warns', workloads: ALL },
  LLM_INSECURE_TLS: {
    default: 'false',
    description: 'accept self-signed or otherwise unverifiable TLS certificates (k6 insecureSkipTLSVerify)',
    workloads: ALL,
  },
  LLM_IDLE: {
    default: '15m',
    description: "coldstart: idle gap before each cold probe (longer than the provider's scale-down window)",
    workloads: ['coldstart'],
  },
  LLM_PROBES: { default: '3', description: 'coldstart: number of cold probes', workloads: ['coldstart'] },
  LLM_WARM_REQUESTS: { default: '5', description: 'coldstart: warm requests after each cold probe', workloads: ['coldstart'] },
  LLM_MAX_RETRIES: { default: '5', description: 'coldstart: retries of a cold probe answered 429/502/503/504 or refused', workloads: ['coldstart'] },
  LLM_RETRY_BACKOFF: { default: '500ms', description: 'coldstart: first backoff when no Retry-After is given; doubles per retry', workloads: ['coldstart'] },
  LLM_RETRY_MAX_WAIT: { default: '30s', description: 'coldstart: longest wait before one retry (caps Retry-After too)', workloads: ['coldstart'] },
  LLM_WINDOW: { default: '1m', description: 'availability: reporting window', workloads: ['availability'] },
  LLM_RATE: {
    default: '',
    description: 'arrivals per second of open-model workloads (default per workload)',
    workloads: ['chat', 'realtime', 'batch', 'availability'],
  },
  LLM_ARRIVAL: { default: '', description: `arrival pattern: ${ARRIVAL_NAMES.join(', ')}`, workloads: [...SCHEDULED, 'batch'] },
  LLM_BURSTINESS: {
    default: '1',
    description: 'gamma shape of gaps (gamma, linear): 1 = Poisson, lower = burstier (CV 1/sqrt(b))',
    workloads: SCHEDULED,
  },
  LLM_RAMP_FROM: { default: '0', description: 'start rate (per second) of the linear arrival pattern; it ends at LLM_RATE', workloads: SCHEDULED },
  LLM_SEED: { default: '1', description: 'seed of schedules, prompts, lengths and think times', workloads: ALL },
  LLM_DATASET: { default: '', description: 'JSONL prompts file ({"prompt": ...} or {"messages": [...]} per line)', workloads: ALL },
  LLM_TOOLS: {
    default: '',
    description: 'JSON file of tools every request offers (OpenAI, Responses or Anthropic shape); a dataset line\'s "tools" take precedence',
    workloads: ALL,
  },
  LLM_TRACE: {
    default: '',
    description: 'JSONL trace to replay (timestamp, prompt_tokens, output_tokens[, conversation_id])',
    workloads: ['chat', 'realtime'],
  },
  LLM_PROMPT_TOKENS: { default: '', description: 'synthetic prompt length distribution in tokens, e.g. 512 or uniform:100:500', workloads: ALL },
  LLM_SHARED_PREFIX: { default: '0', description: 'share (0-1) of each synthetic prompt identical across requests (prefix caching)', workloads: ALL },
  LLM_IGNORE_EOS: { default: 'false', description: 'send ignore_eos and min_tokens so outputs are exactly max_tokens (vLLM, SGLang)', workloads: ALL },
  LLM_TURNS: { default: '', description: 'turns per chat conversation, e.g. 3 or uniform:2:5', workloads: ['chat', 'mixed'] },
  LLM_MAX_LAG: { default: '1s', description: 'drop an arrival no VU could start within this of its time (none: never drop)', workloads: SCHEDULED },
  LLM_SCHEDULE_LAG_WARN_MS: { default: '25', description: 'schedule lag p99 (ms) above which the summary warns', workloads: [...SCHEDULED, 'batch'] },
  LLM_BATCH_SIZE: { default: '64', description: 'prompts in the batch job (openai-embeddings: requests in the job)', workloads: ['batch', 'mixed'] },
  LLM_INPUTS_PER_REQUEST: {
    default: '16',
    description: 'batch with LLM_PROTOCOL=openai-embeddings: inputs (texts) embedded per request, each distinct',
    workloads: ['batch'],
  },
  LLM_MIX: {
    default: 'chat=0.5,realtime=4,batch=4',
    description: 'mixed run: chat conversations/s, realtime requests/s, batch concurrency (0 = off)',
    workloads: ['mixed'],
  },
  LLM_THRESHOLDS: {
    default: '',
    description: "SLO file: a path to a .json file, a profile name (e.g. relaxed), or none (default: thresholds/<workload>.json)",
    workloads: ALL,
  },
  LLM_LEVELS: {
    default: '1,2,4,8,16,32,64',
    description: 'ramp: ascending load levels (concurrent streams, or requests/s with LLM_RAMP_BY=rate)',
    workloads: ['ramp'],
  },
  LLM_RAMP_BY: {
    default: 'concurrency',
    description: 'ramp: what the levels step, concurrency (closed model) or rate (open model, requests/s)',
    workloads: ['ramp'],
  },
  LLM_LEVEL_DURATION: { default: '30s', description: 'ramp: how long each level is held, warm-up included', workloads: ['ramp'] },
  LLM_WARMUP: { default: '10s', description: 'ramp: start of each level left out of the analysis', workloads: ['ramp'] },
  LLM_STOP_ERROR_RATE: {
    default: '0.5',
    description: 'ramp stop rule: stop after a level whose error rate exceeds this (0-1), or off',
    workloads: ['ramp'],
  },
  LLM_STOP_TTFT_FACTOR: {
    default: '5',
    description: 'ramp stop rule: stop after a level whose TTFT (or E2E) percentile exceeds this many times its SLO bound, or off',
    workloads: ['ramp'],
  },
  LLM_SATURATION_GAIN: { default: '5%', description: 'ramp: smallest throughput gain that still counts as scaling (percent)', workloads: ['ramp'] },
  LLM_RAMP_SHAPE: { default: 'chat', description: 'ramp: request shape and default SLO file: chat, batch or realtime', workloads: ['ramp'] },
  LLM_RAMP_MAX_VUS: { default: '200', description: 'ramp with LLM_RAMP_BY=rate: most requests in flight per level', workloads: ['ramp'] },
};
