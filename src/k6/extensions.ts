// Optional k6 extensions, looked up at run time: a binary may have xk6-sse or
// not. require() is provided by k6 and throws for a module the binary lacks,
// so a script bundles and runs without it.

declare const require: (id: string) => unknown;

/** require(id), or null when this k6 binary does not have the module. */
export function optionalModule<T>(id: string): T | null {
  try {
    return require(id) as T;
  } catch {
    return null;
  }
}
