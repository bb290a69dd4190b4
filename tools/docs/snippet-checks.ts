// The documentation's shell and JSON snippets checked against the code they
// describe, without running anything: a k6-llm command line goes through the
// CLI's own parser (tools/cli/command-line.ts) and, for run and demo, the
// validation the CLI does before a run; `npm run` names a script of
// package.json (the mock's and the engine's arguments through their own
// parsers); `k6 run -e LLM_*=…` and `export LLM_*=…` name knobs with values
// their parsers take; a JSON snippet parses, and one that is an SLO file is
// read by the project's threshold-file reader. Placeholders (NAME, URL, …,
// <that URL>) are flags' values that are not checked. Problems come back as
// one line each; nothing throws. Used by test/unit/docs/.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOBS, parseConfig } from '../../src/config/config.ts';
import { WORKLOAD_NAMES } from '../../src/config/knob.ts';
import { parseWorkloadConfig } from '../../src/config/scope.ts';
import { metricType } from '../../src/thresholds/metric-catalog.ts';
import { parseThresholdFile } from '../../src/thresholds/threshold-file.ts';
import { parseCommandLine } from '../cli/command-line.ts';
import { isScriptPath } from '../cli/user-script.ts';
import { parseEngineArgs } from '../engine/main.ts';
import { parseMockArgs } from '../mock-server/config.ts';

/** What the checks compare with, read once from the repository. */
export interface CheckContext {
  /** package.json's script names. */
  npmScripts: ReadonlySet<string>;
  /** The flags the stream meter declares (meter/main.go), plus the CLI's own --keep-running. */
  meterFlags: ReadonlySet<string>;
}

/** The context of the repository at `root`. */
export function checkContext(root: string): CheckContext {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const go = readFileSync(join(root, 'meter', 'main.go'), 'utf8');
  const flags = [...go.matchAll(/fs\.[A-Za-z0-9]+Var\(&[^,]+,\s*"([a-z0-9-]+)"/g)].map((m) => `--${m[1]}`);
  return { npmScripts: new Set(Object.keys(scripts)), meterFlags: new Set([...flags, '--keep-running', '--help', '-h']) };
}

/** One simple command of a snippet: its words (quotes removed) and its 1-based line in the snippet. */
export interface ShellCommand {
  words: string[];
  line: number;
}

const OPERATORS = new Set(['&&', '||', ';', '|', '&']);

/** A documentation placeholder rather than a value: NAME, URL, …, ..., <that URL>, a|b|c, $VAR. */
export function isPlaceholder(word: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(word) || /…|\.\.\.|\||\$/.test(word);
}

/** Words and operators of one logical line (`<…>` placeholders already replaced, comments dropped). */
function shellWords(line: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  const end = (): void => {
    if (word !== null) out.push(word);
    word = null;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      const stop = close < 0 ? line.length : close;
      word = (word ?? '') + line.slice(i + 1, stop);
      i = stop;
    } else if (c === ' ' || c === '\t') {
      end();
    } else if (c === '#' && word === null) {
      break;
    } else if ('&;'.includes(c) || (c === '|' && (word === null || line[i + 1] === '|'))) {
      // A | inside a word is the docs' "one of" (FILE|profile|none), not a pipe.
      end();
      const two = line.slice(i, i + 2);
      out.push(two === '&&' || two === '||' ? two : c);
      if (two === '&&' || two === '||') i++;
    } else if (c === '>' || (c === '2' && line[i + 1] === '>' && word === null)) {
      end();
      // A redirection and its target are not the command's words.
      const m = /^(?:2>&1|2>|>>|>)\s*(\S*)/.exec(line.slice(i)) as RegExpExecArray;
      i += m[0].length - 1;
    } else {
      word = (word ?? '') + c;
    }
  }
  end();
  return out;
}

/**
 * The simple commands of a snippet. In a `console` block only lines after a
 * `$ ` prompt are commands (the rest is output); a trailing backslash joins
 * the next line.
 */
