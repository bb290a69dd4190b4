// The configuration reference (docs/configuration.md): its tables are what
// tools/docs/config-reference.ts makes of KNOBS now, every knob is in them
// with its flag, and the defaults a knob states per workload (defaultText)
// are the workloads' own defaults.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { KNOBS } from '../../../src/config/config.ts';
import { describe as describeDistribution } from '../../../src/distribution.ts';
import { formatDuration } from '../../../src/duration.ts';
import { AVAILABILITY_DEFAULTS } from '../../../src/workloads/availability.ts';
import { BATCH_DEFAULTS, EMBEDDINGS_DEFAULTS } from '../../../src/workloads/batch.ts';
import { CHAT_DEFAULTS, CHAT_OPEN_DEFAULTS } from '../../../src/workloads/chat.ts';
import { COLDSTART_DEFAULTS } from '../../../src/workloads/coldstart.ts';
import { REALTIME_DEFAULTS } from '../../../src/workloads/realtime.ts';
import type { Distribution } from '../../../src/distribution.ts';
import { BEGIN_MARK, CONFIG_MD, END_MARK, knobTables, withTables } from '../../../tools/docs/config-reference.ts';
import { FLAG_TO_VARIABLE } from '../../../tools/cli/args.ts';
import { staleness } from './pages.ts';

const page = readFileSync(CONFIG_MD, 'utf8');

describe('docs/configuration.md', () => {
  it('has the tables npm run docs:config makes of KNOBS now', () => {
    const stale = staleness(page, withTables(page));
    assert.equal(stale, null, `docs/configuration.md is stale: run npm run docs:config and commit it (${stale})`);
  });

  it('lists every knob once, with its CLI flag', () => {
    const rows = [...knobTables().matchAll(/^\| `(LLM_[A-Z_]+)` \| (`--[a-z-]+`|–) \|/gm)];
    assert.deepEqual(rows.map((m) => m[1]).sort(), Object.keys(KNOBS).sort());
    const flagOf = new Map(Object.entries(FLAG_TO_VARIABLE).map(([f, v]) => [v, `\`${f}\``]));
    for (const m of rows) assert.equal(m[2], flagOf.get(m[1] as string) ?? '–', m[1]);
  });

  it('refuses a page without its markers', () => {
    assert.throws(() => withTables('# Configuration\n'), /expected the lines .* around the tables, got no first marker/);
    assert.equal(withTables(`a\n${BEGIN_MARK}\nold\n${END_MARK}\nb\n`, 'T\n'), `a\n${BEGIN_MARK}\n\nT\n${END_MARK}\nb\n`);
  });
});

describe('defaults stated per workload are the workloads\' own', () => {
  const text = (env: string): string => KNOBS[env]?.defaultText ?? '';
  const code = (v: string | number): string => `\`${v}\``;
  const ms = (d: Distribution): string => (d.kind === 'fixed' ? formatDuration(d.value) : d.kind === 'uniform' ? `uniform:${formatDuration(d.min)}:${formatDuration(d.max)}` : describeDistribution(d));

  it('LLM_VUS', () => {
    const t = text('LLM_VUS');
    for (const part of [`chat ${code(CHAT_DEFAULTS.vus)} (closed pool) or ${code(CHAT_OPEN_DEFAULTS.vus)} (open)`, `realtime ${code(REALTIME_DEFAULTS.vus)}`, `batch ${code(BATCH_DEFAULTS.vus)}`, `availability ${code(AVAILABILITY_DEFAULTS.vus)}`]) assert.ok(t.includes(part), `${part} in ${t}`);
  });

  it('LLM_MAX_TOKENS', () => {
    assert.equal(CHAT_DEFAULTS.maxTokens, COLDSTART_DEFAULTS.maxTokens);
    assert.equal(CHAT_DEFAULTS.maxTokens, AVAILABILITY_DEFAULTS.maxTokens);
    assert.equal(text('LLM_MAX_TOKENS'), `per workload: chat, coldstart, availability ${code(CHAT_DEFAULTS.maxTokens)}, realtime ${code(REALTIME_DEFAULTS.maxTokens)}, batch ${code(BATCH_DEFAULTS.maxTokens)}`);
  });

  it('LLM_RATE', () => {
    assert.equal(BATCH_DEFAULTS.rate, 0);
    assert.equal(text('LLM_RATE'), `per workload: realtime ${code(REALTIME_DEFAULTS.rate)}, chat open ${code(CHAT_DEFAULTS.rate)} (conversations/s), availability ${code(AVAILABILITY_DEFAULTS.rate)}, batch none`);
  });

  it('LLM_ARRIVAL', () => {
    assert.equal(REALTIME_DEFAULTS.arrival, 'poisson');
    assert.equal(CHAT_DEFAULTS.arrival, 'poisson');
    assert.match(text('LLM_ARRIVAL'), /^realtime and open chat `poisson`/);
  });

  it('LLM_PROMPT_TOKENS', () => {
    const t = text('LLM_PROMPT_TOKENS');
    assert.ok(t.includes(`realtime ${code(describeDistribution(REALTIME_DEFAULTS.promptTokens as Distribution))}`), t);
    assert.ok(t.includes(`batch ${code(describeDistribution(BATCH_DEFAULTS.promptTokens as Distribution))}`), t);
    assert.ok(t.includes(`(embeddings: ${code(describeDistribution(EMBEDDINGS_DEFAULTS.promptTokens as Distribution))} per input)`), t);
    for (const demo of [CHAT_DEFAULTS, COLDSTART_DEFAULTS, AVAILABILITY_DEFAULTS]) assert.equal(demo.promptTokens, null);
    assert.ok(t.endsWith('chat, coldstart, availability: demo prompts'), t);
  });

  it('LLM_TURNS and LLM_THINK_TIME', () => {
    assert.equal(text('LLM_TURNS'), code(describeDistribution(CHAT_DEFAULTS.turns)));
    assert.equal(text('LLM_THINK_TIME'), `chat closed pool ${code(ms(CHAT_DEFAULTS.thinkTime))}, open ${code(ms(CHAT_OPEN_DEFAULTS.thinkTime))}`);
  });
});
