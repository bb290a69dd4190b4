// The prompt source of a parsed config, as fromEnv (src/run/from-env.ts)
// builds it in k6, for tests that check what requests carry: the dataset and
// tools arrive parsed instead of read by k6's open().
import type { Config } from '../../../src/config/config.ts';
import type { DatasetItem } from '../../../src/datasets/prompt-dataset.ts';
import type { ToolSpec } from '../../../src/protocols/protocol.ts';
import { PromptSource, type Indexed, type RequestShape } from '../../../src/workloads/prompts.ts';
import type { WorkloadSettings } from '../../../src/workloads/settings.ts';

/** The source of `config` with `settings` (the workload's defaults applied). */
export function promptSourceFor(config: Config, settings: WorkloadSettings, dataset: Indexed<DatasetItem> | null = null, tools: ToolSpec[] | null = null): PromptSource {
  return new PromptSource({ prompt: config.prompts.prompt, promptTokens: settings.promptTokens, sharedPrefix: config.prompts.sharedPrefix, seed: settings.seed, dataset, tools });
}

/** The request shape fromEnv gives a workload. */
export function shapeOf(config: Config, settings: WorkloadSettings): RequestShape {
  return { maxTokens: settings.maxTokens, stream: config.request.stream, ignoreEos: config.request.ignoreEos };
}
