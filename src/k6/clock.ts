// The k6-side clock: milliseconds since the test started, sub-ms resolution.
import { instanceInfo } from './vu-info.ts';

/** Current test-run time in ms (fractional); monotonic within one instance. */
export function nowMs(): number {
  return instanceInfo().currentTestRunDuration;
}
