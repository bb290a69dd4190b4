// Every workload honours the prompt and length knobs, proven from what the
// endpoint received (a request log in front of the mock): LLM_PROMPT_TOKENS,
// LLM_SHARED_PREFIX, LLM_IGNORE_EOS, LLM_IMAGES and LLM_DATASET, which coldstart,
// availability and the chat-shaped ramp once accepted and ignored. And a knob
// that does not apply to the workload stops the run before any request, in
// one line saying where it applies. Two short k6 runs per workload (the
// synthetic knobs together, then the dataset), run once and shared by the
// per-knob tests.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MockServer } from '../../tools/mock-server/server.ts';
import { generationRequests, startCapture } from './capture.ts';
import { imageInfo } from '../../src/images/image-info.ts';
import { SyntheticImages } from '../../src/images/synthetic-image.ts';
import { ROOT, runWorkload, startMock, type K6Result } from './harness.ts';

type Body = ReturnType<typeof generationRequests>[number];

/** Short runs of each workload (seconds each), judged by nothing, so the exit code is k6's. */
const RUNS: Record<string, Record<string, string>> = {
  chat: { LLM_VUS: '2', LLM_DURATION: '3s', LLM_TURNS: '2' },
  realtime: { LLM_RATE: '5', LLM_DURATION: '3s' },
  batch: { LLM_BATCH_SIZE: '4', LLM_VUS: '2', LLM_DURATION: '10s' },
  mixed: { LLM_MIX: 'chat=1,realtime=3,batch=1', LLM_BATCH_SIZE: '2', LLM_DURATION: '4s', LLM_TURNS: '2', LLM_THINK_TIME: '0s' },
  coldstart: { LLM_IDLE: '0s', LLM_PROBES: '2', LLM_WARM_REQUESTS: '1' },
  availability: { LLM_RATE: '4', LLM_DURATION: '3s' },
  ramp: { LLM_LEVELS: '2', LLM_LEVEL_DURATION: '2s', LLM_WARMUP: '500ms' },
};
/** Bytes of a 32 × 32 synthetic PNG (every one is this long). */
const SIZE_32 = new SyntheticImages(1).image(32, 32, 0).bytes;
// Seeds of synthetic prompts are per workload: mixed sends three workloads' prompts.
const WORKLOADS_IN: Record<string, number> = { mixed: 3 };

const SYNTHETIC = { LLM_PROMPT_TOKENS: '200', LLM_SHARED_PREFIX: '0.5', LLM_IGNORE_EOS: 'true', LLM_MAX_TOKENS: '12', LLM_IMAGES: '1', LLM_IMAGE_SIZE: '32' };
const DATASET_PATH = join(ROOT, 'test/fixtures/prompts.jsonl');
/** The user turns of the dataset: every request's last user message must be one of them. */
const DATASET_USER_TEXTS = new Set(
  readFileSync(DATASET_PATH, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const item = JSON.parse(l) as { prompt?: string; messages?: { role: string; content: string }[] };
      return item.prompt ?? (item.messages?.[item.messages.length - 1]?.content as string);
    }),
);

type Part = { type: string; text?: string; image_url?: { url: string } };
const lastUserTurn = (b: Body): string | Part[] => ([...b.messages].reverse().find((m) => m.role === 'user')?.content ?? '') as string | Part[];
/** The last user turn's text (its text parts when it carries images). */
const lastUser = (b: Body): string => {
  const content = lastUserTurn(b);
  return typeof content === 'string' ? content : content.filter((p) => p.type === 'text').map((p) => p.text).join('\n');
};
const words = (text: string): string[] => text.split(' ').filter((w) => w !== '');

