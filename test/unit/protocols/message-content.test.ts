// Messages beyond plain text, per protocol: image parts and tool turns in
// each adapter's wire form (OpenAI chat image_url parts, tool_calls and role
// tool; Anthropic image blocks, tool_use and tool_result; Responses
// input_image, function_call and function_call_output), the shapes every
// request's messages are checked against, and what they need of a protocol.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicMessages } from '../../../src/protocols/anthropic-messages.ts';
import { checkMessages, contentText, dataUri, imagesOf, isImageUrl, messageNeeds } from '../../../src/protocols/message-content.ts';
import { openaiChat } from '../../../src/protocols/openai-chat.ts';
import { openaiCompletions } from '../../../src/protocols/openai-completions.ts';
import { openaiResponses } from '../../../src/protocols/openai-responses.ts';
import { PROTOCOLS } from '../../../src/protocols/index.ts';
import type { ChatMessage, GenerationRequest } from '../../../src/protocols/protocol.ts';
import { trustedImage } from '../../../src/protocols/json-body.ts';
import { SyntheticImages } from '../../../src/images/synthetic-image.ts';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const URL = 'https://example.com/cat.jpg';

/** An agent's conversation: a question with two images, a turn that called two tools, both results, then a follow-up. */
const AGENT: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [{ type: 'text', text: 'What is in these?' }, { type: 'image', url: PNG }, { type: 'image', url: URL }] },
  {
    role: 'assistant',
    content: '',
    toolCalls: [
      { id: 'call_1', name: 'lookup', arguments: '{"q":"cat"}' },
      { id: 'call_2', name: 'lookup', arguments: '' },
    ],
  },
  { role: 'tool', toolCallId: 'call_1', content: '{"found":true}' },
  { role: 'tool', toolCallId: 'call_2', content: 'nothing' },
  { role: 'assistant', content: 'A cat.', toolCalls: [{ id: 'call_3', name: 'lookup', arguments: '{}' }] },
  { role: 'tool', toolCallId: 'call_3', content: 'ok' },
  { role: 'user', content: 'Thanks' },
];

function body(adapter: typeof openaiChat, messages: ChatMessage[]): Record<string, unknown> {
  const request: GenerationRequest = { model: 'm', messages, maxTokens: 8, stream: true };
  return JSON.parse(adapter.buildBody(request)) as Record<string, unknown>;
}

describe('wire forms of images and tool turns', () => {
  it('openai-chat: image_url parts, tool_calls with content null, role tool with tool_call_id', () => {
    assert.deepEqual(body(openaiChat, AGENT).messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is in these?' }, { type: 'image_url', image_url: { url: PNG } }, { type: 'image_url', image_url: { url: URL } }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } },
          { id: 'call_2', type: 'function', function: { name: 'lookup', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"found":true}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'nothing' },
      { role: 'assistant', content: 'A cat.', tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_3', content: 'ok' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('anthropic-messages: base64 and url image sources, tool_use blocks after the text, results joined in one user turn', () => {
    const b = body(anthropicMessages, AGENT);
    assert.equal(b.system, 'Be brief.');
    assert.deepEqual(b.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: URL } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'cat' } },
          { type: 'tool_use', id: 'call_2', name: 'lookup', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '{"found":true}' },
          { type: 'tool_result', tool_use_id: 'call_2', content: 'nothing' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }, { type: 'tool_use', id: 'call_3', name: 'lookup', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_3', content: 'ok' }] },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('anthropic-messages: arguments that are not a JSON object cannot be a tool_use input, in one line', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'x' }, { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'f', arguments: '[1,' }] }, { role: 'tool', toolCallId: 'c', content: 'r' }];
    assert.throws(() => body(anthropicMessages, messages), /^ConfigError: invalid toolCalls arguments of f for anthropic-messages; expected a JSON object \(a tool_use block's input\), got "\[1,"$/);
  });

  it('openai-responses: input_text and input_image parts, function_call items after the text, function_call_output', () => {
    assert.deepEqual(body(openaiResponses, AGENT).input, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'input_text', text: 'What is in these?' }, { type: 'input_image', image_url: PNG }, { type: 'input_image', image_url: URL }] },
      { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"q":"cat"}' },
      { type: 'function_call', call_id: 'call_2', name: 'lookup', arguments: '' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"found":true}' },
      { type: 'function_call_output', call_id: 'call_2', output: 'nothing' },
      { role: 'assistant', content: 'A cat.' },
      { type: 'function_call', call_id: 'call_3', name: 'lookup', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_3', output: 'ok' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('plain messages keep their wire form in every protocol', () => {
    const plain: ChatMessage[] = [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'v' }];
    assert.deepEqual(body(openaiChat, plain).messages, plain);
    assert.deepEqual(body(anthropicMessages, plain).messages, plain.slice(1));
    assert.deepEqual(body(openaiResponses, plain).input, plain);
  });

  it('text-in protocols read a text-only parts list as its text; only the message protocols take images and tool turns', () => {
    const parts: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }];
    assert.equal((JSON.parse(openaiCompletions.buildBody({ model: 'm', messages: parts, maxTokens: 1, stream: false })) as { prompt: string }).prompt, 'a\nb');
    const take = Object.values(PROTOCOLS).filter((a) => a.supportsImages).map((a) => a.name).sort();
    assert.deepEqual(take, ['anthropic-messages', 'openai-chat', 'openai-responses']);
    assert.deepEqual(Object.values(PROTOCOLS).filter((a) => a.supportsTools).map((a) => a.name).sort(), take);
  });
});

