// The folder each CLI run writes its reports to: results/<name>-<UTC time>,
// created here at once (mkdir without -p on the last part is atomic), so two
// runs started in the same second get -2, -3, … instead of sharing one; and
// removed again when the run left nothing in it (input rejected, k6 failed
// before writing).
import { mkdirSync, readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The UTC time to the second as a folder name part: 2026-12-01T12-00-51. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

/** Creates and returns a new folder `<parent>/<name>-<time>` (with -2, -3, … when taken). */
export function freshRunFolder(name: string, parent = 'results', date = new Date()): string {
  mkdirSync(parent, { recursive: true });
  const base = join(parent, `${name}-${timestamp(date)}`);
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Removes `dir` when it exists and holds nothing but empty files (the meter's records file of a run k6 never started); true when removed. */
export function removeIfEmpty(dir: string): boolean {
  try {
    const entries = readdirSync(dir).map((name) => join(dir, name));
    if (!entries.every((path) => { const s = statSync(path); return s.isFile() && s.size === 0; })) return false;
    for (const path of entries) unlinkSync(path);
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}
