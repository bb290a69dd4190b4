// The CLI validates datasets and traces like every other setting: a missing
// or malformed file exits 2 before anything starts, with one plain line
// naming the file (and the line), and leaves no result folder behind.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { k6, ROOT } from './harness.ts';

const CLI = join(ROOT, 'dist', 'tools', 'cli.mjs');

/** Runs the CLI in a fresh folder (its ./results would land there). */
function cli(args: string[]): { code: number | null; stderr: string; stdout: string; cwd: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'k6-llm-cli-'));
  const res = spawnSync(process.execPath, [CLI, 'run', 'chat', '--url', 'http://127.0.0.1:9/v1', ...args], { cwd, encoding: 'utf8', env: { ...process.env, K6_BINARY: k6() }, timeout: 60_000 });
  return { code: res.status, stderr: res.stderr, stdout: res.stdout, cwd };
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  return lines[0] as string;
}

describe('datasets and traces are validated by the CLI', () => {
  test('a missing dataset: exit 2, one line with the path and the folder it was looked for in, no results folder', () => {
    const res = cli(['--dataset', 'nope.jsonl']);
    assert.equal(res.code, 2, res.stderr);
    assert.equal(oneLine(res.stderr), `k6-llm: invalid LLM_DATASET (--dataset); expected a readable JSONL file, got "nope.jsonl" (no such file, from ${res.cwd})`);
    assert.equal(existsSync(join(res.cwd, 'results')), false);
  });

  test('a malformed dataset: exit 2, one line with the file and line number, none of k6\'s log format', () => {
    const res = cli(['--dataset', join(ROOT, 'test', 'fixtures', 'prompts-malformed.jsonl')]);
    assert.equal(res.code, 2, res.stderr);
    const line = oneLine(res.stderr);
    assert.match(line, /^k6-llm: invalid dataset .*prompts-malformed\.jsonl at line 2; expected one JSON object per line/);
    assert.doesNotMatch(line, /level=|hint=|\\n/);
    assert.equal(existsSync(join(res.cwd, 'results')), false);
  });

  test('a malformed trace: exit 2, one line with the file and line number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-trace-'));
    const path = join(dir, 'trace.jsonl');
    writeFileSync(path, '{"timestamp": 0, "prompt_tokens": 10, "output_tokens": 5}\n\n{"timestamp": 1, "prompt_tokens": 0, "output_tokens": 5}\n');
    const res = cli(['--trace', path]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(oneLine(res.stderr), /^k6-llm: invalid .*trace\.jsonl at line 3; expected "prompt_tokens": a whole number >= 1, got 0$/);
    assert.equal(existsSync(join(res.cwd, 'results')), false);
  });
});
