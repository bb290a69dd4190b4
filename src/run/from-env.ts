// The built-in workloads' knobs (LLM_* variables, as the CLI and plain
// `k6 run -e` set them) read into the library's own option types, with the
// workload's defaults for the knobs left unset. The built-in scripts
// (scenarios/) run on it; a script of one's own can use it to take the same
// variables. Call it in the init context: a bad variable or file stops the
// run there, in one line.

import type { Config } from '../config/config.ts';
import { usesMeter } from '../config/endpoint.ts';
import type { WorkloadName } from '../config/knob.ts';
import type { LoadConfig } from '../config/load.ts';
import { checkWorkloadScope, isWorkloadName } from '../config/scope.ts';
import { parseConfig } from '../config/config.ts';
import { describe } from '../distribution.ts';
import { invalid } from '../errors.ts';
import { loadDataset, loadTools } from '../k6/input-files.ts';
import { syntheticImages } from '../k6/synthetic-images.ts';
import { oneLine } from '../k6/load-config.ts';
import { isEmbeddingProtocol } from '../protocols/index.ts';
import { rampShapeByName } from '../ramp/shapes.ts';
import { AVAILABILITY_DEFAULTS } from '../workloads/availability.ts';
import { BATCH_DEFAULTS, EMBEDDINGS_DEFAULTS, EMBEDDINGS_THRESHOLDS } from '../workloads/batch.ts';
import { CHAT_DEFAULTS, CHAT_OPEN_DEFAULTS, chatIsOpen } from '../workloads/chat.ts';
import { COLDSTART_DEFAULTS } from '../workloads/coldstart.ts';
import { splitDuration } from '../workloads/options.ts';
import { PromptSource, type ImageOptions, type RequestShape } from '../workloads/prompts.ts';
import { REALTIME_DEFAULTS } from '../workloads/realtime.ts';
import { describeSettings, promptSources, resolveSettings, type WorkloadDefaults, type WorkloadSettings } from '../workloads/settings.ts';
import { loadSlo, type Slo } from './slo.ts';

/** A built-in workload's run as its LLM_* variables configure it. */
export interface WorkloadEnv {
  /** The workload (its scenario, tag and default SLO file). */
  workload: string;
  /** Every knob, by concern. */
  config: Config;
  /** The knobs whose sensible value depends on the workload, with its defaults where unset. */
  settings: WorkloadSettings;
  /** Chat as an open model (LLM_RATE or LLM_ARRIVAL given). */
  open: boolean;
  /** The SLO LLM_THRESHOLDS selects for it; null: none. */
  slo: Slo | null;
  /** Every request's length, streaming and length control. */
  shape: RequestShape;
  /** Its prompts: LLM_DATASET, LLM_PROMPT, LLM_PROMPT_TOKENS (or the workload's default lengths), LLM_TOOLS. */
  prompts: PromptSource;
  /** The load window, split from LLM_DURATION (ms). */
  loadMs: number;
  /** The graceful stop after the load window, split from LLM_DURATION (ms): in-flight requests finish in it. */
  gracefulStopMs: number;
  /** The settings as the report shows them. */
  settingsLines: Record<string, string | number>;
}

