// Records two facts about each request's prompt beside the transport, for
// the summary's prompt warnings (src/summary/prompt-warnings.ts):
// llm_prompt_repeated (its messages are identical to the previous request of
// the same VU) and llm_prompt_chars (characters of message content, counted
// for the requests whose answer reported prompt tokens, as llm_prompt_tokens
// is). Each VU has its own JavaScript runtime, so "the previous request" is
// this module's state in that VU. Requests cut by the end of the test are
// left out, as the recorder leaves them out.
import type { Transport } from './transport.ts';
import { promptChars, promptKey } from '../workloads/prompt-identity.ts';
import { llmPromptChars, llmPromptRepeated } from './metrics.ts';

/** The transport, sending as before and recording each request's prompt facts. */
export function observePrompts(transport: Transport): Transport {
  let last: number | null = null;
  return {
    name: transport.name,
    send(request, meta) {
      const record = transport.send(request, meta);
      if (record.error === 'interrupted') return record;
      const key = promptKey(request);
      llmPromptRepeated.add(key === last);
      last = key;
      if (record.promptTokens !== null) llmPromptChars.add(promptChars(request));
      return record;
    },
  };
}
