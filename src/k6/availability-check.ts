// End-of-test availability check: k6 thresholds cannot bound the worst time
// window, so teardown computes it from every VU's logged outcomes and emits
// llm_availability_worst_window, which a thresholds file can bound.
import { availabilityReport } from '../measure/availability.ts';
import { loggedOutcomes } from './meter-store.ts';
import { llmAvailabilityWorstWindow } from './metrics.ts';

/** Emits llm_availability_worst_window{workload} when the outcomes were logged. */
export function emitWorstWindow(workload: string, windowMs: number): void {
  const outcomes = loggedOutcomes(workload);
  if (!outcomes || outcomes.length === 0) return;
  const worst = availabilityReport(outcomes, windowMs).worstWindow;
  if (worst?.availability != null) llmAvailabilityWorstWindow.add(worst.availability, { workload });
}
