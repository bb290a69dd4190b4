// Prompt-cache figures as each protocol reports them, read into a record:
// OpenAI's usage.prompt_tokens_details.cached_tokens (chat, completions,
// streamed and whole), Responses' input_tokens_details.cached_tokens, and
// Anthropic's cache_read_input_tokens / cache_creation_input_tokens (whose
// input_tokens leaves both out, so the prompt is the sum); a usage that
// says nothing of the cache is not a miss.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicMessages } from '../../../src/protocols/anthropic-messages.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { openaiCompletions } from '../../../src/protocols/openai-completions.ts';
import { openaiResponses } from '../../../src/protocols/openai-responses.ts';
import type { ProtocolAdapter } from '../../../src/protocols/protocol.ts';
import { StreamMeter } from '../../../src/measure/stream-meter.ts';
import { measureCompletion } from '../../../src/measure/completion.ts';
import { cacheTag } from '../../../src/measure/cache-hit.ts';

const OUTCOME = { status: 200, headersMs: 1, endMs: 50, error: null };

/** The record of a stream of `events` (one every ms). */
function streamed(adapter: ProtocolAdapter, events: string[]) {
  const meter = new StreamMeter(adapter, 0);
  events.forEach((data, i) => meter.onEvent(i + 1, data));
  return meter.finish(OUTCOME);
}

const pick = (r: { promptTokens: number | null; cachedPromptTokens: number | null; cacheWriteTokens: number | null }) => [r.promptTokens, r.cachedPromptTokens, r.cacheWriteTokens];

describe('cached prompt tokens per protocol', () => {
  it('openai-chat: the usage chunk\'s prompt_tokens_details.cached_tokens, streamed and whole; null details are no report', () => {
    const usage = (details: string) => `{"choices":[],"usage":{"prompt_tokens":40,"completion_tokens":2${details}}}`;
    const head = ['{"choices":[{"delta":{"content":"a"}}]}', '{"choices":[{"delta":{"content":"b"},"finish_reason":"stop"}]}'];
    assert.deepEqual(pick(streamed(openaiChat, [...head, usage(',"prompt_tokens_details":{"cached_tokens":32}'), '[DONE]'])), [40, 32, null]);
    assert.deepEqual(pick(streamed(openaiChat, [...head, usage(',"prompt_tokens_details":{"cached_tokens":0}'), '[DONE]'])), [40, 0, null]);
    assert.deepEqual(pick(streamed(openaiChat, [...head, usage(',"prompt_tokens_details":null'), '[DONE]'])), [40, null, null]);
    assert.deepEqual(pick(streamed(openaiChat, [...head, usage(''), '[DONE]'])), [40, null, null]);
    const body = '{"choices":[{"message":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":40,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":16}}}';
    assert.deepEqual(pick(measureCompletion(openaiChat, 0, OUTCOME, body)), [40, 16, null]);
    const completion = '{"choices":[{"text":"hi","finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":0}}}';
    assert.deepEqual(pick(measureCompletion(openaiCompletions, 0, OUTCOME, completion)), [9, 0, null]);
  });

  it('openai-responses: input_tokens_details.cached_tokens of response.completed, and of a whole body', () => {
    const usage = '{"input_tokens":50,"input_tokens_details":{"cached_tokens":48},"output_tokens":1,"output_tokens_details":{"reasoning_tokens":0}}';
    const events = ['{"type":"response.output_text.delta","delta":"a"}', `{"type":"response.completed","response":{"status":"completed","usage":${usage}}}`];
    assert.deepEqual(pick(streamed(openaiResponses, events)), [50, 48, null]);
    const body = `{"output":[{"type":"message","content":[{"type":"output_text","text":"a"}]}],"status":"completed","usage":${usage}}`;
    assert.deepEqual(pick(measureCompletion(openaiResponses, 0, OUTCOME, body)), [50, 48, null]);
  });

  it('anthropic-messages: input + cache read + cache write is the prompt; message_delta\'s cumulative usage wins where it repeats them', () => {
    const start = (usage: string) => `{"type":"message_start","message":{"id":"m","content":[],"usage":${usage}}}`;
    const text = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}';
    const end = (usage: string) => [`{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":${usage}}`, '{"type":"message_stop"}'];
    const cached = '{"input_tokens":10,"cache_read_input_tokens":100,"cache_creation_input_tokens":20,"output_tokens":1}';
    assert.deepEqual(pick(streamed(anthropicMessages, [start(cached), text, ...end('{"output_tokens":1}')])), [130, 100, 20]);
    assert.deepEqual(pick(streamed(anthropicMessages, [start('{"input_tokens":10,"output_tokens":1}'), text, ...end(cached)])), [130, 100, 20]);
    assert.deepEqual(pick(streamed(anthropicMessages, [start('{"input_tokens":10,"output_tokens":1}'), text, ...end('{"output_tokens":1}')])), [10, null, null]);
    const body = `{"type":"message","content":[{"type":"text","text":"a"}],"stop_reason":"end_turn","usage":${cached}}`;
    assert.deepEqual(pick(measureCompletion(anthropicMessages, 0, OUTCOME, body)), [130, 100, 20]);
  });

  it('a hit is cached tokens > 0; a reported 0 is a miss; no figure is neither', () => {
    assert.equal(cacheTag({ cachedPromptTokens: 16 }), 'hit');
    assert.equal(cacheTag({ cachedPromptTokens: 0 }), 'miss');
    assert.equal(cacheTag({ cachedPromptTokens: null }), null);
  });
});
