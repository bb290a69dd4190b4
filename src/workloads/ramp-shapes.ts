// The request shapes a ramp can step through its levels: which workload's
// requests it sends and whose SLO file judges each level. Kept apart from
// ramp.ts so config.ts can validate LLM_RAMP_SHAPE without importing k6
// option building.

import type { Config } from '../config.ts';
import type { GenerationRequest } from '../protocols/protocol.ts';
import { chatRequest } from './chat.ts';

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
 * Every shape sends chat messages today: batch-like long outputs and
 * realtime-like short ones differ in LLM_MAX_TOKENS and in the SLO file that
 * judges them (batch: aggregate throughput; realtime: E2E). A workload with
 * its own request builder plugs in here.
 */
export const RAMP_SHAPES: Readonly<Record<(typeof RAMP_SHAPE_NAMES)[number], RampShape>> = {
  chat: { request: chatRequest, thresholds: 'chat' },
  batch: { request: chatRequest, thresholds: 'batch' },
  realtime: { request: chatRequest, thresholds: 'realtime' },
};

/** The shape a validated config names. */
export function rampShape(config: Config): RampShape {
  return RAMP_SHAPES[config.rampShape as (typeof RAMP_SHAPE_NAMES)[number]];
}
