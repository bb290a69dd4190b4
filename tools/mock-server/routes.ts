// Paths to handlers, and the one request listener in front of them: it reads
// the body (stamping t0, the moment the whole request is in), checks the key
// (x-api-key on /v1/messages, else a bearer key on /v1/* and TGI's
// /generate*), dispatches by "METHOD /path", and turns what a handler throws
// into an answer: a RequestError's status, else a 500.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockContext } from './context.ts';
import { checkAnthropicHeaders, handleMessages } from './handlers/anthropic-messages.ts';
import { handleChatCompletions } from './handlers/chat-completions.ts';
import { handleCompletions } from './handlers/completions.ts';
import { handleEmbeddings } from './handlers/embeddings.ts';
import { getConfig, getMetrics, getStats, postConfig, resetStats } from './handlers/control.ts';
import { listModels } from './handlers/models.ts';
import { handleResponses } from './handlers/responses.ts';
import { handleGenerate, handleGenerateStream } from './handlers/tgi.ts';
import { errorBody, RequestError } from './request-error.ts';
import { sendJson } from './respond.ts';

/** Answers one request; `t0` is when its body was fully received (ctx.clock ms). May throw RequestError. */
export type Handler = (ctx: MockContext, res: ServerResponse, body: string, t0: number) => void;

/** Every route the mock answers, by "METHOD /path"; anything else is a 404. */
export const ROUTES: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['POST /v1/chat/completions', handleChatCompletions],
  ['POST /v1/completions', handleCompletions],
  ['POST /v1/messages', handleMessages],
  ['POST /v1/responses', handleResponses],
  ['POST /generate', handleGenerate],
  ['POST /generate_stream', handleGenerateStream],
  ['POST /v1/embeddings', handleEmbeddings],
  ['GET /v1/models', (_ctx, res) => listModels(res)],
  ['GET /mock/stats', getStats],
  ['GET /mock/config', getConfig],
  ['POST /mock/config', postConfig],
  ['POST /mock/reset-stats', resetStats],
  ['GET /metrics', getMetrics],
]);

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Refuses a /v1/* or /generate* request without the configured bearer key (control endpoints stay open). */
function checkApiKey(apiKey: string | null, path: string, header: string | undefined): void {
  if (!(path.startsWith('/v1/') || path.startsWith('/generate')) || apiKey === null) return;
  if (header === undefined || !/^Bearer\s/i.test(header)) {
    throw new RequestError(401, "You didn't provide an API key. Use 'Authorization: Bearer <key>'.", 'invalid_api_key');
  }
  if (header.slice(7).trim() !== apiKey) {
    throw new RequestError(401, 'Incorrect API key provided.', 'invalid_api_key');
  }
}

/** Checks the key and runs the route's handler; throws RequestError (401, 404, or the handler's). */
function route(ctx: MockContext, req: IncomingMessage, res: ServerResponse, body: string, t0: number): void {
  const path = (req.url ?? '/').split('?')[0]!;
  const method = req.method ?? 'GET';
  if (path === '/v1/messages') checkAnthropicHeaders(ctx.config().apiKey, req.headers);
  else checkApiKey(ctx.config().apiKey, path, req.headers.authorization);
  const handler = ROUTES.get(`${method} ${path}`);
  if (handler === undefined) throw new RequestError(404, `Unknown request URL: ${method} ${path}.`, 'unknown_url');
  handler(ctx, res, body, t0);
}

/** The server's request listener: whole body in (up to 16 MiB, else 413), then the route, then error answers. */
export function createRequestListener(ctx: MockContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size <= MAX_BODY_BYTES) parts.push(part);
    });
    req.on('end', () => {
      // t0 of the token schedule: the moment the whole request is in.
      const t0 = ctx.clock.now();
      try {
        if (size > MAX_BODY_BYTES) throw new RequestError(413, `Request body too large; the limit is ${MAX_BODY_BYTES} bytes.`);
        route(ctx, req, res, Buffer.concat(parts).toString('utf8'), t0);
      } catch (err) {
        if (err instanceof RequestError) {
          sendJson(res, err.status, err.body ?? errorBody(err.message, err.code));
        } else {
          const message = err instanceof Error ? err.message : String(err);
          if (!res.headersSent) sendJson(res, 500, JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } }));
          else res.destroy();
        }
      }
    });
  };
}
