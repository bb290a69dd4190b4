// The k6-side clock: milliseconds since the test started, sub-ms resolution.
import exec from 'k6/execution';

/** Current test-run time in ms (fractional); monotonic within one instance. */
export function nowMs(): number {
  return exec.instance.currentTestRunDuration;
}
