// Per-workload defaults and the settings a workload runs with: a knob the
// user left unset (null in Config) takes the workload's default, so every
// workload does something sensible with plain `k6 run dist/<name>.js`.

import type { Config } from '../config/config.ts';
import { describe, type Distribution } from '../distribution.ts';
import { hashSeed, hashString } from '../random.ts';

/** A workload's defaults for the knobs whose sensible value depends on the workload. */
export interface WorkloadDefaults {
  vus: number;
  maxTokens: number;
  /** Arrivals per second (open model); for batch, the pacing rate when LLM_RATE is set. */
  rate: number;
  arrival: string;
  /** Synthetic prompt lengths; null: the bundled demo prompts. */
  promptTokens: Distribution | null;
  turns: Distribution;
  thinkTime: Distribution;
}

/** What a workload runs with. */
export interface WorkloadSettings {
  workload: string;
  vus: number;
  maxTokens: number;
  rate: number;
  arrival: string;
  promptTokens: Distribution | null;
  turns: Distribution;
  thinkTime: Distribution;
  /** Chat's closed pool: users each VU holds at once (LLM_USERS_PER_VU, else usersPerVuFor). */
  usersPerVu: number;
  /** Seed of this workload's streams: LLM_SEED mixed with the name, so mixed workloads are independent. */
  seed: number;
}

/** A closed pool up to this many users has a VU per user by default. */
export const VU_PER_USER_UP_TO = 64;
/** Users per VU by default in a larger pool. */
export const DEFAULT_USERS_PER_VU = 16;

/** The default users per VU of a closed pool of `users`: one each while few, else several (each VU is a whole JavaScript runtime). */
export function usersPerVuFor(users: number): number {
  return users <= VU_PER_USER_UP_TO ? 1 : DEFAULT_USERS_PER_VU;
}

/** Config values where given, else the workload's defaults. */
export function resolveSettings(config: Config, workload: string, defaults: WorkloadDefaults): WorkloadSettings {
  return {
    workload,
    vus: config.load.vus ?? defaults.vus,
    maxTokens: config.request.maxTokens ?? defaults.maxTokens,
    rate: config.load.rate ?? defaults.rate,
    arrival: config.load.arrival ?? defaults.arrival,
    promptTokens: config.prompts.promptTokens ?? defaults.promptTokens,
    turns: config.chat.turns ?? defaults.turns,
    thinkTime: config.chat.thinkTime ?? defaults.thinkTime,
    usersPerVu: config.chat.usersPerVu ?? usersPerVuFor(config.load.vus ?? defaults.vus),
    seed: hashSeed(config.load.seed, hashString(workload)),
  };
}

/** The files and text a run's prompts may come from (each null when not given). */
export interface PromptSources {
  trace: string | null;
  dataset: string | null;
  prompt: string | null;
}

/** The prompt sources of a config. */
export function promptSources(config: Pick<Config, 'prompts' | 'load'>): PromptSources {
  return { trace: config.load.trace, dataset: config.prompts.dataset, prompt: config.prompts.prompt };
}

/** The settings as report lines (no secrets). */
export function describeSettings(s: WorkloadSettings, sources: PromptSources): Record<string, string | number> {
  return { vus: s.vus, maxTokens: s.maxTokens, prompts: describePrompts(s, sources) };
}

/** What the requests were sent with, in the order PromptSource picks it: a trace, a dataset, LLM_PROMPT, synthetic lengths, the demo prompts. */
export function describePrompts(s: Pick<WorkloadSettings, 'promptTokens'>, sources: PromptSources): string {
  if (sources.trace !== null) return `trace ${sources.trace} (synthetic text of each record's prompt_tokens)`;
  if (sources.dataset !== null) return `dataset ${sources.dataset}`;
  if (sources.prompt !== null) return `LLM_PROMPT (${sources.prompt.length} characters)`;
  return s.promptTokens ? `synthetic ${describe(s.promptTokens)} tokens` : 'bundled demo prompts';
}
