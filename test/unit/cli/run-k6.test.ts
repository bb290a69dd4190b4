// The CLI's check before it starts anything: the values, and the knobs that
// apply to the workload being run, as k6 will check them at init.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../../src/errors.ts';
import { validateRun } from '../../../tools/cli/run-k6.ts';

function rootWith(workloads: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'k6-llm-cli-'));
  mkdirSync(join(root, 'dist'));
  for (const w of workloads) writeFileSync(join(root, 'dist', `${w}.js`), '');
  return root;
}

test('a knob that does not apply to the workload is refused before k6 starts, in one line', () => {
  const root = rootWith(['chat', 'ramp']);
  const run = (workload: string, variables: Record<string, string>) => () => validateRun({ root, workload, variables, outDir: join(root, 'out'), env: {} });
  assert.throws(run('chat', { LLM_LEVELS: '1,2,4' }), (err: unknown) => err instanceof ConfigError && err.message === 'invalid LLM_LEVELS for workload chat; it applies to ramp only, got "1,2,4"');
  assert.throws(run('ramp', { LLM_VUS: '4' }), /^ConfigError: invalid LLM_VUS for workload ramp; it applies to chat, realtime, batch, mixed and availability only, got "4"$/);
  assert.doesNotThrow(run('ramp', { LLM_LEVELS: '1,2,4', LLM_THRESHOLDS: 'none' }));
  assert.doesNotThrow(run('chat', { LLM_VUS: '4', LLM_THRESHOLDS: 'none' }));
});

test('a misspelt workload gets a did-you-mean', () => {
  const root = rootWith(['chat', 'batch', 'ramp']);
  assert.throws(
    () => validateRun({ root, workload: 'chta', variables: {}, outDir: join(root, 'out'), env: {} }),
    (err: unknown) => err instanceof Error && err.message === 'invalid workload "chta"; did you mean chat? expected one of batch, chat, ramp',
  );
});
