// The interactive chat workload: streamed answers to user prompts, judged by
// time to first token and its stability. This file shapes the requests;
// scenarios/chat.ts runs them.

import type { Config } from '../config.ts';
import type { GenerationRequest } from '../protocols/protocol.ts';
import { DEMO_PROMPTS } from './demo-prompts.ts';

/** The workload's tag value and scenario name. */
export const CHAT_WORKLOAD = 'chat';

/** The request a chat user sends on its `iteration`-th turn (0-based, counted per VU). */
export function chatRequest(config: Config, vuId: number, iteration: number): GenerationRequest {
  const prompt = config.prompt ?? (DEMO_PROMPTS[(vuId * 7 + iteration) % DEMO_PROMPTS.length] as string);
  return {
    model: config.model,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: prompt },
    ],
    maxTokens: config.maxTokens,
    stream: config.stream,
  };
}
