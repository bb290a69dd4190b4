// Two warnings about what a run's prompts made the server do, from two
// metrics the transport records per request (src/k6/prompt-observer.ts):
// - a run whose requests repeat the prompt their VU just sent measures the
//   server's prompt cache, not its prefill (llama.cpp reuses the KV cache of
//   an identical last prompt: TTFT fell from ~150 ms to ~22 ms here);
// - a server that reports far fewer prompt tokens than the characters sent
//   can hold lost the prompt (a peer tool's typed content parts were
//   rendered by llama.cpp's Gemma template as a 1-token prompt, and the run
//   looked normal).
// Pure: counts in, a line or null out.

/** A share at or above which repeated prompts make the run a prompt-cache measurement. */
export const REPEATED_SHARE_WARN = 0.5;
/** Characters per token assumed for the estimate of what was sent (English text, common tokenizers). */
export const CHARS_PER_TOKEN = 4;
/** Reported prompt tokens below this share of the estimate mean the prompt was lost. */
export const LOST_PROMPT_SHARE = 0.25;
/** Fewer characters than this (with usage) are too few to judge. */
export const LOST_PROMPT_MIN_CHARS = 40;

/** What llm_prompt_repeated counted for a workload. */
export interface PromptRepeats {
  /** Requests whose messages were identical to their VU's previous request. */
  repeated: number;
  /** Requests counted (repeated or not). */
  requests: number;
}

/** The warning for a run that mostly (or only) repeated its prompts; null otherwise. */
export function promptCacheWarning(workload: string, r: PromptRepeats): string | null {
  if (r.requests === 0 || r.repeated === 0 || r.repeated / r.requests < REPEATED_SHARE_WARN) return null;
  // A VU's first request repeats nothing: a fixed prompt shows as all but one request per VU.
  const what = r.repeated === r.requests ? 'every request' : `${r.repeated} of ${r.requests} requests`;
  return (
    `${workload}: ${what} sent the same prompt its VU had just sent (LLM_PROMPT, or a dataset of one line?): a server with a prompt ` +
    "cache (llama.cpp reuses the KV cache of an identical last prompt) skips their prefill, so TTFT measures the cache, not the " +
    'prefill; use distinct prompts (the bundled demo prompts, LLM_PROMPT_TOKENS or a dataset)'
  );
}

/** What llm_prompt_tokens and llm_prompt_chars counted for a workload (the same requests: those whose answer reported usage). */
export interface PromptSizes {
  /** Prompt tokens the server reported in usage. */
  promptTokens: number;
  /** Characters of message content sent in those requests. */
  promptChars: number;
}

/** The warning for a server that reported far fewer prompt tokens than were sent; null otherwise. */
export function promptLostWarning(workload: string, s: PromptSizes): string | null {
  if (s.promptChars < LOST_PROMPT_MIN_CHARS) return null;
  const estimate = s.promptChars / CHARS_PER_TOKEN;
  if (s.promptTokens >= LOST_PROMPT_SHARE * estimate) return null;
  return (
    `${workload}: the server reported ${s.promptTokens} prompt tokens for ${s.promptChars} characters of prompt sent ` +
    `(about ${Math.round(estimate)} tokens at ${CHARS_PER_TOKEN} characters a token): it lost most of the prompt (a chat template ` +
    'that drops typed content parts renders such a prompt as nearly empty), so these figures are for an empty prompt; check ' +
    "the request format against the server's"
  );
}
