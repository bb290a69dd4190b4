// The request shapes a ramp can step through its levels: which workload's
// requests it sends and whose SLO file judges each level. Kept apart from
// ramp.ts so config.ts can validate LLM_RAMP_SHAPE without importing k6
// option building.

import type { Config } from '../config.ts';
import type { GenerationRequest } from '../protocols/protocol.ts';
import { BATCH_DEFAULTS, BATCH_WORKLOAD, batchRequest } from './batch.ts';
import { chatRequest } from './chat.ts';
import { PromptSource } from './prompts.ts';
import { REALTIME_DEFAULTS, REALTIME_WORKLOAD, realtimeRequest } from './realtime.ts';
import { resolveSettings, type WorkloadDefaults, type WorkloadSettings } from './settings.ts';

/** Names LLM_RAMP_SHAPE accepts. */
export const RAMP_SHAPE_NAMES = ['chat', 'batch', 'realtime'] as const;

/** One request shape: how requests look, and the default SLO file (thresholds/<thresholds>.json). */
export interface RampShape {
  /** The request a VU sends on its `iteration`-th turn. */
  request: (config: Config, vuId: number, iteration: number) => GenerationRequest;
  /** Name of the bundled thresholds file (and LLM_THRESHOLDS profile prefix). */
  thresholds: string;
}

/**
 * A single-shot shape (batch or realtime): that workload's own request builder,
 * its defaults for the knobs left unset (batch: long prompts and outputs;
 * realtime: short ones) and its prompt source, made once per config.
 */
function singleShot(
  workload: string,
  defaults: WorkloadDefaults,
  build: (config: Config, settings: WorkloadSettings, prompts: PromptSource, index: number) => GenerationRequest,
): RampShape['request'] {
  let made: { config: Config; settings: WorkloadSettings; prompts: PromptSource } | null = null;
  return (config, vuId, iteration) => {
    if (made === null || made.config !== config) {
      const settings = resolveSettings(config, workload, defaults);
      made = { config, settings, prompts: new PromptSource(config, settings, null) };
    }
    // Unique per request across VUs, so synthetic prompts do not repeat.
    return build(config, made.settings, made.prompts, vuId * 1_000_003 + iteration);
  };
}

/** Each shape's requests (its own workload's builder) and the SLO file that judges its levels. */
export const RAMP_SHAPES: Readonly<Record<(typeof RAMP_SHAPE_NAMES)[number], RampShape>> = {
  chat: { request: chatRequest, thresholds: 'chat' },
  batch: { request: singleShot(BATCH_WORKLOAD, BATCH_DEFAULTS, batchRequest), thresholds: 'batch' },
  realtime: {
    request: singleShot(REALTIME_WORKLOAD, REALTIME_DEFAULTS, (config, settings, prompts, index) =>
      realtimeRequest(config, settings, prompts, index, { atMs: 0 }),
    ),
    thresholds: 'realtime',
  },
};

/** The shape a validated config names. */
export function rampShape(config: Config): RampShape {
  return RAMP_SHAPES[config.rampShape as (typeof RAMP_SHAPE_NAMES)[number]];
}
