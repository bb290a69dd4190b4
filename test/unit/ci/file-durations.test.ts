// test/file-durations.mjs sums each file's top-level test durations, so
// run-all.mjs can say where a run's time went; nested tests are inside their
// parent's time and not counted twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs reporter, loaded by node --test, without types
import fileDurations from '../../file-durations.mjs';

async function render(events: unknown[]): Promise<string> {
  async function* source() { yield* events; }
  let out = '';
  for await (const chunk of fileDurations(source())) out += chunk;
  return out;
}

const event = (type: string, file: string | undefined, nesting: number, ms: number) => ({ type, data: { name: 't', file, nesting, details: { duration_ms: ms } } });

test('one line per file: the summed time of its top-level tests, failed ones included', async () => {
  const out = await render([
    event('test:pass', '/r/test/k6/chat.test.ts', 1, 900.2),
    event('test:pass', '/r/test/k6/chat.test.ts', 0, 1000.4),
    event('test:fail', '/r/test/k6/chat.test.ts', 0, 250.3),
    event('test:pass', '/r/test/k6/ramp.test.ts', 0, 30_000),
    event('test:diagnostic', '/r/test/k6/ramp.test.ts', 0, 5),
    event('test:pass', undefined, 0, 7),
  ]);
  assert.equal(out, '1251\t/r/test/k6/chat.test.ts\n30000\t/r/test/k6/ramp.test.ts\n');
});
