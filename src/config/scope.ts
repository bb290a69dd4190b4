// Which LLM_* variables do something for which workload. A variable set for a
// workload it does not apply to, or in a combination where it does nothing
// (LLM_BURSTINESS with Poisson arrivals), is refused before any load, with
// one line saying where it applies: a knob that is accepted and then ignored
// would measure something other than what the user asked for. The k6 scripts
// check it at init (src/k6/load-config.ts), the CLI before starting k6.
// Data and plain checks only: no request builders.

import { ConfigError, quote } from '../errors.ts';
import { isEmbeddingProtocol, PROTOCOLS } from '../protocols/index.ts';
import { KNOBS, parseConfig, type Config } from './config.ts';
import { WORKLOAD_NAMES, type WorkloadName } from './knob.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** parseConfig, then the workload's scope check (for a workload name k6-llm does not know, parseConfig alone). */
export function parseWorkloadConfig(env: Env, workload: string): Config {
  const config = parseConfig(env);
  if (isWorkloadName(workload)) checkWorkloadScope(env, config, workload);
  return config;
}

/** True for the name of one of the workloads. */
export function isWorkloadName(name: string): name is WorkloadName {
  return (WORKLOAD_NAMES as readonly string[]).includes(name);
}

/**
 * Whether a workload's prompts are synthetic without LLM_PROMPT_TOKENS (its
 * defaults have prompt lengths): realtime and batch (and so mixed), and a ramp
 * with their shapes. Chat, coldstart and availability send the demo prompts.
 */
export function syntheticByDefault(workload: WorkloadName, rampShape: string): boolean {
  if (workload === 'ramp') return rampShape !== 'chat';
  return workload === 'realtime' || workload === 'batch' || workload === 'mixed';
}

/** Variables a trace replaces: it gives every request's time, prompt length and output length. */
const TRACE_REPLACES = ['LLM_RATE', 'LLM_TURNS', 'LLM_THINK_TIME', 'LLM_PROMPT', 'LLM_DATASET', 'LLM_PROMPT_TOKENS', 'LLM_MAX_TOKENS'];

/** Throws a ConfigError for the first variable set (non-empty) that does nothing for `workload`. */
export function checkWorkloadScope(env: Env, config: Config, workload: WorkloadName): void {
  const given = (name: string): boolean => env[name] !== undefined && env[name] !== '';
  for (const [name, spec] of Object.entries(KNOBS)) {
    if (!given(name)) continue;
    if (!spec.workloads.includes(workload)) throw outOfScope(name, env[name], workload, `to ${listText(spec.workloads)} only`);
    const condition = unmetCondition(name, workload, config, given);
    if (condition !== null) throw outOfScope(name, env[name], workload, condition);
  }
}

