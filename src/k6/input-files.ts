// The run's input files, read in the init context with k6's open() and
// parsed once per process into a SharedArray: the prompts dataset
// (LLM_DATASET), the tools (LLM_TOOLS) and the trace (LLM_TRACE). A bad file stops the run before
// any load, with one line naming the file (and line).
import { SharedArray } from 'k6/data';
import type { Arrival } from '../arrivals/index.ts';
import { parseTrace } from '../arrivals/trace.ts';
import type { Config } from '../config/config.ts';
import { parseDataset, refuseDatasetTools, type DatasetItem } from '../datasets/prompt-dataset.ts';
import { parseToolsFile } from '../datasets/tool-specs.ts';
import type { ToolSpec } from '../protocols/protocol.ts';
import { ConfigError } from '../errors.ts';
import type { Indexed } from '../workloads/prompts.ts';
import { oneLine } from './load-config.ts';

/** LLM_DATASET, parsed once per process, or null. */
export function loadDataset(config: Config): Indexed<DatasetItem> | null {
  const path = config.prompts.dataset;
  if (path === null) return null;
  return oneLine(
    () =>
      new SharedArray(`k6-llm dataset ${path}`, () => refuseDatasetTools(parseDataset(readFile(path, 'LLM_DATASET'), path), path, config.endpoint.protocol)) as unknown as Indexed<DatasetItem>,
  );
}

/** LLM_TOOLS, parsed once per process, or null. */
export function loadTools(config: Config): ToolSpec[] | null {
  const path = config.request.tools;
  if (path === null) return null;
  return oneLine(() => new SharedArray(`k6-llm tools ${path}`, () => parseToolsFile(readFile(path, 'LLM_TOOLS'), path)) as unknown as ToolSpec[]);
}

/** LLM_TRACE, parsed once per process, or null. */
export function loadTrace(config: Config): Arrival[] | null {
  const path = config.load.trace;
  if (path === null) return null;
  return oneLine(() => new SharedArray(`k6-llm trace ${path}`, () => parseTrace(readFile(path, 'LLM_TRACE'), path)) as unknown as Arrival[]);
}

function readFile(path: string, variable: string): string {
  try {
    return open(path);
  } catch (err) {
    throw new ConfigError(
      'invalid-value',
      variable,
      `invalid ${variable}; expected a readable file, got "${path}" (${String((err as Error).message ?? err).split('\n')[0]}; ` +
        "k6 resolves relative paths against the script's folder: give an absolute path)",
    );
  }
}
