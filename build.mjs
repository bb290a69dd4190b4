// Bundles the project with esbuild: k6 scenarios for k6's runtime, and the
// Node-side tools (CLI, mock server, bench) for Node. The runtime boundary is
// enforced here: a k6 import in the Node bundle, or a Node built-in in code
// that runs inside k6, fails the build. A failed build prints one line per
// error and exits 1. `node build.mjs` builds; tests import the options.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/** k6, k6/http, k6/x/...: modules only the k6 binary provides. */
const K6_MODULE = /^k6(\/|$)/;
/** node:fs and the bare names of Node's built-ins (fs, path, child_process, fs/promises...). */
const NODE_BUILTIN = new RegExp(`^(node:.*|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/.*)?)$`);

/**
 * The runtime boundary as an esbuild plugin. In the k6 bundle ('k6') no file
 * may import a Node built-in: k6's runtime has none. In the Node bundle
 * ('node') no file may import a k6 module (they exist only inside k6), and
 * files under src/ and scenarios/ may not import Node built-ins either,
 * because the same files run inside k6. Paths are judged relative to root.
 */
export function runtimeBoundary(runtime, root = ROOT) {
  const where = (importer) => {
    const rel = relative(root, importer);
    return rel.startsWith('..') || isAbsolute(rel) ? importer : rel.split('\\').join('/');
  };
  const insideK6 = (importer) => /^(src|scenarios)\//.test(where(importer));
  return {
    name: 'runtime-boundary',
    setup(build) {
      build.onResolve({ filter: NODE_BUILTIN }, (args) => {
        if (runtime === 'node' && !insideK6(args.importer)) return undefined;
        const rule = runtime === 'k6' ? 'this file is bundled for k6' : 'src/ and scenarios/ run inside k6 too';
        return { errors: [{ text: `"${args.path}" is a Node built-in, and ${rule}, which has no Node built-ins (src/ and scenarios/ never import node:*)` }] };
      });
      build.onResolve({ filter: K6_MODULE }, (args) => {
        if (runtime !== 'node') return undefined;
        return { errors: [{ text: `"${args.path}" is a k6 module, and this file is bundled into a Node tool, where k6 modules do not exist (tools/ never import k6)` }] };
      });
    },
  };
}

/** One line per esbuild error: `file:line:col: text`. */
export function errorLines(err) {
  if (!Array.isArray(err?.errors) || err.errors.length === 0) return [String(err?.message ?? err).split('\n')[0]];
  return err.errors.map((e) => {
    const at = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
    return `${at}${e.text}`;
  });
}

const tsFiles = (dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);

/** Scenarios: plain ES modules that any k6 v1 binary runs as `k6 run dist/<name>.js`. */
export const scenarios = {
  // One workload per scenario file (the bench runs dist/chat.js itself).
  entryPoints: tsFiles('scenarios'),
  absWorkingDir: ROOT,
  outdir: 'dist',
  outbase: 'scenarios',
  bundle: true,
  // k6 loads ES modules natively; keep them as modules.
  format: 'esm',
  // k6's runtime is browser-like: no Node built-ins, no process. esbuild would
  // only warn about a Node built-in here; runtimeBoundary makes it an error.
  platform: 'browser',
  // Pinned so the output does not change with the esbuild version's default;
  // k6 v1's JavaScript engine (sobek) supports ES2020 syntax.
  target: 'es2020',
  // Every k6 module and extension (k6, k6/http, k6/x/...) is provided by the
  // binary; a package external matches its subpaths.
  external: ['k6'],
  // The built-in scripts import the library by its package name, as a user's script does.
  alias: { 'k6-llm': './src/index.ts' },
  plugins: [runtimeBoundary('k6')],
  // Source maps let k6 report TypeScript file and line in stack traces. The
  // mappings are enough for that: without the sources' text in them each
  // script is 0.4 MB instead of 1 MB (the package ships seven).
  sourcemap: 'inline',
  sourcesContent: false,
  metafile: true,
  // Errors are printed as one line each by main(); warnings too.
  logLevel: 'silent',
};

/**
 * The library as one self-contained ES module, lib/k6-llm.js: what the
 * package's `exports` name for bundlers, and the file a script imports by
 * relative path for plain `k6 run my-test.ts` (k6 strips types but bundles
 * nothing). Its declarations, lib/k6-llm.d.ts, come from tools/pack/library-types.ts.
 */
export const library = {
  entryPoints: { 'k6-llm': 'src/index.ts' },
  absWorkingDir: ROOT,
  outdir: 'lib',
  bundle: true,
  // As the scenarios: ES module, k6's browser-like runtime, ES2020, k6's modules left to k6.
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  external: ['k6'],
  plugins: [runtimeBoundary('k6')],
  // One readable file (not minified, no source map): stack traces point at lines a user can open.
  sourcemap: false,
  banner: { js: `// k6-llm ${VERSION}: load-test LLM inference endpoints on k6. One self-contained ES module; k6 provides the k6/* imports. Apache-2.0.` },
  logLevel: 'silent',
};

/** Node-side tools: one self-contained .mjs each under dist/tools/. */
export const tools = {
  entryPoints: {
    cli: 'tools/cli/main.ts',
    'mock-server': 'tools/mock-server/main.ts',
    bench: 'tools/bench/main.ts',
    engine: 'tools/engine/main.ts',
  },
  absWorkingDir: ROOT,
  outdir: 'dist/tools',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // npm packages are loaded from node_modules at run time, not bundled. This
  // alone would also let a k6 import through (it would fail only when the tool
  // runs); runtimeBoundary fails the build on one instead.
  packages: 'external',
  plugins: [runtimeBoundary('node')],
  sourcemap: 'linked',
  logLevel: 'silent',
};

async function main() {
  const results = await Promise.allSettled([esbuild.build(scenarios), esbuild.build(library), esbuild.build(tools)]);
  let failed = false;
  for (const r of results) {
    if (r.status === 'rejected') {
      failed = true;
      for (const line of errorLines(r.reason)) console.error(`build failed: ${line}`);
    } else {
      for (const w of r.value.warnings) console.error(`build warning: ${errorLines({ errors: [w] })[0]}`);
    }
  }
  if (failed) process.exit(1);
}

// Run as a program (also through a symlink), not when a test imports the options.
const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === fileURLToPath(import.meta.url)) await main();
