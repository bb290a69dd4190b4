// What every workload's k6 driver provides: its scenario, thresholds, the
// iteration function, and what the summary needs to report it.
import type { WorkloadRunInfo } from '../../run-info.ts';
import type { ThresholdSpec } from '../../thresholds/threshold-file.ts';
import type { ScenarioOptions } from '../../workloads/options.ts';
import type { RunStart } from '../arrivals.ts';

/** A workload ready to run inside one k6 script. */
export interface Driver {
  workload: string;
  spec: ThresholdSpec | null;
  /** The k6 scenario; its exec is the workload's name. */
  scenario: ScenarioOptions;
  info: WorkloadRunInfo;
  /** One iteration (setup's RunStart as data). */
  run(start: RunStart): void;
}
