// Loading an SLO file into the spec k6-llm judges a workload by: the bundled
// default of a workload (thresholds/<workload>.json), a bundled profile
// (relaxed), a file of one's own, or none. Read in the init context; a bad
// file stops the run there, in one line naming the file and key.

import { oneLine } from '../k6/load-config.ts';
import { selectThresholds } from '../thresholds/select.ts';
import type { ThresholdSpec } from '../thresholds/threshold-file.ts';

/** A validated SLO: k6 thresholds on the workload's metrics, per-request bounds (goodput) and the TTFT stability bound. */
export type Slo = ThresholdSpec;

/**
 * The SLO `choice` names for `workload`: '' (the workload's bundled default,
 * none when it has none), 'none', a bundled profile such as 'relaxed', or a
 * path to a .json file (k6 resolves it against the script's folder).
 */
export function loadSlo(choice: string, workload: string): Slo | null {
  return oneLine(() => selectThresholds(choice.trim(), workload, (path) => open(path)));
}
