// `npm run pack [-- --out DIR]`: the release artefacts in one folder (default
// release/): the main package k6-llm-<v>.tgz, one k6-llm-meter-<os>-<cpu>-<v>.tgz
// per platform, the single-file library k6-llm.js with k6-llm.d.ts, and
// SHA256SUMS. Nothing is published.
//
// The main package is packed from a staged copy of what `npm pack` ships from
// this folder, with two things only a release has: the platform packages
// pinned exactly in optionalDependencies, and their binaries' SHA-256 in
// dist/meter-checksums.json. (The clone's own package.json cannot list them:
// `npm ci` would then need them in the lockfile, and they are not published.)
//
// `--library-types` writes lib/k6-llm.d.ts only: what `npm pack`'s prepack runs.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from '../provision/k6.ts';
import { CHECKSUMS_FILE, sha256File, type MeterChecksums } from '../provision/meter-platforms.ts';
import { writeLibraryTypes } from './library-types.ts';
import { buildMeterPackages, type MeterPackage } from './meter-packages.ts';

/** The fields of the clone's package.json the published one keeps; scripts and devDependencies are the clone's business. */
const PUBLISHED_FIELDS = ['name', 'version', 'description', 'license', 'type', 'engines', 'bin', 'exports', 'types', 'files', 'dependencies'];

/** The published package.json: the clone's, less its scripts and devDependencies, plus every platform package pinned exactly. */
export function publishedManifest(manifest: Record<string, unknown>, meters: readonly Pick<MeterPackage, 'name'>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of PUBLISHED_FIELDS) if (manifest[field] !== undefined) out[field] = manifest[field];
  out.optionalDependencies = Object.fromEntries(meters.map((m) => [m.name, String(manifest.version)]));
  return out;
}

/** dist/meter-checksums.json of a release. */
export function meterChecksums(version: string, meters: readonly MeterPackage[]): MeterChecksums {
  return { version, packages: Object.fromEntries(meters.map((m) => [m.name, { binary: m.binary, sha256: m.sha256 }])) };
}

function run(cmd: string, args: string[], cwd: string): string {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error || res.status !== 0) {
    process.stderr.write(`${res.stdout ?? ''}${res.stderr ?? ''}`);
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (${res.error ? res.error.message : `exit code ${res.status}`})`);
  }
  return res.stdout;
}

/** The files `npm pack` ships from `dir` (its `files`, plus what npm always adds), relative paths. */
export function packedFiles(dir: string): string[] {
  const out = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir)) as { files: { path: string }[] }[];
  return (out[0]?.files ?? []).map((f) => f.path).sort();
}

/** `npm pack` of `dir` into `dest`; returns the tarball's file name. */
function npmPack(dir: string, dest: string): string {
  const out = JSON.parse(run('npm', ['pack', dir, '--pack-destination', dest, '--ignore-scripts', '--json'], dir)) as { filename: string }[];
  const name = out[0]?.filename;
  if (!name) throw new Error(`npm pack ${dir} named no tarball`);
  return name.replace(/^@/, '').replace('/', '-');
}

/** What this script makes, so a new run replaces exactly its own earlier artefacts. */
const ARTEFACT = /^(k6-llm-.*\.tgz|k6-llm\.js|k6-llm\.d\.ts|SHA256SUMS)$/;

/** Makes every release artefact in `out`; returns their names with sizes and SHA-256. */
export function makeRelease(root: string, out: string, log: (line: string) => void): { file: string; bytes: number; sha256: string }[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const version = String(manifest.version);
  const license = String(manifest.license);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (ARTEFACT.test(f)) rmSync(join(out, f));
  const stage = mkdtempSync(join(tmpdir(), 'k6-llm-pack-'));
  try {
    log('building dist/ and lib/k6-llm.js (node build.mjs), then lib/k6-llm.d.ts');
    run(process.execPath, [join(root, 'build.mjs')], root);
    writeLibraryTypes(root);

    log(`cross-compiling the meter (${process.env.PATH ? run('go', ['version'], root).trim() : 'go'}) for each platform`);
    const meters = buildMeterPackages(root, stage, version, license, log);
    for (const m of meters) npmPack(m.dir, out);

    // The main package: what npm pack ships from the clone, staged with the release's manifest and checksums.
    const main = join(stage, 'k6-llm');
    for (const file of packedFiles(root)) {
      if (file === 'package.json') continue;
      mkdirSync(dirname(join(main, file)), { recursive: true });
      copyFileSync(join(root, file), join(main, file));
    }
    writeFileSync(join(main, 'package.json'), `${JSON.stringify(publishedManifest(manifest, meters), null, 2)}\n`);
    mkdirSync(dirname(join(main, CHECKSUMS_FILE)), { recursive: true });
    writeFileSync(join(main, CHECKSUMS_FILE), `${JSON.stringify(meterChecksums(version, meters), null, 2)}\n`);
    npmPack(main, out);

    for (const f of ['k6-llm.js', 'k6-llm.d.ts']) copyFileSync(join(root, 'lib', f), join(out, f));
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  const made = readdirSync(out)
    .filter((f) => ARTEFACT.test(f) && f !== 'SHA256SUMS')
    .sort()
    .map((file) => ({ file, bytes: statSync(join(out, file)).size, sha256: sha256File(join(out, file)) }));
  writeFileSync(join(out, 'SHA256SUMS'), made.map((m) => `${m.sha256}  ${m.file}\n`).join(''));
  return made;
}

function main(argv: string[]): number {
  const root = repoRoot();
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: npm run pack [-- --out DIR]   the release artefacts in DIR (default release/)\n       node --import tsx tools/pack/main.ts --library-types   lib/k6-llm.d.ts only (npm pack\'s prepack)\n');
    return 0;
  }
  if (argv[0] === '--library-types' && argv.length === 1) {
    if (!existsSync(join(root, 'lib', 'k6-llm.js'))) throw new Error('invalid state; expected lib/k6-llm.js, got none (run node build.mjs first)');
    writeLibraryTypes(root);
    return 0;
  }
  let out = join(root, 'release');
  if (argv.length > 0) {
    if (argv[0] !== '--out' || argv.length !== 2) throw new Error(`invalid arguments ${JSON.stringify(argv.join(' '))}; expected nothing, --out DIR or --library-types`);
    out = resolve(argv[1] as string);
  }
  const started = Date.now();
  const made = makeRelease(root, out, (line) => process.stderr.write(`${line}\n`));
  for (const m of made) process.stdout.write(`${m.sha256}  ${(m.bytes / 1024).toFixed(0).padStart(6)} KiB  ${join(out, m.file)}\n`);
  process.stderr.write(`release artefacts in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return 0;
}

// Run as a program, not when a test imports its functions.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`pack: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