/** The condition under which `name` would do something, when this run does not meet it; null when it applies. */
function unmetCondition(name: string, workload: WorkloadName, config: Config, given: (name: string) => boolean): string | null {
  // Chat is an open model when LLM_RATE or LLM_ARRIVAL is set (LLM_TRACE sets LLM_ARRIVAL): chatIsOpen in src/workloads/chat.ts.
  const { load, ramp, endpoint } = config;
  const chatOpen = load.rate !== null || load.arrival !== null;
  if (given('LLM_TRACE') && TRACE_REPLACES.includes(name)) return 'without LLM_TRACE only (the trace gives every request its time and lengths)';
  const embedding = embeddingCondition(name, workload, config);
  if (embedding !== null) return embedding;
  switch (name) {
    case 'LLM_ARRIVAL':
      return workload === 'batch' && load.arrival !== 'constant' ? 'to batch as constant only (batch is paced by LLM_RATE)' : null;
    case 'LLM_BURSTINESS':
      return load.arrival === 'gamma' || load.arrival === 'linear' ? null : 'with LLM_ARRIVAL=gamma or linear only';
    case 'LLM_RAMP_FROM':
      return load.arrival === 'linear' ? null : 'with LLM_ARRIVAL=linear only';
    case 'LLM_RAMP_MAX_VUS':
      return ramp.by === 'rate' ? null : 'with LLM_RAMP_BY=rate only';
    case 'LLM_MAX_LAG':
      return workload !== 'chat' || chatOpen ? null : 'to scheduled arrivals only (chat as an open model: set LLM_RATE or LLM_ARRIVAL)';
    case 'LLM_SCHEDULE_LAG_WARN_MS':
      if (workload === 'chat' && !chatOpen) return 'to scheduled arrivals only (chat as an open model: set LLM_RATE or LLM_ARRIVAL)';
      return workload === 'batch' && load.rate === null ? 'to a paced batch only (set LLM_RATE)' : null;
    case 'LLM_TOOLS':
      return PROTOCOLS[endpoint.protocol]?.supportsTools ? null : `with protocols that take tools only (${toolProtocols()}; not ${endpoint.protocol})`;
    case 'LLM_IMAGES':
      return PROTOCOLS[endpoint.protocol]?.supportsImages ? null : `with protocols that take images only (${imageProtocols()}; not ${endpoint.protocol})`;
    case 'LLM_IMAGE_SIZE':
      return given('LLM_IMAGES') ? null : 'with LLM_IMAGES only (the synthetic images it sizes)';
    case 'LLM_IGNORE_EOS':
      // ignore_eos and min_tokens are OpenAI-compatible servers' extensions (vLLM, SGLang); other APIs refuse or ignore them.
      return endpoint.protocol === 'openai-chat' || endpoint.protocol === 'openai-completions' ? null : `with LLM_PROTOCOL=openai-chat or openai-completions only (vLLM, SGLang), not ${endpoint.protocol}`;
    case 'LLM_SHARED_PREFIX':
      if (given('LLM_PROMPT') || given('LLM_DATASET')) return 'to synthetic prompts only (not with LLM_PROMPT or LLM_DATASET)';
      if (given('LLM_PROMPT_TOKENS') || given('LLM_TRACE') || syntheticByDefault(workload, config.ramp.shape)) return null;
      return `to synthetic prompts only (set LLM_PROMPT_TOKENS: ${workload} sends the demo prompts by default)`;
    default:
      return null;
  }
}

/**
 * An embeddings API (LLM_PROTOCOL=openai-embeddings) answers one body per
 * request, never a stream: it runs as a batch job, TTFT and ITL do not apply
 * and no token is generated; its own knob does nothing for other protocols.
 */
function embeddingCondition(name: string, workload: WorkloadName, config: Config): string | null {
  const protocol = config.endpoint.protocol;
  const embedding = isEmbeddingProtocol(protocol);
  switch (name) {
    case 'LLM_PROTOCOL':
      return embedding && workload !== 'batch' ? `as ${protocol} to batch only (embeddings are not streamed, so TTFT and ITL do not apply)` : null;
    case 'LLM_INPUTS_PER_REQUEST':
      return embedding ? null : 'with LLM_PROTOCOL=openai-embeddings only';
    case 'LLM_STREAM':
      return embedding && config.request.stream ? `as false only with LLM_PROTOCOL=${protocol} (embeddings are not streamed)` : null;
    case 'LLM_MAX_TOKENS':
    case 'LLM_IGNORE_EOS':
      return embedding ? `to generation protocols only (LLM_PROTOCOL=${protocol} generates no tokens)` : null;
    default:
      return null;
  }
}

function outOfScope(name: string, value: string | undefined, workload: WorkloadName, where: string): ConfigError {
  // Secrets are never echoed (both apply everywhere, so this is a guard).
  const got = name === 'LLM_API_KEY' || name === 'LLM_METER_URL' ? 'a value (not shown)' : quote(value);
  return new ConfigError('invalid-value', name, `invalid ${name} for workload ${workload}; it applies ${where}, got ${got}`);
}

function listText(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The protocols whose requests may carry tools, as a list for messages. */
export function toolProtocols(): string {
  return listText(Object.values(PROTOCOLS).filter((a) => a.supportsTools).map((a) => a.name));
}

/** The protocols whose user turns may carry images, as a list for messages. */
export function imageProtocols(): string {
  return listText(Object.values(PROTOCOLS).filter((a) => a.supportsImages).map((a) => a.name));
}
