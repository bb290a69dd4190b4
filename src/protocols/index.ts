// Registry of protocol adapters by name.
import { invalid } from '../errors.ts';
import { anthropicMessages } from './anthropic-messages.ts';
import { openaiChat } from './openai-chat.ts';
import { openaiEmbeddings } from './openai-embeddings.ts';
import { openaiCompletions } from './openai-completions.ts';
import { openaiResponses } from './openai-responses.ts';
import type { ProtocolAdapter } from './protocol.ts';
import { tgi } from './tgi.ts';

/** Every adapter, by the name LLM_PROTOCOL selects. */
export const PROTOCOLS: Readonly<Record<string, ProtocolAdapter>> = {
  [openaiChat.name]: openaiChat,
  [openaiEmbeddings.name]: openaiEmbeddings,
  [openaiCompletions.name]: openaiCompletions,
  [anthropicMessages.name]: anthropicMessages,
  [openaiResponses.name]: openaiResponses,
  [tgi.name]: tgi,
};

/** The adapter named `name`; throws a ConfigError naming the choices. */
export function protocolByName(name: string): ProtocolAdapter {
  const adapter = PROTOCOLS[name];
  if (!adapter) throw invalid('LLM_PROTOCOL', `one of ${Object.keys(PROTOCOLS).join(', ')}`, name);
  return adapter;
}

/** True when LLM_PROTOCOL names an embeddings API (never streamed; batch only). */
export function isEmbeddingProtocol(name: string): boolean {
  return PROTOCOLS[name]?.kind === 'embedding';
}
