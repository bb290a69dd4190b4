// Generator self-check: a VU that sleeps 10 ms at a time and records how
// late it wakes. When k6 itself is short of CPU this lag grows, and every
// latency it measures reads high by about as much; the summary warns then.
import { sleep } from 'k6';
import { llmGeneratorLag } from './metrics.ts';
import { nowMs } from './clock.ts';

const PROBE_SLEEP_MS = 10;

/** One probe iteration: 50 timed sleeps (about half a second). */
export function generatorProbe(): void {
  for (let i = 0; i < 50; i++) {
    const before = nowMs();
    sleep(PROBE_SLEEP_MS / 1000);
    llmGeneratorLag.add(Math.max(0, nowMs() - before - PROBE_SLEEP_MS));
  }
}
