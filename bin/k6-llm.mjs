#!/usr/bin/env node
// Entry point of `npx k6-llm`: runs the bundled CLI. In a clone it builds the
// CLI first when needed; an installed package ships it built (npm pack's prepack).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'tools', 'cli.mjs');
if (!existsSync(cli)) {
  if (!existsSync(join(root, 'build.mjs'))) {
    process.stderr.write(`k6-llm: invalid install; expected the built CLI at ${cli}, got none (reinstall the package)\n`);
    process.exit(2);
  }
  const build = spawnSync(process.execPath, [join(root, 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import(pathToFileURL(cli).href);
