// A request log in front of the mock server for integration tests: a small
// HTTP proxy that records every request body it forwards (parsed JSON) and
// streams the mock's answer back unchanged, so a test can assert what k6
// actually sent (prompts, max_tokens, ignore_eos) without touching the mock.

import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the endpoint received it. */
export interface CapturedRequest {
  method: string;
  path: string;
  /** The JSON body, or null when it was empty or not JSON. */
  body: Record<string, unknown> | null;
  /** When the proxy had the whole request (epoch ms, sub-ms resolution). */
  atMs: number;
}

/** A running capture proxy: its base URL (use as LLM_BASE_URL), the log so far, and close(). */
export interface Capture {
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

/** Starts a proxy to `upstream` (a base URL such as http://127.0.0.1:PORT/v1) on a free loopback port. */
export async function startCapture(upstream: string): Promise<Capture> {
  const target = new URL(upstream);
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: Record<string, unknown> | null = null;
      try {
        body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', body, atMs: performance.timeOrigin + performance.now() });
      const up = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      // A client that goes away ends the upstream stream too (the mock frees its slot).
      res.on('close', () => up.destroy());
      up.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/+$/, '')}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The generation requests of a log (POSTs with a messages array). */
export function generationRequests(log: readonly CapturedRequest[]): { messages: { role: string; content: string }[]; max_tokens?: number; [key: string]: unknown }[] {
  return log.filter((r) => r.method === 'POST' && Array.isArray(r.body?.messages)).map((r) => r.body as never);
}