describe('checkMessages', () => {
  it('passes every shape the types allow', () => assert.doesNotThrow(() => checkMessages(AGENT)));
  const cases: Array<[string, unknown[], RegExp]> = [
    ['an unknown role', [{ role: 'bot', content: 'x' }], /^ConfigError: invalid messages\[0\]\.role; expected system, user, assistant or tool, got "bot"$/],
    ['a tool call without an id', [{ role: 'assistant', content: '', toolCalls: [{ id: null, name: 'f', arguments: '{}' }] }], /^ConfigError: invalid messages\[0\]\.toolCalls\[0\]\.id; expected the call's id \(a string\), which the tool's result names, got null$/],
    ['a tool result without the call it answers', [{ role: 'tool', content: 'r' }], /^ConfigError: invalid messages\[0\]\.toolCallId; expected the id of the tool call this result answers, got nothing$/],
    ['an assistant turn with null content', [{ role: 'assistant', content: null }], /^ConfigError: invalid messages\[0\]\.content; expected a string/],
    ['an image that is a file path', [{ role: 'user', content: [{ type: 'image', url: 'cat.png' }] }], /^ConfigError: invalid messages\[0\]\.content\[0\]\.url; expected a base64 image data URI \(data:image\/png;base64,\.\.\.\) or an http\(s\) URL, got "cat\.png"$/],
    ['an OpenAI-shaped part', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: PNG } }] }], /^ConfigError: invalid messages\[0\]\.content\[0\]\.type; expected text or image, got "image_url"$/],
  ];
  for (const [name, messages, error] of cases) it(`refuses ${name}`, () => assert.throws(() => checkMessages(messages), error));
  it('cuts a long value in its message', () => {
    const long = `data:text/plain;base64,${'A'.repeat(100_000)}`;
    assert.throws(
      () => checkMessages([{ role: 'user', content: [{ type: 'image', url: long }] }]),
      (err: Error) => err.message.length < 300 && /\(100023 characters\)"$/.test(err.message),
    );
  });
});

describe('message helpers', () => {
  it('needs, text, images and data URIs', () => {
    assert.deepEqual(messageNeeds(AGENT), { images: 2, toolTurns: true });
    assert.deepEqual(messageNeeds([{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y', toolCalls: [] }]), { images: 0, toolTurns: false });
    assert.equal(contentText((AGENT[1] as { content: string }).content), 'What is in these?');
    assert.equal(imagesOf(AGENT[1] as ChatMessage).length, 2);
    assert.deepEqual(dataUri(PNG), { mediaType: 'image/png', data: 'iVBORw0KGgo=' });
    assert.equal(dataUri(URL), null);
    assert.equal(isImageUrl('data:text/plain;base64,AA=='), false);
    assert.equal(isImageUrl('http://x/a b'), false);
  });
});

describe('bodies with images k6-llm made', () => {
  it('splice a trusted image in as it is: the same JSON as JSON.stringify, in every protocol', () => {
    const url = new SyntheticImages(1).image(40, 30, 2).url;
    for (const adapter of [openaiChat, anthropicMessages, openaiResponses]) {
      const trusted: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'see "this" \\ ' }, trustedImage(url), trustedImage(url)] }];
      const plain: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'see "this" \\ ' }, { type: 'image', url }, { type: 'image', url }] }];
      const request = (messages: ChatMessage[]): GenerationRequest => ({ model: 'm', messages, maxTokens: 8, stream: true });
      assert.equal(adapter.buildBody(request(trusted)), adapter.buildBody(request(plain)), adapter.name);
    }
  });

  it('refuses a message text equal to its marker instead of sending a body that lies', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: '\u0000k6llm-raw\u0000' }, trustedImage(PNG)] }];
    assert.throws(() => openaiChat.buildBody({ model: 'm', messages, maxTokens: 1, stream: false }), /expected no text equal to k6-llm's internal marker/);
  });
});
