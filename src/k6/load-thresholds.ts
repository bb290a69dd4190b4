// Reads the workload's thresholds file in the init context (k6's open()),
// failing with one line before any load when it is unreadable or invalid.
import type { Config } from '../config/config.ts';
import { ConfigError } from '../errors.ts';
import { selectThresholds } from '../thresholds/select.ts';
import type { ThresholdSpec } from '../thresholds/threshold-file.ts';

/** The thresholds spec LLM_THRESHOLDS selects for `workload`, or null. */
export function loadThresholds(config: Config, workload: string): ThresholdSpec | null {
  try {
    return selectThresholds(config.report.thresholds, workload, (path) => open(path));
  } catch (err) {
    // A plain string makes k6 print just the message (see load-config.ts).
    if (err instanceof ConfigError) throw `k6-llm: ${err.message}`;
    throw err;
  }
}