export function shellCommands(body: string, lang: string): ShellCommand[] {
  const out: ShellCommand[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let text = lines[i] as string;
    if (lang === 'console') {
      if (!text.startsWith('$ ')) continue;
      text = text.slice(2);
    }
    const line = i + 1;
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]}`;
    const words = shellWords(text.replace(/<[^<>\n]*>/g, '…'));
    let current: string[] = [];
    for (const w of [...words, ';']) {
      if (!OPERATORS.has(w)) current.push(w);
      else if (current.length > 0) {
        out.push({ words: current, line });
        current = [];
      }
    }
  }
  return out;
}

/** An `LLM_*` assignment's problem: an unknown variable, or a value its knob refuses. */
function assignmentProblem(name: string, value: string): string | null {
  const knob = KNOBS[name];
  if (!knob) return `${name} is not an LLM_* variable of KNOBS`;
  if (isPlaceholder(value)) return null;
  try {
    knob.parse(value);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The concrete ones of `variables` (a placeholder's value is not checked). */
function concrete(variables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).filter(([, v]) => !isPlaceholder(v)));
}

/** The problem of running `workload` (a built-in or a script) with these LLM_* values, as the CLI checks them before a run. */
function workloadProblem(workload: string, variables: Record<string, string>): string | null {
  try {
    if ((WORKLOAD_NAMES as readonly string[]).includes(workload)) parseWorkloadConfig(concrete(variables), workload);
    else if (isScriptPath(workload)) parseConfig(concrete(variables));
    else if (!isPlaceholder(workload)) return `invalid workload "${workload}"; expected one of ${WORKLOAD_NAMES.join(', ')} or a script path`;
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Arguments as a documented line writes them, with `[optional]` parts taken as given. */
function asArguments(words: readonly string[]): string[] {
  return words.map((w) => w.replace(/^\[+/, '').replace(/\]+$/, '')).filter((w) => w !== '');
}

function cliProblem(args: string[], env: Record<string, string>, ctx: CheckContext): string | null {
  try {
    const line = parseCommandLine(asArguments(args), env);
    if (line.command === 'run') return workloadProblem(line.run.run.workload, { ...env, ...line.run.run.variables });
    if (line.command === 'demo') return workloadProblem(line.demo.run.workload, { ...env, ...line.demo.run.variables });
    if (line.command === 'meter') {
      const unknown = line.args.filter((a) => a.startsWith('-')).map((a) => a.split('=')[0] as string).find((f) => !ctx.meterFlags.has(f));
      return unknown ? `invalid meter flag ${unknown}; expected one of ${[...ctx.meterFlags].join(', ')}` : null;
    }
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function npmProblem(args: string[], ctx: CheckContext): string | null {
  const [sub, script, ...rest] = args;
  if (sub === 'ci' || sub === 'install' || sub === 'i') return null;
  if (sub === 'test' || sub === 'start') return ctx.npmScripts.has(sub) ? null : `npm ${sub}: package.json has no "${sub}" script`;
  if (sub !== 'run' || script === undefined) return `npm ${args.join(' ')}: not a command the docs checks know (npm ci, install, test, start, run <script>)`;
  if (!ctx.npmScripts.has(script)) return `npm run ${script}: package.json has no such script`;
  const extra = rest[0] === '--' ? asArguments(rest.slice(1)) : [];
  try {
    if (script === 'mock') parseMockArgs(extra, {});
    if (script === 'engine') parseEngineArgs(extra);
    return null;
  } catch (err) {
    return `npm run ${script} -- ${extra.join(' ')}: ${(err as Error).message}`;
  }
}

function k6Problem(args: string[], env: Record<string, string>): string | null {
  const [sub, ...rest] = args;
  if (!['run', 'archive', 'inspect', 'version'].includes(sub ?? '')) return `k6 ${sub ?? ''}: expected run, archive, inspect or version`;
  const variables: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] !== '-e' && rest[i] !== '--env') continue;
    const [name, ...value] = (rest[++i] ?? '').split('=');
    if (!name?.startsWith('LLM_')) continue;
    const problem = assignmentProblem(name, value.join('='));
    if (problem) return problem;
    variables[name] = value.join('=');
  }
  const builtin = /(?:^|\/)dist\/([a-z]+)\.js$/.exec(rest[rest.length - 1] ?? '');
  return builtin ? workloadProblem(builtin[1] as string, { ...env, ...variables }) : null;
}

/**
 * Problems of a shell snippet, each `line N: what`. `export LLM_*=…` lines
 * stay in force for the rest of the snippet, as in a shell. A command of
 * another program (kubectl, docker) is a problem unless `otherPrograms`
 * (the block is marked unchecked): then only the lines the checks know are
 * checked.
 */
export function shellProblems(body: string, lang: string, ctx: CheckContext, otherPrograms = false): string[] {
  const problems: string[] = [];
  const exported: Record<string, string> = {};
  for (const { words, line } of shellCommands(body, lang)) {
    const say = (p: string | null): void => {
      if (p !== null) problems.push(`line ${line}: ${p}`);
    };
    let at = 0;
    const inline: Record<string, string> = {};
    const isExport = words[0] === 'export';
    if (isExport) at = 1;
    for (; at < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[at] as string); at++) {
      const [name, ...value] = (words[at] as string).split('=');
      if (!name?.startsWith('LLM_')) continue;
      say(assignmentProblem(name, value.join('=')));
      if (isExport) exported[name] = value.join('=');
      else inline[name] = value.join('=');
    }
    const [program, ...args] = words.slice(at);
    if (program === undefined) continue;
    const env = { ...exported, ...inline };
    if (program === 'npx' && args[0] === 'k6-llm') say(cliProblem(args.slice(1), env, ctx));
    else if (program === 'k6-llm') say(cliProblem(args, env, ctx));
    else if (program === 'node' && /(?:^|\/)(?:bin\/k6-llm\.mjs|dist\/tools\/cli\.mjs)$/.test(args[0] ?? '')) say(cliProblem(args.slice(1), env, ctx));
    else if (program === 'npm') say(npmProblem(args, ctx));
    else if (program === 'k6') say(k6Problem(args, env));
    else if (!otherPrograms) say(`"${program}" is not a command the docs checks know (k6-llm, npm, k6, export): mark the block <!-- snippet: unchecked: why -->`);
  }
  return problems;
}

/** True when a parsed JSON value reads as an SLO file: its own keys, or a bare map of metric names. */
function isSloFile(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.some((k) => ['thresholds', 'perRequest', 'stability'].includes(k))) return true;
  return keys.length > 0 && keys.every((k) => metricType(k.replace(/\{.*\}$/, '')) !== undefined);
}

/** A JSON snippet's problem: not JSON, or an SLO file the threshold-file reader refuses; null when fine. */
export function jsonProblem(body: string, source: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (!isSloFile(value)) return null;
  try {
    parseThresholdFile(body, source);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Names of the form PREFIX_NAME in `text` that are not in `known` (each once, in order). */
export function unknownNames(text: string, prefix: string, known: ReadonlySet<string>): string[] {
  const found = [...text.matchAll(new RegExp(`\\b${prefix}_[A-Z][A-Z0-9_]*`, 'g'))].map((m) => m[0]);
  return [...new Set(found)].filter((n) => !known.has(n));
}
