// JSON Lines reading shared by datasets and traces: one JSON object per
// non-blank line, with the 1-based line number kept for error messages.

/** One parsed line of a JSONL file. */
export interface JsonLine {
  /** 1-based line number in the file. */
  line: number;
  value: Record<string, unknown>;
}

/**
 * Parses every non-blank line as a JSON object. `fail` builds the error for a
 * line that is not JSON or not an object; `shape` describes the expected object.
 */
export function jsonObjectLines(
  text: string,
  shape: string,
  fail: (line: number, expected: string, got: unknown) => Error,
): JsonLine[] {
  const out: JsonLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw fail(i + 1, `one JSON object per line, ${shape}`, raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fail(i + 1, shape, parsed);
    out.push({ line: i + 1, value: parsed as Record<string, unknown> });
  }
  return out;
}
