// The batch workload's own knobs: the job's size and, for an embeddings API,
// how many texts go in each request.

import { knob, type Knobs } from './knob.ts';
import { integer } from './values.ts';

/** The batch job. */
export interface BatchConfig {
  /** Prompts in the job (an embeddings job: requests). */
  size: number;
  /** Texts per embeddings request. */
  inputsPerRequest: number;
}

/** Batch's knobs. */
export const BATCH_KNOBS: Knobs<BatchConfig> = {
  size: knob('LLM_BATCH_SIZE', {
    default: '64',
    description: 'prompts in the batch job (`openai-embeddings`: requests in the job)',
    workloads: ['batch', 'mixed'],
    parse: (v, env) => integer(env, v, 1, 10_000_000),
  }),
  inputsPerRequest: knob('LLM_INPUTS_PER_REQUEST', {
    default: '16',
    description: 'with `LLM_PROTOCOL=openai-embeddings` only: texts embedded per request (`input` as a list), each distinct',
    workloads: ['batch'],
    parse: (v, env) => integer(env, v, 1, 100_000),
  }),
};
