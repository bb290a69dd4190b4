// Every shell and JSON snippet of the documentation, and every variable it
// names, checked against the code (tools/docs/snippet-checks.ts): k6-llm
// command lines through the CLI's own parsers and pre-run validation, npm
// scripts, k6 -e and export lines through the knobs, JSON through
// JSON.parse and, for SLO files, the threshold-file reader; LLM_* names in
// KNOBS, MOCK_* names in the mock's settings. A shell block with commands of
// other programs (kubectl, docker) is marked <!-- snippet: unchecked: why -->
// above its fence: those lines are left unchecked, its k6-llm, npm and k6
// lines are still checked.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KNOBS } from '../../../src/config/config.ts';
import { fences, prose } from '../../../tools/docs/markdown.ts';
import { checkContext, jsonProblem, shellCommands, shellProblems, unknownNames } from '../../../tools/docs/snippet-checks.ts';
import { MOCK_VARIABLES } from '../../../tools/mock-server/config.ts';
import { PAGES, read, ROOT } from './pages.ts';

const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console']);
const ctx = checkContext(ROOT);

/**
 * LLM_* names the docs may write that are not variables, each with why.
 * Keep this short: every other name must be a knob.
 */
const NOT_VARIABLES: Readonly<Record<string, string>> = {};

/** Every fenced block of the checked pages with its page. */
const blocks = PAGES.flatMap((page) => fences(read(page)).map((fence) => ({ page, fence, at: `${page}:${fence.line}` })));

describe('shell snippets', () => {
  const shell = blocks.filter((b) => SHELL_LANGS.has(b.fence.lang));

  it('are there to check', () => {
    assert.ok(shell.length >= 15, `${shell.length} shell blocks`);
  });

  it('are command lines the code takes: k6-llm flags and values, npm scripts, k6 -e and export variables', () => {
    const problems = shell.flatMap((b) => shellProblems(b.fence.body, b.fence.lang, ctx, b.fence.marker?.kind === 'unchecked').map((p) => `${b.at} ${p}`));
    assert.deepEqual(problems, []);
  });

  it('are left unchecked only when marked with a reason, and few', () => {
    const unchecked = shell.filter((b) => b.fence.marker?.kind === 'unchecked');
    assert.deepEqual(unchecked.filter((b) => b.fence.marker?.reason === '').map((b) => b.at), [], 'say why: <!-- snippet: unchecked: why -->');
    assert.ok(unchecked.length <= 4, `${unchecked.length} unchecked: ${unchecked.map((b) => b.at).join(', ')}`);
  });

  it('markers name a known kind', () => {
    const odd = blocks.filter((b) => b.fence.marker && !['unchecked', 'fragment'].includes(b.fence.marker.kind)).map((b) => `${b.at} ${b.fence.marker?.kind}`);
    assert.deepEqual(odd, []);
  });
});

describe('JSON snippets', () => {
  it('parse, and SLO files are read by the threshold-file reader', () => {
    const json = blocks.filter((b) => b.fence.lang === 'json');
    assert.ok(json.length >= 2, `${json.length} JSON blocks`);
    const problems = json.map((b) => [b.at, jsonProblem(b.fence.body, b.at)] as const).filter(([, p]) => p !== null);
    assert.deepEqual(problems, []);
  });
});

describe('variables named in the docs', () => {
  // Every page, code blocks and the generated API reference included.
  const texts = PAGES.map((page) => [page, read(page)] as const);

  it('LLM_* names are knobs of KNOBS', () => {
    const known = new Set([...Object.keys(KNOBS), ...Object.keys(NOT_VARIABLES)]);
    const unknown = texts.flatMap(([page, text]) => unknownNames(text, 'LLM', known).map((n) => `${page}: ${n}`));
    assert.deepEqual(unknown, []);
  });

  it('the exceptions are still written somewhere (else drop them)', () => {
    for (const name of Object.keys(NOT_VARIABLES)) assert.ok(texts.some(([, text]) => prose(text).includes(name)), name);
  });

  it('MOCK_* names are settings of the mock server', () => {
    const unknown = texts.flatMap(([page, text]) => unknownNames(text, 'MOCK', new Set(MOCK_VARIABLES)).map((n) => `${page}: ${n}`));
    assert.deepEqual(unknown, []);
  });
});

