// The bench's command line: loads, instances and the optional runs.

/** `--instances N` on the command line (default 1), removed from argv. */
export function takeInstances(argv: string[]): number {
  const at = argv.indexOf('--instances');
  if (at < 0) return 1;
  const n = Number(argv[at + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`invalid --instances; expected a whole number from 1 to 16, got "${argv[at + 1] ?? ''}"`);
  argv.splice(at, 2);
  return n;
}

/** The value of `--name V` on the command line (removed from argv), or null. */
export function takeOption(argv: string[], name: string): string | null {
  const at = argv.indexOf(name);
  if (at < 0) return null;
  const value = argv[at + 1] ?? '';
  argv.splice(at, 2);
  return value;
}

/** `--name` on the command line (removed from argv). */
export function takeFlag(argv: string[], name: string): boolean {
  const at = argv.indexOf(name);
  if (at < 0) return false;
  argv.splice(at, 1);
  return true;
}

/** The loads to run: all, or those named (`--loads 500,2000`, or `500 2000`, left in argv). */
export function pickLoads<L extends { streams: number }>(argv: string[], loads: readonly L[]): L[] {
  if (argv.length === 0) return [...loads];
  const named = argv.flatMap((a) => a.split(',')).filter((a) => a !== '');
  const known = loads.map((l) => l.streams);
  const picked = named.map(Number);
  const bad = named.filter((_, i) => !known.includes(picked[i]!));
  if (bad.length > 0) throw new Error(`invalid load "${bad[0]}"; expected stream counts from ${known.join(', ')}`);
  return loads.filter((l) => picked.includes(l.streams));
}
