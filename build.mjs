// Bundles the project with esbuild: k6 scenarios for k6's runtime, and the
// Node-side tools (CLI, mock server, bench) for Node. A failed build exits 1.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const tsFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);
// One workload per top-level scenario file; scenarios/bench/ holds benchmark
// references, bundled to dist/bench/ so they never show up as workloads.
const scenarioEntries = [...tsFiles('scenarios'), ...tsFiles('scenarios/bench')];

/** Scenarios: plain ES modules that any k6 v1 binary runs as `k6 run dist/<name>.js`. */
const scenarios = {
  entryPoints: scenarioEntries,
  outdir: 'dist',
  outbase: 'scenarios',
  bundle: true,
  // k6 loads ES modules natively; keep them as modules.
  format: 'esm',
  // k6's runtime is browser-like: no Node built-ins, no process.
  platform: 'browser',
  // Pinned so the output does not change with the esbuild version's default;
  // k6 v1's JavaScript engine (sobek) supports ES2020 syntax.
  target: 'es2020',
  // Every k6 module and extension (k6, k6/http, k6/x/...) is provided by the
  // binary; a package external matches its subpaths.
  external: ['k6'],
  // Source maps let k6 report TypeScript file and line in stack traces.
  sourcemap: 'inline',
  metafile: true,
  logLevel: 'warning',
};

/** Node-side tools: one self-contained .mjs each under dist/tools/. */
const tools = {
  entryPoints: {
    cli: 'tools/cli/main.ts',
    'mock-server': 'tools/mock-server/main.ts',
    bench: 'tools/bench/main.ts',
  },
  outdir: 'dist/tools',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Node-side tools must never pull in k6 modules; esbuild fails on them.
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

try {
  await Promise.all([esbuild.build(scenarios), esbuild.build(tools)]);
} catch (err) {
  // esbuild has already printed the errors with file and line.
  console.error(`build failed: ${err.message.split('\n')[0]}`);
  process.exit(1);
}
