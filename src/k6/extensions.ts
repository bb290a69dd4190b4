// Optional k6 extensions, looked up at run time: a binary may have xk6-sse or
// not. require() is provided by k6. For a module the binary lacks, k6 before
// v1.4 throws, and k6 v1.4 and later (k6 PR #5240) hand back an empty
// module; so an extension is known by what it exports, not by require()
// succeeding, and a script bundles and runs without it.

import type { SseOpen } from './sse-stream.ts';

declare const require: (id: string) => unknown;

/** require(id), or null when this k6 binary does not have the module and require() throws (k6 before v1.4). */
export function optionalModule<T>(id: string): T | null {
  try {
    return require(id) as T;
  } catch {
    return null;
  }
}

/**
 * xk6-sse's module from what require('k6/x/sse') gave: the object whose
 * `open` is a function (the module itself or its default export), or null
 * when there is none: require() threw (null in), or k6 gave an empty module.
 */
export function sseOpenFrom(module: unknown): SseOpen | null {
  const withOpen = (m: unknown): m is SseOpen => typeof m === 'object' && m !== null && typeof (m as { open?: unknown }).open === 'function';
  if (withOpen(module)) return module;
  const fallback = typeof module === 'object' && module !== null ? (module as { default?: unknown }).default : undefined;
  return withOpen(fallback) ? fallback : null;
}
