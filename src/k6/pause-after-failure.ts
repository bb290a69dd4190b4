// The k6 side of FailureBackoff: after a failed request the VU sleeps (and
// counts the pause in llm_backoff_ms), never past the end of its scenario,
// so a closed-model VU does not hammer a failing endpoint.
import { sleep } from 'k6';
import exec from 'k6/execution';
import { FailureBackoff } from '../measure/failure-backoff.ts';
import type { RequestRecord } from '../measure/request-record.ts';
import { llmBackoffMs } from './metrics.ts';

// Module state is per VU: every VU has its own JavaScript runtime.
const backoff = new FailureBackoff();

/** Pauses this VU after `record` when it failed; `scenarioMs` is the scenario's length (ms) from its start. */
export function pauseAfterFailure(record: RequestRecord, scenarioMs: number): void {
  const remaining = exec.scenario.startTime + scenarioMs - Date.now();
  const ms = backoff.pauseMs(record, remaining);
  if (ms <= 0) return;
  llmBackoffMs.add(ms);
  sleep(ms / 1000);
}