describe('every workload honours the prompt and length knobs (from the request log)', () => {
  let mock: { server: MockServer; url: string };
  const runs = new Map<string, Promise<{ res: K6Result; bodies: Body[] }>>();

  /** The run of `workload` with `knobs`, started once and shared by the tests that read it. */
  const run = (workload: string, group: string, knobs: Record<string, string>) => {
    const key = `${workload} ${group}`;
    let p = runs.get(key);
    if (!p) {
      p = (async () => {
        const capture = await startCapture(mock.url);
        try {
          const res = await runWorkload(workload, { LLM_BASE_URL: capture.url, LLM_THRESHOLDS: 'none', ...RUNS[workload], ...knobs });
          return { res, bodies: generationRequests(capture.requests) };
        } finally {
          await capture.close();
        }
      })();
      runs.set(key, p);
    }
    return p;
  };
  const synthetic = (w: string) => run(w, 'synthetic', SYNTHETIC);
  const dataset = (w: string) => run(w, 'dataset', { LLM_DATASET: DATASET_PATH, LLM_MAX_TOKENS: '12' });

  before(async () => {
    mock = await startMock(['--ttft-ms', '10', '--itl-ms', '2', '--output-tokens', '8']);
  });
  after(async () => mock.server.close());

  for (const workload of Object.keys(RUNS)) {
    test(`${workload}: LLM_PROMPT_TOKENS=200 makes every prompt 200 words`, async () => {
      const { res, bodies } = await synthetic(workload);
      assert.equal(res.code, 0, res.stderr);
      assert.ok(bodies.length >= 2, `${bodies.length} requests`);
      for (const b of bodies) assert.equal(words(lastUser(b)).length, 200, lastUser(b).slice(0, 80));
    });

    test(`${workload}: LLM_SHARED_PREFIX=0.5 gives every prompt the same first 100 words`, async () => {
      const { bodies } = await synthetic(workload);
      const prefixes = new Set(bodies.map((b) => words(lastUser(b)).slice(0, 100).join(' ')));
      const whole = new Set(bodies.map((b) => lastUser(b)));
      assert.ok(prefixes.size <= (WORKLOADS_IN[workload] ?? 1), `${prefixes.size} distinct prefixes in ${bodies.length} requests`);
      assert.ok(whole.size >= 2, 'the rest of each prompt is its own');
    });

    test(`${workload}: LLM_IGNORE_EOS sends ignore_eos and min_tokens = max_tokens`, async () => {
      const { bodies } = await synthetic(workload);
      for (const b of bodies) {
        assert.equal(b.ignore_eos, true);
        assert.equal(b.max_tokens, 12);
        assert.equal(b.min_tokens, 12);
      }
    });

    test(`${workload}: LLM_IMAGES=1 puts one 32-pixel PNG after every user turn's text`, async () => {
      const { bodies } = await synthetic(workload);
      const seen = new Set<string>();
      for (const b of bodies) {
        const content = lastUserTurn(b);
        assert.ok(Array.isArray(content), 'parts');
        assert.deepEqual(content.map((p) => p.type), ['text', 'image_url']);
        const url = content[1]?.image_url?.url ?? '';
        assert.deepEqual(imageInfo(url), { bytes: SIZE_32, pixels: 32 * 32 });
        seen.add(url);
      }
      assert.ok(seen.size >= Math.min(2, bodies.length), 'each request its own image');
    });

    test(`${workload}: LLM_DATASET feeds every prompt`, async () => {
      const { res, bodies } = await dataset(workload);
      assert.equal(res.code, 0, res.stderr);
      assert.ok(bodies.length >= 2, `${bodies.length} requests`);
      for (const b of bodies) assert.ok(DATASET_USER_TEXTS.has(lastUser(b)), `not a dataset prompt: ${lastUser(b).slice(0, 80)}`);
      // Without LLM_IGNORE_EOS no length control is sent.
      for (const b of bodies) assert.equal(b.ignore_eos, undefined);
    });
  }
});

describe('a knob that does not apply to the workload stops the run before any request', () => {
  let mock: { server: MockServer; url: string };
  before(async () => {
    mock = await startMock(['--ttft-ms', '10', '--itl-ms', '2', '--output-tokens', '8']);
  });
  after(async () => mock.server.close());

  const cases: Array<[string, Record<string, string>, string]> = [
    ['chat', { LLM_LEVELS: '1,2,4' }, 'invalid LLM_LEVELS for workload chat; it applies to ramp only, got "1,2,4"'],
    ['realtime', { LLM_WINDOW: '5s' }, 'invalid LLM_WINDOW for workload realtime; it applies to availability only, got "5s"'],
    ['batch', { LLM_TRACE: join(ROOT, 'test/fixtures/trace.jsonl') }, 'invalid LLM_TRACE for workload batch; it applies to chat and realtime only'],
    ['mixed', { LLM_RATE: '2' }, 'invalid LLM_RATE for workload mixed; it applies to chat, realtime, batch and availability only, got "2"'],
    ['coldstart', { LLM_DURATION: '1m' }, 'invalid LLM_DURATION for workload coldstart; it applies to chat, realtime, batch, mixed and availability only, got "1m"'],
    ['availability', { LLM_ARRIVAL: 'poisson' }, 'invalid LLM_ARRIVAL for workload availability; it applies to chat, realtime, mixed and batch only, got "poisson"'],
    ['ramp', { LLM_VUS: '4' }, 'invalid LLM_VUS for workload ramp; it applies to chat, realtime, batch, mixed and availability only, got "4"'],
    ['chat', { LLM_SHARED_PREFIX: '0.5' }, 'invalid LLM_SHARED_PREFIX for workload chat; it applies to synthetic prompts only (set LLM_PROMPT_TOKENS: chat sends the demo prompts by default)'],
  ];
  for (const [workload, knobs, message] of cases) {
    test(`${workload} ${JSON.stringify(knobs).slice(0, 60)}`, async () => {
      const capture = await startCapture(mock.url);
      try {
        const res = await runWorkload(workload, { LLM_BASE_URL: capture.url, ...knobs });
        assert.equal(res.code, 107, res.stderr);
        // k6 logs the message quoted (its own quotes escaped).
        const lines = (res.stderr + res.stdout).replace(/\\"/g, '"').split('\n').filter((l) => l.includes('k6-llm: invalid'));
        assert.equal(lines.length, 1, res.stderr);
        assert.ok(lines[0]?.includes(`k6-llm: ${message}`), lines[0]);
        assert.equal(capture.requests.length, 0, 'no request reached the endpoint');
      } finally {
        await capture.close();
      }
    });
  }
});
