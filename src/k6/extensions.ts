// Optional k6 extensions, looked up at run time: a binary may have k6-llm's
// k6/x/llmstream, xk6-sse, or both. require() is provided by k6 and throws
// for a module the binary lacks, so a script bundles without either.

declare const require: (id: string) => unknown;

/** The k6/x/llmstream module's API. */
export type LlmStreamModule = typeof import('k6/x/llmstream');

/** require(id), or null when this k6 binary does not have the module. */
export function optionalModule<T>(id: string): T | null {
  try {
    return require(id) as T;
  } catch {
    return null;
  }
}

/** k6-llm's own extension, when the binary has it. */
export const llmstream: LlmStreamModule | null = optionalModule<LlmStreamModule>('k6/x/llmstream');
