// Reads the configuration in a scenario's init context, with the workload's
// scope check (src/workload-scope.ts). A ConfigError is re-thrown as a plain
// string: k6 then prints just the message, one line, where an Error would
// drag a stack trace through the log line.
import type { Config } from '../config/config.ts';
import { ConfigError } from '../errors.ts';
import type { WorkloadName } from '../config/knob.ts';
import { parseWorkloadConfig } from '../config/scope.ts';

/** Runs an init-context step, turning a ConfigError into k6's one-line failure. */
export function oneLine<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof ConfigError) throw `k6-llm: ${err.message}`;
    throw err;
  }
}

/** parseConfig(__ENV) and the scope check of `workload`, with k6-friendly one-line failures. */
export function loadConfig(env: Record<string, string | undefined>, workload: WorkloadName): Config {
  return oneLine(() => parseWorkloadConfig(env, workload));
}
