// OpenAI-compatible /v1/embeddings (vLLM, TEI's OpenAI route, llama.cpp,
// Ollama, OpenAI itself), for the batch workload: one request embeds a list
// of inputs and answers one JSON body, never a stream, so only E2E, the
// number of embeddings and usage.prompt_tokens are observable.

import {
  bearerHeaders,
  emptyCompletionInfo,
  PARSED,
  resetChunkInfo,
  type ChunkKind,
  type ChunkInfo,
  type CompletionInfo,
  type GenerationRequest,
  type ProtocolAdapter,
} from './protocol.ts';

/** The OpenAI embeddings adapter. */
export const openaiEmbeddings: ProtocolAdapter = {
  name: 'openai-embeddings',
  path: '/embeddings',
  kind: 'embedding',
  supportsTools: false,
  supportsImages: false,
  headers: bearerHeaders,

  buildBody(request: GenerationRequest): string {
    // Float vectors stated outright: some servers default to base64 (both are read).
    const body: Record<string, unknown> = { model: request.model, input: request.inputs ?? [], encoding_format: 'float' };
    if (request.extraBody) Object.assign(body, request.extraBody);
    return JSON.stringify(body);
  },

  readChunk(_data: string, into: ChunkInfo): ChunkKind {
    // Embeddings are never streamed: any event is not this protocol's.
    resetChunkInfo(into);
    into.malformed = true;
    return PARSED;
  },

  readCompletion(body: string): CompletionInfo {
    // Embeddings generate no tokens: 0 output tokens, not unknown.
    const info: CompletionInfo = { ...emptyCompletionInfo(), outputTokens: 0, embeddings: 0 };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      info.malformed = true;
      return info;
    }
    if (!isObject(parsed)) {
      info.malformed = true;
      return info;
    }
    const error = errorMessage(parsed.error);
    if (error !== null) {
      info.error = error;
      return info;
    }
    const data = parsed.data;
    if (!Array.isArray(data) || !data.every(isEmbedding) || !sameDimension(data)) {
      info.malformed = true;
      return info;
    }
    info.embeddings = data.length;
    info.hasOutput = data.length > 0;
    const usage = parsed.usage;
    if (isObject(usage) && typeof usage.prompt_tokens === 'number') info.promptTokens = usage.prompt_tokens;
    return info;
  },
};

/** One data[] item: an object whose embedding is a non-empty number list or a base64 string. */
function isEmbedding(item: unknown): boolean {
  if (!isObject(item)) return false;
  const v = item.embedding;
  if (typeof v === 'string') return v.length > 0;
  return Array.isArray(v) && v.length > 0 && typeof v[0] === 'number';
}

/** Float vectors of one response have one dimension; a shorter one was cut or broken. */
function sameDimension(data: unknown[]): boolean {
  let dimension = -1;
  for (const item of data) {
    const v = (item as { embedding: unknown }).embedding;
    if (!Array.isArray(v)) continue;
    if (dimension === -1) dimension = v.length;
    else if (v.length !== dimension) return false;
  }
  return true;
}

function errorMessage(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.message === 'string') return value.message;
  return JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
