// Provisions what k6-llm runs beside Node: a k6 binary (v1.1.0 or newer) and
// the stream meter. Prints the k6 path, its `k6 version` and the meter path.
//   node --import tsx tools/provision/cli.ts
// Exit 1 with one line on stderr when either cannot be had.

import { spawnSync } from 'node:child_process';
import { ensureK6, K6_ENV } from './k6.ts';
import { ensureMeter } from './meter.ts';

function main(): number {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const k6 = ensureK6({ log });
    const version = spawnSync(k6, ['version'], { encoding: 'utf8', env: { ...process.env, ...K6_ENV } });
    process.stdout.write(`k6: ${k6}\n`);
    process.stdout.write(`k6 version: ${`${version.stdout ?? ''}`.trim()}\n`);
    const meter = ensureMeter({ log });
    process.stdout.write(`meter: ${meter}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`k6-llm provision: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main();
