// Registry of protocol adapters by name.
import { invalid } from '../errors.ts';
import { anthropicMessages } from './anthropic-messages.ts';
import { openaiChat } from './openai-chat.ts';
import { openaiEmbeddings } from './openai-embeddings.ts';
import { openaiCompletions } from './openai-completions.ts';
import { openaiResponses } from './openai-responses.ts';
import type { ProtocolAdapter } from './protocol.ts';
import { tgi } from './tgi.ts';

/** The wire protocols k6-llm speaks (LLM_PROTOCOL, the Client's protocol option). */
export type ProtocolName = 'openai-chat' | 'openai-completions' | 'anthropic-messages' | 'openai-responses' | 'tgi' | 'openai-embeddings';

// Keyed by hand so the compiler holds the names to ProtocolName; an adapter's own name must match (tested).
const BY_NAME = {
  'openai-chat': openaiChat,
  'openai-embeddings': openaiEmbeddings,
  'openai-completions': openaiCompletions,
  'anthropic-messages': anthropicMessages,
  'openai-responses': openaiResponses,
  tgi,
} satisfies Record<ProtocolName, ProtocolAdapter>;
/** Every adapter, by the name LLM_PROTOCOL selects. */
export const PROTOCOLS: Readonly<Record<string, ProtocolAdapter>> = BY_NAME;

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
