// This instance's execution segment, read from k6's test options (which k6
// answers in setup, iterations and handleSummary, not in the init context),
// and the closed-pool user identity that stays the same however the test is
// split. The striping itself is src/arrivals/segments.ts.
import exec from 'k6/execution';
import { instanceSegment, segmentShare, type InstanceSegment } from '../arrivals/segments.ts';
import { ConfigError } from '../errors.ts';
import { scenarioInfo } from './vu-info.ts';

/**
 * This instance's segment (whole when k6 was given none); not callable in
 * the init context. A segment the instances cannot share stops the test
 * with one line (k6's "test aborted: ...", exit code 108): past the init
 * context, a thrown message would drag a stack trace along.
 */
export function currentSegment(): InstanceSegment {
  const options = exec.test.options as { executionSegment?: string | null; executionSegmentSequence?: string | null };
  try {
    return instanceSegment(options.executionSegment, options.executionSegmentSequence);
  } catch (err) {
    if (err instanceof ConfigError) exec.test.abort(`k6-llm: ${err.message}`);
    throw err;
  }
}

// Module state is per VU: every VU has its own JavaScript runtime.
const users = new Map<string, number>();

/**
 * This VU's user number in its current closed-pool (constant-vus) scenario,
 * global across instances: the scenario's iterationInTest of the VU's first
 * iteration. All of a pool's VUs start together, so their first iterations
 * take the first numbers of the instance's stripe, and the instances' first
 * numbers together are 0..VUS−1, the users of a single instance (whichever
 * VU happens to carry each).
 */
export function closedPoolUser(): number {
  const info = scenarioInfo();
  const scenario = info.name;
  let user = users.get(scenario);
  if (user === undefined) {
    user = info.iterationInTest;
    users.set(scenario, user);
  }
  return user;
}

/** What a driver says under a segment (src/k6/drivers/driver.ts's underSegment). */
type SegmentWord = { refuse: string } | { note: string };

/**
 * setup()'s lines for this instance's segment (none for a whole test): where
 * it stands and that its figures are its share's, then each workload's note.
 * Stops the test, in one line, at the first refusal of a workload that
 * cannot be split.
 */
export function segmentLines(drivers: readonly { underSegment?: (at: InstanceSegment) => SegmentWord }[]): string[] {
  const at = currentSegment();
  if (at.whole) return [];
  const words = drivers.map((d) => d.underSegment?.(at)).filter((w): w is SegmentWord => w !== undefined);
  for (const w of words) if ('refuse' in w) exec.test.abort(`k6-llm: ${w.refuse}`);
  const probe = segmentShare(1, at).length > 0 ? 'here' : 'on another instance';
  return [
    `execution segment ${at.segment} of ${at.sequence}: this instance sends its share of the test (generator probe: ${probe}); ` +
      `its percentiles, TTFT spread and thresholds are its share's: merge the instances (npx k6-llm merge) for the test's`,
    ...words.map((w) => (w as { note: string }).note),
  ];
}
