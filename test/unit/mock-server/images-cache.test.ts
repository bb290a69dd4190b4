// The mock's images and prefix cache on a fake clock, where every time is
// exact: a valid PNG (k6-llm's synthetic one) is accepted and counted as
// ⌈pixels / 784⌉ prompt tokens; broken ones (a bad CRC, cut short, not
// base64, an URL) are refused with vLLM's 400 body naming where; prefill
// grows with pixels (--image-ms-per-kpixel) and uncached tokens
// (--prefill-ms-per-token); the prefix cache is deterministic (a 4-turn chat
// hits on its history, 16-token blocks, at most prompt − 1 tokens) and
// reported in each protocol's usage; off, usage says nothing of it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticImages } from '../../../src/images/synthetic-image.ts';
import { syntheticPrompt } from '../../../src/workloads/synthetic-prompt.ts';
import { checkImageData, checkImageUrl, ImageError } from '../../../tools/mock-server/image-check.ts';
import { CACHE_BLOCK_TOKENS, PrefixCache, promptBlocks, type PromptPiece } from '../../../tools/mock-server/prompt-cache.ts';
import { fakeMock, writtenEvents, type RecordingResponse } from './fake-exchange.ts';

const CHAT = '/v1/chat/completions';
const images = new SyntheticImages(7);
const png = (side: number, key = 1): string => images.image(side, side, key).url;

/** A copy of a data URI's PNG with one byte changed at `offset` (of the file). */
function corrupt(url: string, offset: number): string {
  const file = Buffer.from(url.slice(22), 'base64');
  file[offset] = (file[offset] as number) ^ 0xff;
  return `data:image/png;base64,${file.toString('base64')}`;
}

/** When the first content chunk went out (clock ms), or null. */
function firstToken(res: RecordingResponse): number | null {
  return res.writes.find((w) => w.text.includes('"content":" tok'))?.at ?? null;
}

/** The usage chunk of a streamed chat answer. */
function usage(res: RecordingResponse): Record<string, unknown> {
  return writtenEvents(res.body).find((e) => e.data?.usage)!.data.usage;
}

const visionTurn = (text: string, urls: string[]) => ({ role: 'user', content: [{ type: 'text', text }, ...urls.map((url) => ({ type: 'image_url', image_url: { url } }))] });
const streamed = (messages: unknown[]) => ({ model: 'm', stream: true, stream_options: { include_usage: true }, messages });

describe('image check', () => {
  it('accepts a synthetic PNG, with its size and a key of its bytes', () => {
    const a = checkImageUrl(png(64));
    assert.deepEqual([a.width, a.height, a.pixels], [64, 64, 4096]);
    assert.equal(checkImageUrl(png(64)).key, a.key);
    assert.notEqual(checkImageUrl(png(64, 2)).key, a.key, 'another image, another key');
  });

  const refused: Array<[string, () => unknown, RegExp]> = [
    ['a chunk whose CRC fails', () => checkImageUrl(corrupt(png(32), 60)), /^broken PNG file: chunk IDAT at byte \d+ fails its CRC check$/],
    ['IHDR changed', () => checkImageUrl(corrupt(png(32), 18)), /^broken PNG file: chunk IHDR at byte 8 fails its CRC check$/],
    ['a file cut short', () => checkImageUrl(`data:image/png;base64,${Buffer.from(png(32).slice(22), 'base64').subarray(0, 200).toString('base64')}`), /^truncated PNG file/],
    ['data that is not base64', () => checkImageUrl('data:image/png;base64,iVBO*w0KGgo='), /^the image data is not valid base64$/],
    ['bytes of no image format', () => checkImageData('image/png', Buffer.from('GIF89a....').toString('base64')), /^cannot identify image file \(image\/png\): the mock reads PNG and JPEG$/],
    ['an image URL', () => checkImageUrl('https://example.com/cat.png'), /^the mock server fetches no image URLs/],
  ];
  for (const [name, check, message] of refused) {
    it(`refuses ${name}`, () => assert.throws(check, (err: unknown) => err instanceof ImageError && message.test(err.message)));
  }

  it('reads a JPEG\'s size from its start-of-frame and wants its end marker', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x30, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xd9]);
    assert.equal(checkImageData('image/jpeg', jpeg.toString('base64')).pixels, 48 * 32);
    assert.throws(() => checkImageData('image/jpeg', jpeg.subarray(0, -2).toString('base64')), /no end-of-image marker/);
  });
});

