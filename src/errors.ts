// Typed errors shared by the pure core. Each says what was expected, what was
// got, and where (variable, file or key), so a user can fix input in one go.

/** Discriminant of a ConfigError: what kind of input was wrong. */
export type ConfigErrorType = 'invalid-value' | 'unknown-value' | 'missing-value';

/** Invalid run configuration, detected before any load is sent. */
export class ConfigError extends Error {
  readonly type: ConfigErrorType;
  /** The variable or option at fault, e.g. `LLM_VUS`. */
  readonly variable: string;

  constructor(type: ConfigErrorType, variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.type = type;
    this.variable = variable;
  }
}

/** Builds the standard "invalid X; expected Y, got Z" message. */
export function invalid(variable: string, expected: string, got: unknown): ConfigError {
  return new ConfigError('invalid-value', variable, `invalid ${variable}; expected ${expected}, got ${quote(got)}`);
}

/** Renders a user value for an error message: strings quoted, others as JSON. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
