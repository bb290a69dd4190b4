// A protocol's "plain token event" test, written as data so that two
// executors share one definition: matchesFastTokenRule here (xk6-sse path,
// unit tests) and the stream meter (Go), which classifies events as it
// reads them so JavaScript never touches the data of a plain token event.
// test/fixtures/fast-token-vectors.json holds every protocol's rule and the cases
// both executors must agree on.

/** When an event's data is a plain output delta and nothing else. All must hold. */
export interface FastTokenRule {
  /** The data starts with this (e.g. "{": a whole JSON object). */
  startsWith: string;
  /** The data ends with this (e.g. "}": not cut off). */
  endsWith: string;
  /** The key whose non-empty string value is the token, e.g. `"content":"`. */
  key: string;
  /** The character that would make the value empty (the closing quote). */
  emptyValueChar: string;
  /** Must appear before `key` (e.g. `"delta":{`: the key sits in a delta). */
  keyInside: string;
  /** None of these may appear (finish reason, usage, error: the full parse handles them). */
  excludes: string[];
}

/** True when data is a plain token event under rule. */
export function matchesFastTokenRule(rule: FastTokenRule, data: string): boolean {
  const at = data.indexOf(rule.key);
  if (at < 0) return false;
  if (data.charAt(at + rule.key.length) === rule.emptyValueChar) return false;
  if (!data.startsWith(rule.startsWith) || !data.endsWith(rule.endsWith)) return false;
  if (data.lastIndexOf(rule.keyInside, at) < 0) return false;
  const excludes = rule.excludes;
  for (let i = 0; i < excludes.length; i++) if (data.indexOf(excludes[i] as string) >= 0) return false;
  return true;
}
