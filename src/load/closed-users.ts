// A closed pool of users as a k6 scenario: `vus` users, each sending its
// next request when its last one ended, for the scenario's duration (the
// user's number and the pause after a failure: users.ts). Pure.

import { formatDuration, parseDurationMs } from '../duration.ts';
import { invalid } from '../errors.ts';
import { oneLine } from '../k6/load-config.ts';
import type { ScenarioOptions } from '../workloads/options.ts';

/** A closed pool of users. */
export interface ClosedUsersOptions {
  /** Users (VUs), each with one request in flight at a time. */
  vus: number;
  /** How long the users send: a duration such as '2m', or ms. */
  duration: string | number;
  /** How long in-flight requests may finish after it (default 30s, k6's). */
  gracefulStop?: string | number;
  /** The function each iteration runs (an export of the script; default: the default export). */
  exec?: string;
  /** Tags of every sample of the scenario (e.g. { workload: 'chat' }). */
  tags?: Record<string, string>;
  /** When the scenario starts after the test's start (default 0). */
  startTime?: string | number;
}

/** A constant-vus k6 scenario of `vus` users for `duration`. */
export function closedUsers(options: ClosedUsersOptions): ScenarioOptions {
  return oneLine(() => {
    if (!Number.isInteger(options.vus) || options.vus < 1) throw invalid('vus', 'a whole number of users >= 1', options.vus);
    return {
      executor: 'constant-vus',
      vus: options.vus,
      duration: durationText('duration', options.duration),
      ...(options.gracefulStop !== undefined ? { gracefulStop: durationText('gracefulStop', options.gracefulStop) } : {}),
      ...(options.startTime !== undefined ? { startTime: durationText('startTime', options.startTime) } : {}),
      ...(options.exec !== undefined ? { exec: options.exec } : {}),
      ...(options.tags !== undefined ? { tags: options.tags } : {}),
    };
  });
}

/** A duration option as k6 writes it. */
export function durationText(name: string, value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw invalid(name, 'a duration such as "30s", or ms >= 0', value);
    return formatDuration(value);
  }
  if (parseDurationMs(value) === null) throw invalid(name, 'a duration such as 500ms, 30s or 2m', value);
  return value;
}
