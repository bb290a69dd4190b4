// Writing answers: a JSON body with its length, an HTTP error with
// Retry-After, a TCP reset, and the in-stream error event the fault kinds
// malformed and stream_error send.

import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The error object an OpenAI-compatible server sends when generation fails mid-way. */
export const STREAM_ERROR_EVENT = JSON.stringify({
  error: { message: 'The model had an internal error while generating (injected by the mock).', type: 'server_error', param: null, code: 'internal_error' },
});

/** Writes a whole JSON answer with Content-Length. */
export function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Answers with an HTTP error as OpenAI-compatible servers do; 429 and 503 carry Retry-After. */
export function sendStatusFault(res: ServerResponse, status: number, retryAfterS: number, message: string): void {
  const type = status === 429 ? 'rate_limit_error' : 'server_error';
  const body = JSON.stringify({ error: { message, type, param: null, code: null } });
  sendJson(res, status, body, status === 429 || status === 503 ? { 'Retry-After': String(retryAfterS) } : {});
}

/** Kills the connection with a TCP reset (a plain close where resetAndDestroy is missing). */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket as (Socket & { resetAndDestroy?: () => void }) | null;
  if (socket?.resetAndDestroy) socket.resetAndDestroy();
  else socket?.destroy();
}
