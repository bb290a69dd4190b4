// One OpenAI chat-completions streaming exchange as the mock server puts it
// on the wire (HTTP/1.1, chunked, one chunk per write), written into a
// Conversation at chosen times and cuts, for the wire-truth tests.

import { bytes, type Conversation, type SynthSegment } from './pcap-writer.ts';

const head = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"mock-llm","choices":[';

/** The mock's events, by kind. */
export const EVENTS = {
  role: `${head}{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}`,
  token: (text: string) => `${head}{"index":0,"delta":{"content":"${text}"},"finish_reason":null}]}`,
  finish: `${head}{"index":0,"delta":{},"finish_reason":"length"}]}`,
  usage: `${head}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}`,
  done: '[DONE]',
};

/** An SSE event's bytes. */
export const sse = (data: string, crlf = false): string => (crlf ? `data: ${data}\r\n\r\n` : `data: ${data}\n\n`);
/** One HTTP chunk. */
export const httpChunk = (body: string): string => `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n`;

export const REQUEST_BODY = JSON.stringify({ model: 'mock-llm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3, stream: true, stream_options: { include_usage: true } });
export const REQUEST = `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: ${REQUEST_BODY.length}\r\n\r\n${REQUEST_BODY}`;
export const RESPONSE_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=65\r\nTransfer-Encoding: chunked\r\n\r\n';

/**
 * Sends `text` as segments cut at the given byte offsets, the i-th piece at
 * times[i] ms (one time per piece: cuts.length + 1 times). Returns the segments.
 */
export function sendCut(conv: Conversation, fromClient: boolean, text: string, cuts: number[], times: number[]): SynthSegment[] {
  const b = bytes(text);
  const edges = [0, ...cuts, b.length];
  const out: SynthSegment[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const piece = b.subarray(edges[i]!, edges[i + 1]!);
    const ms = times[i]!;
    out.push(fromClient ? conv.client_(ms, piece) : conv.server_(ms, piece));
  }
  return out;
}

/**
 * The mock's writes for a 3-token stream: head + role chunk at `roleMs`,
 * one chunk per token at tokenMs[i], the last token's chunk carrying the
 * finish, usage and [DONE] events, and the terminating 0-chunk.
 */
export function mockWrites(crlf: boolean): { roleWrite: string; tokenWrites: string[] } {
  const roleWrite = RESPONSE_HEAD + httpChunk(sse(EVENTS.role, crlf));
  const tokenWrites = [
    httpChunk(sse(EVENTS.token('a'), crlf)),
    httpChunk(sse(EVENTS.token('b'), crlf)),
    httpChunk(sse(EVENTS.token('c'), crlf) + sse(EVENTS.finish, crlf) + sse(EVENTS.usage, crlf) + sse(EVENTS.done, crlf)) + '0\r\n\r\n',
  ];
  return { roleWrite, tokenWrites };
}
