// LLM_IMAGES and LLM_IMAGE_SIZE as the config reads them (the distribution
// syntax of the other knobs; sides at most 8192; refusals in one line), and
// the prompt source's images: a count and sides per request from its own
// seeded stream, after the turn's text, the same for the same index (so the
// instances of a split test send the same files), on single turns, later
// chat turns and dataset lines alike; none for embedding inputs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../src/config/config.ts';
import { SyntheticImages } from '../../../src/images/synthetic-image.ts';
import { imageInfo } from '../../../src/images/image-info.ts';
import { parseDataset } from '../../../src/datasets/prompt-dataset.ts';
import { PromptSource, type ImageOptions } from '../../../src/workloads/prompts.ts';
import type { ContentPart, UserMessage } from '../../../src/protocols/protocol.ts';

describe('LLM_IMAGES and LLM_IMAGE_SIZE', () => {
  it('read counts and sides in the distribution syntax; default none, and 512 px', () => {
    const none = parseConfig({}).prompts;
    assert.deepEqual([none.images, none.imageSize], [null, { kind: 'fixed', value: 512 }]);
    const set = parseConfig({ LLM_IMAGES: 'list:0,1,2', LLM_IMAGE_SIZE: 'uniform:256:1024' }).prompts;
    assert.deepEqual([set.images, set.imageSize], [{ kind: 'list', values: [0, 1, 2] }, { kind: 'uniform', min: 256, max: 1024 }]);
  });
  const refused: Array<[Record<string, string>, RegExp]> = [
    [{ LLM_IMAGES: '-1' }, /^ConfigError: invalid LLM_IMAGES; expected a whole number \(fixed\), uniform:MIN:MAX, normal:MEAN:SD\[:MIN:MAX\], exp:MEAN or list:A,B,C, got "-1"$/],
    [{ LLM_IMAGES: '1', LLM_IMAGE_SIZE: '0' }, /^ConfigError: invalid LLM_IMAGE_SIZE; expected a whole number of pixels \(fixed\).*values >= 1, got "0"$/],
    [{ LLM_IMAGES: '1', LLM_IMAGE_SIZE: 'list:512,9000' }, /^ConfigError: invalid LLM_IMAGE_SIZE; expected image sides of at most 8192 pixels, got "list:512,9000"$/],
  ];
  for (const [env, error] of refused) it(`refuses ${JSON.stringify(env)} in one line`, () => assert.throws(() => parseConfig(env), error));
});

const made: Array<[number, number, number]> = [];
const maker = new SyntheticImages(3);
const IMAGES: ImageOptions = {
  perRequest: { kind: 'list', values: [0, 1, 2] },
  side: { kind: 'list', values: [16, 32] },
  make: (width, height, key) => {
    made.push([width, height, key]);
    return maker.image(width, height, key);
  },
};
const source = (images: ImageOptions | null, dataset = null as ReturnType<typeof parseDataset> | null) =>
  new PromptSource({ prompt: 'Describe it.', promptTokens: null, sharedPrefix: 0, seed: 1, dataset, tools: null, images });

const imageParts = (content: UserMessage['content']): ContentPart[] => (typeof content === 'string' ? [] : content.filter((p) => p.type === 'image'));

describe('the prompt source\'s images', () => {
  it('draws each request\'s count and sides from its own stream, after the text, the same every time', () => {
    const s = source(IMAGES);
    const counts = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const turn = s.messages(i)[1] as UserMessage;
      const images = imageParts(turn.content);
      counts.add(images.length);
      if (images.length === 0) {
        assert.equal(turn.content, 'Describe it.', 'no images: plain text');
        continue;
      }
      assert.deepEqual((turn.content as ContentPart[])[0], { type: 'text', text: 'Describe it.' });
      for (const p of images) assert.ok([256, 1024].includes(imageInfo((p as { url: string }).url).pixels as number));
      assert.deepEqual(s.messages(i), source(IMAGES).messages(i), 'another VU or instance sends the same request');
    }
    assert.deepEqual([...counts].sort(), [0, 1, 2], 'every count of the list drawn');
    assert.ok(made.every(([w, h]) => w === h), 'square');
    assert.equal(new Set(made.map(([, , key]) => key)).size > 20, true, 'a key per image');
  });

  it('puts them on later chat turns and dataset lines too; embedding inputs stay text', () => {
    const s = source(IMAGES);
    const withImages = [...Array(10).keys()].find((i) => s.images(i).length > 0) as number;
    assert.deepEqual(imageParts(s.userTurn(withImages).content), s.images(withImages));
    const dataset = parseDataset('{"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}], "images": ["data:image/png;base64,iVBORw0KGgo="]}\n', 'd.jsonl');
    const fromDataset = source(IMAGES, dataset).messages(withImages);
    assert.equal(fromDataset[0]?.role, 'system');
    const parts = (fromDataset[1] as UserMessage).content as ContentPart[];
    assert.deepEqual(parts.slice(0, 2), [{ type: 'text', text: 'u' }, { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' }], "the line's own image first");
    assert.deepEqual(parts.slice(2), s.images(withImages));
    assert.deepEqual(source(IMAGES).embeddingInputs(withImages, 2), ['Describe it.', 'Describe it.']);
    assert.equal(source(null).messages(withImages)[1]?.content, 'Describe it.', 'no images asked for: none');
  });
});