describe('the checks themselves (each can fail)', () => {
  it('split commands at operators, join continued lines, drop comments and redirections, read console prompts', () => {
    assert.deepEqual(shellCommands('npm ci && npm start   # the main job\nA=1 \\\n  k6 run x.js > out.txt 2>&1 &', 'sh'), [
      { words: ['npm', 'ci'], line: 1 },
      { words: ['npm', 'start'], line: 1 },
      { words: ['A=1', 'k6', 'run', 'x.js'], line: 2 },
    ]);
    assert.deepEqual(shellCommands('$ npx k6-llm workloads\nchat\n$ k6 run -e "LLM_PROMPT=say hi" <that file>', 'console'), [
      { words: ['npx', 'k6-llm', 'workloads'], line: 1 },
      { words: ['k6', 'run', '-e', 'LLM_PROMPT=say hi', '…'], line: 3 },
    ]);
  });

  it('refuse an unknown flag, a bad value, a knob another workload owns, a missing endpoint', () => {
    assert.match(shellProblems('npx k6-llm run chat --url http://h/v1 --vuss 2', 'sh', ctx).join(), /line 1: invalid flag --vuss; did you mean --vus\?/);
    assert.match(shellProblems('npx k6-llm run chat --url http://h/v1 --vus many', 'sh', ctx).join(), /LLM_VUS/);
    assert.match(shellProblems('npx k6-llm run chat --url http://h/v1 --levels 1,2', 'sh', ctx).join(), /LLM_LEVELS for workload chat/);
    assert.match(shellProblems('npx k6-llm run chat --model M', 'sh', ctx).join(), /expected the endpoint as --url/);
    assert.deepEqual(shellProblems('export LLM_BASE_URL=http://h/v1\nnpx k6-llm run chat --model M', 'sh', ctx), []);
    assert.match(shellProblems('npx k6-llm meter --listen-port 1', 'sh', ctx).join(), /invalid meter flag --listen-port/);
    assert.match(shellProblems('npx k6-llm baseline compare --from x.json', 'sh', ctx).join(), /expected --baseline/);
  });

  it('take placeholders and [optional] parts as written, but check their flags', () => {
    assert.deepEqual(shellProblems('npx k6-llm run chat --url … --model NAME [--repeat 3] [--tolerance 10%]', 'sh', ctx), []);
    assert.deepEqual(shellProblems('npx k6-llm merge results/i0 results/i1 ... --out results/merged [--thresholds FILE|profile|none]', 'sh', ctx), []);
    assert.match(shellProblems('npx k6-llm run chat --url … [--repeat 30]', 'sh', ctx).join(), /invalid --repeat/);
  });

  it('check npm scripts and their arguments, k6 -e variables and the workload a dist/ script is', () => {
    assert.match(shellProblems('npm run nosuch', 'sh', ctx).join(), /no such script/);
    assert.match(shellProblems('npm run mock -- --slots many', 'sh', ctx).join(), /slots/);
    assert.match(shellProblems('npm run engine -- --threads 0', 'sh', ctx).join(), /--threads/);
    assert.match(shellProblems('k6 run -e LLM_NOPE=1 dist/chat.js', 'sh', ctx).join(), /LLM_NOPE is not an LLM_\* variable/);
    assert.match(shellProblems('k6 run -e LLM_LEVELS=1,2 dist/chat.js', 'sh', ctx).join(), /LLM_LEVELS for workload chat/);
    assert.match(shellProblems('k6 run dist/chatt.js', 'sh', ctx).join(), /invalid workload "chatt"/);
    assert.match(shellProblems('export LLM_RATE=-1', 'sh', ctx).join(), /LLM_RATE/);
    assert.match(shellProblems('kubectl get pods', 'sh', ctx).join(), /"kubectl" is not a command the docs checks know/);
    assert.deepEqual(shellProblems('kubectl get pods\nnpx k6-llm merge a --out b', 'sh', ctx, true), []);
    assert.match(shellProblems('kubectl get pods\nnpx k6-llm merge a', 'sh', ctx, true).join(), /line 2: invalid merge command/);
  });

  it('read JSON, and an SLO file with the threshold-file reader', () => {
    assert.match(jsonProblem('{"a": 1,}', 'x') ?? '', /not JSON/);
    assert.equal(jsonProblem('{"status": 200}', 'x'), null);
    assert.equal(jsonProblem('{"llm_ttft": ["p(95)<300"]}', 'x'), null);
    assert.match(jsonProblem('{"llm_ttft": ["p95<300"]}', 'x') ?? '', /invalid thresholds file x/);
    assert.match(jsonProblem('{"thresholds": {"llm_nope": ["rate>0"]}}', 'x') ?? '', /llm_nope/);
  });

  it('find names that are not known', () => {
    assert.deepEqual(unknownNames('set `LLM_VUS`, LLM_NOPE, K6_LLM_METER_BINARY and LLM_* twice: LLM_NOPE', 'LLM', new Set(['LLM_VUS'])), ['LLM_NOPE']);
  });
});