/** How a workload reads its knobs when another workload runs it (mixed). */
export interface FromEnvOverrides {
  /** Load knobs that replace the variables' (mixed gives each workload its own rate). */
  load?: Partial<LoadConfig>;
  /** Run chat as an open model whatever the variables say. */
  open?: boolean;
  /** The workload whose knobs the variables must apply to (mixed, for its parts); default: the workload itself. */
  scope?: WorkloadName;
  /** k6's __ENV by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The LLM_* variables of built-in workload `workload`, checked (a variable that does nothing for it is refused). */
export function fromEnv(workload: WorkloadName, overrides: FromEnvOverrides = {}): WorkloadEnv {
  return oneLine(() => {
    if (!isWorkloadName(workload)) throw invalid('workload', 'a built-in workload: chat, realtime, batch, mixed, coldstart, availability or ramp', workload);
    const env = overrides.env ?? __ENV;
    const parsed = parseConfig(env);
    checkWorkloadScope(env, parsed, overrides.scope ?? workload);
    const config: Config = overrides.load ? { ...parsed, load: { ...parsed.load, ...overrides.load } } : parsed;
    const open = overrides.open ?? (workload === 'chat' && chatIsOpen(config));
    const { name, defaults, sloName } = workloadDefaults(workload, config, open);
    const settings = resolveSettings(config, name, defaults);
    if (!usesMeter(config.endpoint)) {
      // xk6-sse reads one stream per VU at a time: a VU per user.
      if ((config.chat.usersPerVu ?? 1) > 1) throw invalid('LLM_USERS_PER_VU', '1 without the stream meter (xk6-sse reads one stream per VU at a time)', String(config.chat.usersPerVu));
      settings.usersPerVu = 1;
    }
    const { protocol } = config.endpoint;
    const prompts = new PromptSource({
      prompt: config.prompts.prompt,
      promptTokens: settings.promptTokens,
      sharedPrefix: config.prompts.sharedPrefix,
      seed: settings.seed,
      dataset: config.prompts.dataset === null ? null : loadDataset(config.prompts.dataset, 'LLM_DATASET', protocol),
      tools: config.request.tools === null ? null : loadTools(config.request.tools, 'LLM_TOOLS'),
      images: imageOptions(config, settings.seed),
    });
    const { loadMs, gracefulStopMs } = splitDuration(config.load.durationMs);
    return {
      workload,
      config,
      settings,
      open,
      slo: loadSlo(config.report.thresholds, sloName),
      shape: { maxTokens: settings.maxTokens, stream: config.request.stream, ignoreEos: config.request.ignoreEos },
      prompts,
      loadMs,
      gracefulStopMs,
      settingsLines: {
        ...describeSettings(settings, promptSources(config)),
        ...(workload === 'chat' ? { turns: describe(settings.turns), thinkTimeMs: describe(settings.thinkTime), loadModel: open ? 'open' : 'closed' } : {}),
        ...(workload === 'chat' && !open ? { usersPerVu: settings.usersPerVu } : {}),
        ...(config.prompts.images === null ? {} : { images: `${describe(config.prompts.images)} per user turn, ${describe(config.prompts.imageSize)} px square PNG` }),
      },
    };
  });
}

/** LLM_IMAGES and LLM_IMAGE_SIZE as the prompt source takes them; null without images. */
function imageOptions(config: Config, seed: number): ImageOptions | null {
  const { images, imageSize } = config.prompts;
  if (images === null) return null;
  const maker = syntheticImages(seed);
  return { perRequest: images, side: imageSize, make: (width, height, key) => maker.image(width, height, key) };
}

/** Whose defaults and seed stream a workload takes, and its default SLO file's name. */
function workloadDefaults(workload: WorkloadName, config: Config, open: boolean): { name: string; defaults: WorkloadDefaults; sloName: string } {
  switch (workload) {
    case 'chat':
      return { name: 'chat', defaults: open ? { ...CHAT_DEFAULTS, ...CHAT_OPEN_DEFAULTS } : CHAT_DEFAULTS, sloName: 'chat' };
    case 'realtime':
      return { name: 'realtime', defaults: REALTIME_DEFAULTS, sloName: 'realtime' };
    case 'batch':
      return isEmbeddingProtocol(config.endpoint.protocol)
        ? { name: 'batch', defaults: EMBEDDINGS_DEFAULTS, sloName: EMBEDDINGS_THRESHOLDS }
        : { name: 'batch', defaults: BATCH_DEFAULTS, sloName: 'batch' };
    case 'coldstart':
      return { name: 'coldstart', defaults: COLDSTART_DEFAULTS, sloName: 'coldstart' };
    case 'availability':
      return { name: 'availability', defaults: AVAILABILITY_DEFAULTS, sloName: 'availability' };
    case 'ramp': {
      const shape = rampShapeByName(config.ramp.shape);
      return { name: shape.workload, defaults: shape.defaults, sloName: shape.thresholds };
    }
    case 'mixed':
      // Mixed runs chat, realtime and batch, each read with its own name (and LLM_MIX's rate).
      throw invalid('workload', 'chat, realtime or batch for each part of mixed', workload);
  }
}