describe('images through the chat route', () => {
  it('counts each image as ceil(pixels / 784) prompt tokens and prefills it at --image-ms-per-kpixel', () => {
    const mock = fakeMock({ ttftMs: 20, itlMs: 1, outputTokens: 2, imageMsPerKpixel: 0.1, keepaliveEvery: 0 });
    // 'abcdefgh' is 2 tokens; a 100 × 100 image 13 tokens and 1 ms of prefill, a 300 × 300 one 115 tokens and 9 ms.
    const small = mock.post(CHAT, streamed([visionTurn('abcdefgh', [png(100)])]));
    const large = mock.post(CHAT, streamed([visionTurn('abcdefgh', [png(300), png(100, 3)])]));
    mock.clock.runAll();
    assert.equal(usage(small).prompt_tokens, 2 + 13);
    assert.equal(usage(large).prompt_tokens, 2 + 115 + 13);
    assert.equal(firstToken(small), 20 + 1);
    assert.equal(firstToken(large), 20 + 9 + 1);
    assert.equal(usage(small).prompt_tokens_details, undefined, 'no prefix cache, no cache figure');
    assert.deepEqual(mock.stats().images, { images: 3, pixels: 10_000 + 90_000 + 10_000, tokens: 13 + 115 + 13 });
    mock.close();
  });

  it('refuses a broken image before admission with vLLM\'s 400 body naming where it was', () => {
    const mock = fakeMock({ ttftMs: 20 });
    const res = mock.post(CHAT, streamed([{ role: 'system', content: 's' }, visionTurn('look', [png(16), corrupt(png(16), 60)])]));
    mock.clock.runAll();
    assert.equal(res.statusCode, 400);
    const body = JSON.parse(res.body) as { error: Record<string, unknown> };
    assert.deepEqual({ ...body.error, message: undefined }, { message: undefined, type: 'BadRequestError', param: null, code: 400 });
    assert.match(String(body.error.message), /^Failed to load image at messages\[1\]\.content\[2\]: broken PNG file: chunk IDAT at byte \d+ fails its CRC check$/);
    assert.equal(mock.stats().requests, 0, 'never admitted');
    mock.close();
  });

  it('reads Anthropic image blocks and Responses input_image parts; refuses in Anthropic\'s shape there', () => {
    const mock = fakeMock({ ttftMs: 5, outputTokens: 1 });
    const anthropic = (data: string) =>
      mock.post('/v1/messages', { model: 'm', max_tokens: 4, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data } }, { type: 'text', text: 'abcd' }] }] }, { 'anthropic-version': '2023-06-01' });
    const ok = anthropic(png(28).slice(22));
    const bad = anthropic(corrupt(png(28), 60).slice(22));
    const responses = mock.post('/v1/responses', { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text', text: 'abcd' }, { type: 'input_image', image_url: png(56) }] }] });
    mock.clock.runAll();
    assert.equal((JSON.parse(ok.body) as { usage: { input_tokens: number } }).usage.input_tokens, 1 + 1);
    assert.equal(bad.statusCode, 400);
    assert.match((JSON.parse(bad.body) as { error: { type: string; message: string } }).error.message, /^Failed to load image at messages\[0\]\.content\[0\]: broken PNG/);
    assert.equal((JSON.parse(responses.body) as { usage: { input_tokens: number } }).usage.input_tokens, 1 + 4);
    mock.close();
  });
});

