// What a request's usage said of the server's prompt cache: a hit when it
// reported cached prompt tokens > 0, a miss when it reported 0, neither when
// it reported nothing (the server does not say). One definition for the k6
// recorder and the merge. Pure.

import type { RequestRecord } from './request-record.ts';

/** The `cache` tag of a request's TTFT: `hit`, `miss`, or null when the server did not say. */
export function cacheTag(record: Pick<RequestRecord, 'cachedPromptTokens'>): 'hit' | 'miss' | null {
  const cached = record.cachedPromptTokens;
  return cached === null ? null : cached > 0 ? 'hit' : 'miss';
}
