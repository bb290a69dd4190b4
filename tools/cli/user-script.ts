// A script of one's own, turned into a plain k6 script: bundled with esbuild
// as the built-ins are (k6 modules left to k6; `k6-llm` resolved to this
// package's library), its options passed through llmOptions (each
// workload's figures kept apart, p99 and counts), and given k6-llm's
// handleSummary when it exports none, so a run through the CLI writes its
// reports whatever the script forgot.
// The bundle is written beside the script: k6 resolves open() (datasets,
// SLO files) against the running script's folder, so paths the script gives
// mean what they meant.

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { UsageError } from './args.ts';

/** File extensions a script of one's own may have. */
const SCRIPT_EXTENSIONS = ['.ts', '.js', '.mjs', '.mts'];

/** True when `arg` names a script file rather than a built-in workload (a path, or a name with a script extension). */
export function isScriptPath(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || SCRIPT_EXTENSIONS.includes(extname(arg));
}

/** The name a script's runs go by (its results folder, its report): the file name without its extension. */
export function scriptName(path: string): string {
  return basename(path, extname(path)).replace(/[^A-Za-z0-9_.-]/g, '_') || 'script';
}

/** Where the library a script imports as `k6-llm` is: this package's source in a clone, its bundled library when installed. */
export function libraryEntry(root: string): string {
  const source = join(root, 'src', 'index.ts');
  if (existsSync(source)) return source;
  const bundled = join(root, 'lib', 'k6-llm.js');
  if (existsSync(bundled)) return bundled;
  throw new UsageError(`invalid k6-llm install; expected its library at ${source} or ${bundled}, got neither (reinstall the package)`);
}

/**
 * Bundles `entry` into `outFile` (a plain k6 script); throws one line per
 * build error. Returns the exports the script had.
 */
export async function bundleScript(entry: string, outFile: string, root: string): Promise<string[]> {
  const path = resolve(entry);
  if (!existsSync(path)) throw new UsageError(`invalid script ${entry}; expected a k6 script file, got no such file`);
  // First the script alone, to learn its exports (handleSummary or not).
  const probe = await build({ entryPoints: [path], write: false, metafile: true }, root, entry);
  const exports = Object.values(probe.metafile?.outputs ?? {})[0]?.exports ?? [];
  const entryFile = join(dirname(outFile), `.${basename(outFile)}.entry.mjs`);
  const spec = `./${relative(dirname(entryFile), path).split('\\').join('/')}`;
  const lines = [`export * from ${JSON.stringify(spec)};`, `import * as script from ${JSON.stringify(spec)};`, `import { llmOptions, llmSummary } from 'k6-llm';`];
  if (exports.includes('default')) lines.push(`export { default } from ${JSON.stringify(spec)};`);
  // Its options with what the reports read (each workload's figures apart, p99 and counts); llmOptions is idempotent.
  lines.push(`export const options = llmOptions(script.options ?? {});`);
  // A script without a handleSummary of its own gets k6-llm's: its run writes the reports.
  if (!exports.includes('handleSummary')) lines.push('export const handleSummary = llmSummary();');
  writeFileSync(entryFile, `${lines.join('\n')}\n`);
  try {
    await build({ entryPoints: [entryFile], outfile: outFile, write: true }, root, entry);
  } finally {
    rmSync(entryFile, { force: true });
  }
  return exports;
}

async function build(options: esbuild.BuildOptions, root: string, entry: string): Promise<esbuild.BuildResult> {
  try {
    return await esbuild.build({
      ...options,
      bundle: true,
      // k6 loads ES modules; its runtime is browser-like (no Node built-ins).
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      // k6's own modules and extensions come from the binary.
      external: ['k6'],
      alias: { 'k6-llm': libraryEntry(root) },
      sourcemap: 'inline',
      logLevel: 'silent',
    });
  } catch (err) {
    const errors = (err as { errors?: esbuild.Message[] }).errors ?? [];
    const first = errors[0];
    const at = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
    throw new UsageError(`invalid script ${entry}; it does not build: ${at}${first?.text ?? (err as Error).message}`);
  }
}

/** Where `run` writes the bundle of `entry`: beside it, a dot-file removed after the run. */
export function runBundlePath(entry: string): string {
  return join(dirname(resolve(entry)), `.${scriptName(entry)}.k6-llm.js`);
}
