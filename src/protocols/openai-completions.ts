// OpenAI-compatible /v1/completions (vLLM, SGLang, llama.cpp, TGI's OpenAI
// route): one prompt string in, `choices[].text` deltas out, the same
// finish_reason, usage chunk, [DONE] and error payloads as chat.

import type { AnswerOutput } from './answer-output.ts';
import { isObject, nonEmptyString, openDataEvent, parseObject, promptText } from './json-fields.ts';
import { readOpenaiCompletion, readOpenaiUsage } from './openai-chat.ts';
import {
  bearerHeaders,
  ONE_TOKEN,
  PARSED,
  type ChunkKind,
  type ChunkInfo,
  type CompletionInfo,
  type GenerationRequest,
  type ProtocolAdapter,
} from './protocol.ts';
import { matchesFastTokenRule, type FastTokenRule } from './fast-token-rule.ts';

/** A non-empty `text` inside `choices`, with no ending, usage or error: a plain answer token. */
const FAST_TOKEN: FastTokenRule = {
  startsWith: '{',
  endsWith: '}',
  key: '"text":"',
  emptyValueChar: '"',
  keyInside: '"choices":[',
  excludes: ['"finish_reason":"', '"usage":{', '"error"'],
};

/** The OpenAI completions adapter. */
export const openaiCompletions: ProtocolAdapter = {
  name: 'openai-completions',
  path: '/completions',
  supportsTools: false,
  supportsImages: false,
  headers: bearerHeaders,

  buildBody(request: GenerationRequest): string {
    const body: Record<string, unknown> = {
      model: request.model,
      // One plain string: the API has no messages, and a string keeps every token of the prompt.
      prompt: promptText(request.messages),
      max_tokens: request.maxTokens,
      stream: request.stream,
    };
    if (request.stream) body.stream_options = { include_usage: true };
    if (request.extraBody) Object.assign(body, request.extraBody);
    return JSON.stringify(body);
  },

  fastTokenRule: FAST_TOKEN,

  readChunk(data: string, into: ChunkInfo): ChunkKind {
    if (matchesFastTokenRule(FAST_TOKEN, data)) return ONE_TOKEN;
    const parsed = openDataEvent(data, into);
    if (parsed === null) return PARSED;
    into.usage = readOpenaiUsage(parsed.usage);
    if (!Array.isArray(parsed.choices)) {
      if (!into.usage) into.malformed = true;
      return PARSED;
    }
    for (const choice of parsed.choices) {
      if (!isObject(choice)) continue;
      if (nonEmptyString(choice.text)) into.tokens = 1;
      if (typeof choice.finish_reason === 'string') into.finishReason = choice.finish_reason;
    }
    return PARSED;
  },

  readCompletion(body: string): CompletionInfo {
    return readOpenaiCompletion(body, (choice) => nonEmptyString(choice.text));
  },

  readOutput(data: string, into: AnswerOutput): void {
    into.text += firstChoiceText(parseObject(data));
  },

  readCompletionOutput(body: string, into: AnswerOutput): void {
    into.text += firstChoiceText(parseObject(body));
  },
};

/** choices[0].text of a parsed chunk or body; '' when it has none. */
function firstChoiceText(parsed: Record<string, unknown> | null): string {
  const choice = parsed && Array.isArray(parsed.choices) ? parsed.choices[0] : undefined;
  return isObject(choice) && typeof choice.text === 'string' ? choice.text : '';
}
