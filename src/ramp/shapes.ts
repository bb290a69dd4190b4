// The request shapes a ramp can step through its levels: which workload's
// requests it sends (single turns, with that workload's defaults for the
// knobs left unset) and whose SLO file judges each level. LLM_RAMP_SHAPE is
// checked here, where it is looked up, as protocolByName checks
// LLM_PROTOCOL: config.ts stays free of request builders.

import { invalid } from '../errors.ts';
import { BATCH_DEFAULTS, BATCH_WORKLOAD } from '../workloads/batch.ts';
import { CHAT_DEFAULTS, CHAT_WORKLOAD } from '../workloads/chat.ts';
import { REALTIME_DEFAULTS, REALTIME_WORKLOAD } from '../workloads/realtime.ts';
import type { WorkloadDefaults } from '../workloads/settings.ts';

/** One request shape: a workload's single-turn requests and its default SLO file (thresholds/<thresholds>.json). */
export interface RampShape {
  /** The workload whose defaults (and seed stream) the requests take. */
  workload: string;
  defaults: WorkloadDefaults;
  /** Name of the bundled thresholds file (and LLM_THRESHOLDS profile prefix). */
  thresholds: string;
}

/** Each shape LLM_RAMP_SHAPE names: chat (demo prompts, 128 tokens), batch (long synthetic prompts, 256), realtime (short, 16). */
export const RAMP_SHAPES: Readonly<Record<string, RampShape>> = {
  chat: { workload: CHAT_WORKLOAD, defaults: CHAT_DEFAULTS, thresholds: 'chat' },
  batch: { workload: BATCH_WORKLOAD, defaults: BATCH_DEFAULTS, thresholds: 'batch' },
  realtime: { workload: REALTIME_WORKLOAD, defaults: REALTIME_DEFAULTS, thresholds: 'realtime' },
};

/** The shape named `name`; throws a ConfigError naming the choices. */
export function rampShapeByName(name: string): RampShape {
  const shape = RAMP_SHAPES[name];
  if (!shape) throw invalid('LLM_RAMP_SHAPE', `one of ${Object.keys(RAMP_SHAPES).join(', ')}`, name);
  return shape;
}

/** A ramp request's index among every request of the run: unique across VUs, so synthetic prompts do not repeat. */
export function rampRequestIndex(vuId: number, iteration: number): number {
  return vuId * 1_000_003 + iteration;
}
