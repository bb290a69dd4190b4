// The meter's platform packages (@k6-llm/meter-linux-x64, ...): each a
// folder with the cross-compiled binary, a package.json whose os and cpu let
// npm install only the matching one, a one-line README and the licence.
// Built reproducibly: no cgo, -trimpath, an empty build id, the version set
// at link time, the same GOAMD64/GOARM64 baselines whatever the environment
// says, and Go's own toolchain (no download).

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from '../provision/meter-platforms.ts';
import { METER_PLATFORMS, meterBinaryPath, meterPackageName, type MeterPlatform } from '../provision/meter-platforms.ts';

/** A platform package laid out in a folder. */
export interface MeterPackage {
  platform: MeterPlatform;
  name: string;
  /** The package's folder. */
  dir: string;
  /** The binary's path inside the package (bin/meter, bin/meter.exe). */
  binary: string;
  sha256: string;
}

/** The Go environment of a release build for `p`: only what decides the output, nothing inherited that would change it. */
export function goBuildEnv(p: MeterPlatform, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    PATH: env.PATH,
    HOME: env.HOME,
    // Go's caches (build, modules): reused across builds, they do not change the output.
    GOCACHE: env.GOCACHE,
    GOMODCACHE: env.GOMODCACHE,
    GOPATH: env.GOPATH,
    TMPDIR: env.TMPDIR,
    CGO_ENABLED: '0',
    GOOS: p.goos,
    GOARCH: p.goarch,
    // The oldest CPUs each Go port supports: a user's GOAMD64=v3 must not make a binary old machines cannot run.
    GOAMD64: 'v1',
    GOARM64: 'v8.0',
    GOFLAGS: '',
    // A go.env file (go env -w) is not read: this environment is the whole configuration.
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
  };
}

/** `go build` arguments of a release build of version `version` into `out`. */
export function goBuildArgs(version: string, out: string): string[] {
  return ['build', '-trimpath', '-buildvcs=false', '-ldflags', `-s -w -buildid= -X main.version=${version}`, '-o', out, '.'];
}

/** The package.json of a platform package. */
export function meterPackageManifest(p: MeterPlatform, version: string, license: string): Record<string, unknown> {
  return {
    name: meterPackageName(p),
    version,
    description: `The k6-llm stream meter prebuilt for ${p.os} ${p.cpu} (installed by k6-llm as an optional dependency; use k6-llm, not this package)`,
    license,
    os: [p.os],
    cpu: [p.cpu],
    files: ['bin/'],
    // Package managers that zip packages (Yarn PnP) must unpack this one: it holds an executable.
    preferUnplugged: true,
  };
}

/**
 * Cross-compiles `<root>/meter` for every platform into `<stage>/<os>-<cpu>/`
 * as a package of version `version`. Throws one line naming the platform when
 * a build fails (its compiler output goes to `log` first).
 */
export function buildMeterPackages(root: string, stage: string, version: string, license: string, log: (line: string) => void): MeterPackage[] {
  const out: MeterPackage[] = [];
  for (const p of METER_PLATFORMS) {
    const dir = join(stage, `meter-${p.os}-${p.cpu}`);
    const binary = meterBinaryPath(p);
    mkdirSync(join(dir, 'bin'), { recursive: true });
    const res = spawnSync('go', goBuildArgs(version, join(dir, binary)), { cwd: join(root, 'meter'), env: goBuildEnv(p), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (res.error || res.status !== 0) {
      const tail = `${res.stdout ?? ''}\n${res.stderr ?? ''}`.trim();
      if (tail) log(tail);
      throw new Error(`go build of the meter for ${p.goos}/${p.goarch} failed (${res.error ? res.error.message : `exit code ${res.status}`}); Go 1.22 or newer must be on PATH to make the release`);
    }
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(meterPackageManifest(p, version, license), null, 2)}\n`);
    writeFileSync(
      join(dir, 'README.md'),
      `# ${meterPackageName(p)}\n\nThe [k6-llm](https://www.npmjs.com/package/k6-llm) stream meter (\`${binary}\`), built for ${p.os} ${p.cpu} from k6-llm ${version}'s meter/ (Go, standard library only); k6-llm installs it for you and checks its SHA-256 before first use.\n`,
    );
    copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
    out.push({ platform: p, name: meterPackageName(p), dir, binary, sha256: sha256File(join(dir, binary)) });
  }
  return out;
}
