// Chooses a workload's thresholds file from LLM_THRESHOLDS: the bundled
// default, a bundled profile, a user file, or none.

import { ConfigError, invalid } from '../errors.ts';
import { BUNDLED_THRESHOLDS } from './bundled.ts';
import { parseThresholdFile, validateThresholdSpec, type ThresholdSpec } from './threshold-file.ts';

const PROFILE = /^[a-z0-9][a-z0-9-]*$/;

/** The spec to apply, or null for none. readFile reads a user's file (k6's open() in k6). */
export function selectThresholds(choice: string, workload: string, readFile: (path: string) => string): ThresholdSpec | null {
  if (choice === 'none') return null;
  if (choice === '' || PROFILE.test(choice)) {
    const name = choice === '' ? workload : `${workload}.${choice}`;
    const bundled = BUNDLED_THRESHOLDS[name];
    if (bundled === undefined) {
      if (choice === '') return null;
      const profiles = Object.keys(BUNDLED_THRESHOLDS)
        .filter((k) => k.startsWith(`${workload}.`))
        .map((k) => k.slice(workload.length + 1));
      throw invalid(
        'LLM_THRESHOLDS',
        `a path to a .json file, none, or a profile of ${workload} (${profiles.join(', ') || 'none bundled'})`,
        choice,
      );
    }
    return validateThresholdSpec(bundled, `thresholds/${name}.json${choice === '' ? ' (default)' : ''}`);
  }
  let text: string;
  try {
    text = readFile(choice);
  } catch (err) {
    throw new ConfigError(
      'invalid-value',
      'LLM_THRESHOLDS',
      `invalid LLM_THRESHOLDS; expected a readable thresholds file, got "${choice}" (${String((err as Error).message ?? err).split('\n')[0]}; ` +
        "k6 resolves relative paths against the script's folder: give an absolute path)",
    );
  }
  return parseThresholdFile(text, choice);
}
