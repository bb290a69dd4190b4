// Reads the configuration in a scenario's init context. A ConfigError is
// re-thrown as a plain string: k6 then prints just the message, one line,
// where an Error would drag a stack trace through the log line.
import { parseConfig, type Config } from '../config.ts';
import { ConfigError } from '../errors.ts';

/** parseConfig(__ENV), with k6-friendly one-line failures. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw `k6-llm: ${err.message}`;
    throw err;
  }
}
