// Input files, read in the init context with k6's open() and parsed once per
// process into a SharedArray: a prompts dataset, a tools file and a trace. A
// bad file stops the run before any load, with one line naming the file (and
// line); `variable` names the knob or option that gave the path.
import { SharedArray } from 'k6/data';
import encoding from 'k6/encoding';
import type { Arrival } from '../arrivals/index.ts';
import { parseTrace } from '../arrivals/trace.ts';
import { parseDataset, refuseDatasetImages, refuseDatasetTools, resolveImageFiles, type DatasetItem } from '../datasets/prompt-dataset.ts';
import { parseToolsFile } from '../datasets/tool-specs.ts';
import type { ToolSpec } from '../protocols/protocol.ts';
import { ConfigError } from '../errors.ts';
import type { Indexed } from '../workloads/prompts.ts';
import { oneLine } from './load-config.ts';

/**
 * A JSONL prompts dataset, parsed once per process, the image files its
 * lines name read in as data URIs; `protocol`, when given, refuses lines
 * with tools or images it cannot carry.
 */
export function loadDataset(path: string, variable: string, protocol?: string): Indexed<DatasetItem> {
  return oneLine(
    () =>
      new SharedArray(`k6-llm dataset ${path}`, () => {
        const parsed = parseDataset(readFile(path, variable), path);
        if (protocol !== undefined) refuseDatasetImages(refuseDatasetTools(parsed, path, protocol), path, protocol);
        return resolveImageFiles(parsed, path, readBinary, (bytes) => encoding.b64encode(bytes.buffer as ArrayBuffer, 'std'));
      }) as unknown as Indexed<DatasetItem>,
  );
}

/** A file's bytes (k6's open in binary mode); throws with open's own message. */
function readBinary(path: string): Uint8Array {
  return new Uint8Array(open(path, 'b') as unknown as ArrayBuffer);
}

/** A JSON tools file, parsed once per process. */
export function loadTools(path: string, variable: string): ToolSpec[] {
  return oneLine(() => new SharedArray(`k6-llm tools ${path}`, () => parseToolsFile(readFile(path, variable), path)) as unknown as ToolSpec[]);
}

/** A JSONL trace, parsed once per process. */
export function loadTrace(path: string, variable: string): Arrival[] {
  return oneLine(() => new SharedArray(`k6-llm trace ${path}`, () => parseTrace(readFile(path, variable), path)) as unknown as Arrival[]);
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