describe('prefix cache', () => {
  const text = (t: string, role = 'user'): PromptPiece => ({ kind: 'text', role, text: t });

  it('keys full 16-token blocks by everything before them; a role change is a different prefix', () => {
    const a = promptBlocks([text('x'.repeat(4 * 40))], 784);
    assert.equal(a.tokens, 40);
    assert.equal(a.keys.length, 2);
    assert.deepEqual(promptBlocks([text('x'.repeat(4 * 33))], 784).keys, a.keys, 'the same first two blocks');
    assert.notDeepEqual(promptBlocks([text('x'.repeat(4 * 40), 'system')], 784).keys[0], a.keys[0]);
    assert.notDeepEqual(promptBlocks([text(`y${'x'.repeat(4 * 40 - 1)}`)], 784).keys[1], a.keys[1], 'a change in block 1 changes block 2 too');
  });

  it('finds the leading blocks, at most prompt − 1 tokens, stores the rest, evicts the least recently used', () => {
    const cache = new PrefixCache();
    const prompt = (tokens: number, seed = 'x') => promptBlocks([text(seed.repeat(4 * tokens))], 784);
    assert.deepEqual(cache.lookup(prompt(40), 40, 100), { cachedTokens: 0, writtenTokens: 32, uncachedPixels: 0 });
    assert.deepEqual(cache.lookup(prompt(50), 50, 100), { cachedTokens: 32, writtenTokens: 16, uncachedPixels: 0 });
    // The whole prompt cached: its last token is computed all the same, so the last block is not counted.
    assert.deepEqual(cache.lookup(prompt(48), 48, 100), { cachedTokens: 32, writtenTokens: 0, uncachedPixels: 0 });
    assert.deepEqual(cache.stats(), { lookups: 3, hits: 2, promptTokens: 138, cachedTokens: 64, writtenTokens: 48, blocks: 3, evictions: 0 });
    // Capacity 3: two new blocks push out the two least recently used.
    cache.lookup(prompt(32, 'z'), 32, 3);
    assert.equal(cache.stats().evictions, 2);
    assert.equal(cache.lookup(prompt(40), 40, 3).cachedTokens, 0, 'its first block was evicted');
    assert.deepEqual(cache.lookup(prompt(40), 40, 0), { cachedTokens: 0, writtenTokens: 0, uncachedPixels: 0 }, 'off: nothing');
    assert.equal(cache.stats().blocks, 0, 'turned off, it is emptied');
  });

  it('a 4-turn chat hits on its history: cached tokens in usage, TTFT less the cached share of prefill', () => {
    // Whole-millisecond prefills: the fake clock runs a timer due mid-millisecond at once and forever.
    const mock = fakeMock({ ttftMs: 10, itlMs: 1, outputTokens: 2, prefillMsPerToken: 1, prefixCacheBlocks: 1000, keepaliveEvery: 0 });
    const history: unknown[] = [{ role: 'system', content: 's'.repeat(200) }];
    const seen: Array<{ prompt: number; cached: number; ttft: number }> = [];
    for (let turn = 0; turn < 4; turn++) {
      history.push({ role: 'user', content: `question ${turn} `.repeat(10) });
      const start = mock.clock.now();
      const res = mock.post(CHAT, streamed(history));
      mock.clock.runAll();
      const u = usage(res) as { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } };
      seen.push({ prompt: u.prompt_tokens, cached: u.prompt_tokens_details.cached_tokens, ttft: (firstToken(res) as number) - start });
      history.push({ role: 'assistant', content: ' tok0 tok1' });
    }
    assert.equal(seen[0]!.cached, 0);
    for (let t = 1; t < 4; t++) {
      // Everything up to the last full block of the previous turn's prompt is found.
      assert.equal(seen[t]!.cached, Math.floor(seen[t - 1]!.prompt / CACHE_BLOCK_TOKENS) * CACHE_BLOCK_TOKENS, `turn ${t}`);
    }
    for (const s of seen) assert.equal(s.ttft, 10 + (s.prompt - s.cached) * 1);
    const stats = mock.stats().promptCache;
    assert.deepEqual([stats.lookups, stats.hits, stats.cachedTokens], [4, 3, seen.reduce((n, s) => n + s.cached, 0)]);
    mock.close();
  });

  it('synthetic prompts with LLM_SHARED_PREFIX hit on their shared part, and only there', () => {
    const mock = fakeMock({ ttftMs: 10, itlMs: 1, outputTokens: 1, prefixCacheBlocks: 1000, keepaliveEvery: 0 });
    const ask = (index: number, sharedPrefix: number) =>
      mock.post(CHAT, streamed([{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: syntheticPrompt(128, index, { seed: 1, sharedPrefix }) }]));
    const shared = [0, 1, 2].map((i) => ask(i, 0.5));
    const unique = [3, 4].map((i) => ask(i, 0));
    mock.clock.runAll();
    const cached = (res: RecordingResponse) => (usage(res) as { prompt_tokens_details: { cached_tokens: number } }).prompt_tokens_details.cached_tokens;
    // 7 tokens of system text, then 64 shared words (4 characters each): 71 tokens in common, 4 full blocks.
    assert.deepEqual(shared.map(cached), [0, 64, 64]);
    assert.deepEqual(unique.map(cached), [0, 0], 'the system text alone fills no block');
    mock.close();
  });

  it('each protocol reports it: Anthropic splits input, cache read and cache write; Responses input_tokens_details', () => {
    const mock = fakeMock({ ttftMs: 5, outputTokens: 1, prefixCacheBlocks: 100 });
    const system = 'a'.repeat(4 * 40);
    const ask = () => mock.post('/v1/messages', { model: 'm', max_tokens: 2, system, messages: [{ role: 'user', content: 'abcd' }] }, { 'anthropic-version': '2023-06-01' });
    const first = ask();
    const second = ask();
    mock.clock.runAll();
    // 40 + 1 tokens: two full blocks written first, then read (the last token is never cached, the third block never full).
    assert.deepEqual((JSON.parse(first.body) as { usage: unknown }).usage, { input_tokens: 9, cache_creation_input_tokens: 32, cache_read_input_tokens: 0, output_tokens: 1 });
    assert.deepEqual((JSON.parse(second.body) as { usage: unknown }).usage, { input_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 32, output_tokens: 1 });
    const input = [{ role: 'user', content: system }];
    const r1 = mock.post('/v1/responses', { model: 'm', input, instructions: 'x' });
    mock.clock.runAll();
    const r2 = mock.post('/v1/responses', { model: 'm', input, instructions: 'x' });
    mock.clock.runAll();
    const cached = (r: RecordingResponse) => (JSON.parse(r.body) as { usage: { input_tokens_details: { cached_tokens: number } } }).usage.input_tokens_details.cached_tokens;
    assert.deepEqual([cached(r1), cached(r2)], [0, 32]);
    mock.close();
  });
});
