// Per-workload defaults and the settings a workload runs with: a knob the
// user left unset (null in Config) takes the workload's default, so every
// workload does something sensible with plain `k6 run dist/<name>.js`.

import type { Config } from '../config.ts';
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
  /** Seed of this workload's streams: LLM_SEED mixed with the name, so mixed workloads are independent. */
  seed: number;
}

/** Config values where given, else the workload's defaults. */
export function resolveSettings(config: Config, workload: string, defaults: WorkloadDefaults): WorkloadSettings {
  return {
    workload,
    vus: config.vus ?? defaults.vus,
    maxTokens: config.maxTokens ?? defaults.maxTokens,
    rate: config.rate ?? defaults.rate,
    arrival: config.arrival ?? defaults.arrival,
    promptTokens: config.promptTokens ?? defaults.promptTokens,
    turns: config.turns ?? defaults.turns,
    thinkTime: config.thinkTime ?? defaults.thinkTime,
    seed: hashSeed(config.seed, hashString(workload)),
  };
}

/** The settings as report lines (no secrets). */
export function describeSettings(s: WorkloadSettings, config: Pick<Config, 'trace' | 'dataset' | 'prompt'>): Record<string, string | number> {
  return { vus: s.vus, maxTokens: s.maxTokens, prompts: describePrompts(s, config) };
}

/** What the requests were sent with, in the order PromptSource picks it: a trace, a dataset, LLM_PROMPT, synthetic lengths, the demo prompts. */
export function describePrompts(s: Pick<WorkloadSettings, 'promptTokens'>, config: Pick<Config, 'trace' | 'dataset' | 'prompt'>): string {
  if (config.trace !== null) return `trace ${config.trace} (synthetic text of each record's prompt_tokens)`;
  if (config.dataset !== null) return `dataset ${config.dataset}`;
  if (config.prompt !== null) return `LLM_PROMPT (${config.prompt.length} characters)`;
  return s.promptTokens ? `synthetic ${describe(s.promptTokens)} tokens` : 'bundled demo prompts';
}
