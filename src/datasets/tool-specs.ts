// Tool definitions (LLM_TOOLS, a dataset line's `tools`), read in any of the
// three shapes users already have: OpenAI chat ({type: function, function:
// {name, description, parameters}}), Responses ({type: function, name,
// parameters}) or Anthropic ({name, description, input_schema}). Each becomes
// the neutral ToolSpec that every adapter maps to its own API's shape. Pure.

import { ConfigError, quote } from '../errors.ts';
import type { ToolSpec } from '../protocols/protocol.ts';

/** How a tools value may be written, for error messages. */
export const TOOLS_SHAPE =
  'a list of tools, each {"type": "function", "function": {"name", "description", "parameters"}}, {"type": "function", "name", "parameters"} or {"name", "description", "input_schema"}';

/** The tools of `value` (a list, or an object with a `tools` list); `where` names the source in errors (variable, file, line). */
export function parseTools(value: unknown, variable: string, where: string): ToolSpec[] {
  const fail = (expected: string, got: unknown): ConfigError =>
    new ConfigError('invalid-value', variable, `invalid ${where}; expected ${expected}, got ${quote(got)}`);
  const list = isObject(value) && Array.isArray(value.tools) ? value.tools : value;
  if (!Array.isArray(list) || list.length === 0) throw fail(`${TOOLS_SHAPE} (at least one)`, list);
  return list.map((item: unknown, i: number) => {
    const t = isObject(item) && item.type === 'function' && isObject(item.function) ? item.function : item;
    if (!isObject(t) || typeof t.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(t.name)) {
      throw fail(`tools[${i}] with a name of 1-64 letters, digits, _ . or - (${TOOLS_SHAPE})`, item);
    }
    const parameters = t.parameters ?? t.input_schema ?? { type: 'object', properties: {} };
    if (!isObject(parameters)) throw fail(`tools[${i}].parameters (or input_schema) as a JSON Schema object`, parameters);
    if (t.description !== undefined && typeof t.description !== 'string') throw fail(`tools[${i}].description as a string`, t.description);
    return { name: t.name, ...(typeof t.description === 'string' ? { description: t.description } : {}), parameters };
  });
}

/** Parses the text of a tools file (JSON: a list, or {"tools": [...]}) named path. */
export function parseToolsFile(text: string, path: string): ToolSpec[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError('invalid-value', 'LLM_TOOLS', `invalid LLM_TOOLS file ${path}; expected JSON (${TOOLS_SHAPE}), got text that is not JSON`);
  }
  return parseTools(value, 'LLM_TOOLS', `LLM_TOOLS file ${path}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
