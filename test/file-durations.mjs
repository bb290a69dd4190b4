// A node:test reporter that writes, at the end of a run, one line per test
// file: the summed duration of its top-level tests (ms) and its path,
// tab-separated. run-all.mjs prints them, slowest first, to say where the
// run's time went.

export default async function* fileDurations(source) {
  const files = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.nesting !== 0 || !event.data.file) continue;
    files.set(event.data.file, (files.get(event.data.file) ?? 0) + (event.data.details?.duration_ms ?? 0));
  }
  for (const [file, ms] of files) yield `${Math.round(ms)}\t${file}\n`;
}
