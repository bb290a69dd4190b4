// Temporary folders a test file makes, removed after its last test (a
// failing run keeps them under run-all's own folder, which it prints).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** Returns tempDir(prefix): a new empty folder k6-llm-<prefix>-* removed after the file's tests. Call once per file, at its top level. */
export function tempDirs(): (prefix: string) => string {
  const temps: string[] = [];
  after(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `k6-llm-${prefix}-`));
    temps.push(dir);
    return dir;
  };
}
