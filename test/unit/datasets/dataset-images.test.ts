// Images named in dataset lines: an "images" list (files, data URIs, URLs)
// after the last user turn's text, or OpenAI-shaped image_url parts in a
// user turn; files read once, relative to the dataset's folder, typed by
// their first bytes; and the refusals, each in one line naming the file and
// the line or entry.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageMediaType, parseDataset, refuseDatasetImages, resolveImageFiles } from '../../../src/datasets/prompt-dataset.ts';

const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const URI = 'data:image/png;base64,iVBORw0KGgo=';

describe('dataset images', () => {
  const text = [
    '{"prompt": "What is this?", "images": ["cat.png", "https://example.com/dog.jpg"]}',
    `{"messages": [{"role": "user", "content": [{"type": "text", "text": "Compare"}, {"type": "image_url", "image_url": {"url": "${URI}"}}, {"type": "image_url", "image_url": "/abs/b.png"}]}]}`,
    '{"prompt": "again", "images": ["cat.png"]}',
  ].join('\n');

  it('reads an images list after the text, and OpenAI image_url parts in place', () => {
    const items = parseDataset(text, 'data/set.jsonl');
    assert.deepEqual(items[0]?.messages, [
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', url: 'cat.png' }, { type: 'image', url: 'https://example.com/dog.jpg' }] },
    ]);
    assert.deepEqual(items[1]?.messages, [{ role: 'user', content: [{ type: 'text', text: 'Compare' }, { type: 'image', url: URI }, { type: 'image', url: '/abs/b.png' }] }]);
  });

  it('reads each file once, relative to the dataset\'s folder, into a data URI typed by its bytes', () => {
    const reads: string[] = [];
    const items = resolveImageFiles(parseDataset(text, 'data/set.jsonl'), 'data/set.jsonl', (path) => {
      reads.push(path);
      return PNG_BYTES;
    }, (bytes) => Buffer.from(bytes).toString('base64'));
    assert.deepEqual(reads, ['data/cat.png', '/abs/b.png']);
    const uri = `data:image/png;base64,${Buffer.from(PNG_BYTES).toString('base64')}`;
    assert.deepEqual(items[0]?.messages[0]?.content, [{ type: 'text', text: 'What is this?' }, { type: 'image', url: uri }, { type: 'image', url: 'https://example.com/dog.jpg' }]);
    assert.deepEqual(items[2]?.messages[0]?.content, [{ type: 'text', text: 'again' }, { type: 'image', url: uri }]);
  });

  it('refuses a missing file, a file that is no image, a bad list, and images for a protocol without them', () => {
    const items = parseDataset(text, 'data/set.jsonl');
    const missing = () => resolveImageFiles(items, 'data/set.jsonl', (path) => { throw new Error(`open ${path}: no such file`); }, () => '');
    assert.throws(missing, /^ConfigError: invalid dataset data\/set\.jsonl at entry 1 \(blank lines not counted\); expected a readable image file \(a relative path counts from the dataset's folder\), got "data\/cat\.png \(open data\/cat\.png: no such file\)"$/);
    assert.throws(() => resolveImageFiles(items, 'data/set.jsonl', () => new Uint8Array([1, 2, 3]), () => ''), /expected a PNG, JPEG, GIF or WebP image file, got "data\/cat\.png"$/);
    assert.throws(() => parseDataset('{"prompt": "x", "images": "cat.png"}', 'd.jsonl'), /^ConfigError: invalid dataset d\.jsonl at line 1; expected "images": a list of image files or URLs, got "cat\.png"$/);
    assert.throws(() => parseDataset('{"prompt": "x", "images": ["data:text/plain;base64,AA=="]}', 'd.jsonl'), /expected "images"\[0\]: a base64 image data URI/);
    assert.equal(refuseDatasetImages(items, 'd.jsonl', 'anthropic-messages'), items);
    assert.throws(() => refuseDatasetImages(items, 'd.jsonl', 'tgi'), /^ConfigError: invalid dataset d\.jsonl for LLM_PROTOCOL=tgi; expected no images \(tgi takes none\), got images on entry 1/);
  });

  it('types files by their first bytes', () => {
    assert.equal(imageMediaType(PNG_BYTES), 'image/png');
    assert.equal(imageMediaType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
    assert.equal(imageMediaType(new TextEncoder().encode('GIF89a')), 'image/gif');
    assert.equal(imageMediaType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ')), 'image/webp');
    assert.equal(imageMediaType(new Uint8Array([0, 1])), null);
  });
});
