// The /mock/* control endpoints (never behind --api-key): read the counters,
// read or change the config of later requests, zero the counters.

import type { ServerResponse } from 'node:http';
import { MockConfigError } from '../config.ts';
import type { MockContext } from '../context.ts';
import { prometheusText } from '../prometheus-metrics.ts';
import { RequestError } from '../request-error.ts';
import { sendJson } from '../respond.ts';

/** GET /mock/stats: the counters as MockStats JSON. */
export function getStats(ctx: MockContext, res: ServerResponse): void {
  sendJson(res, 200, JSON.stringify(ctx.stats()));
}

/** GET /metrics: Prometheus text exposition with vLLM's names (prometheus-metrics.ts). */
export function getMetrics(ctx: MockContext, res: ServerResponse): void {
  const body = prometheusText(ctx);
  res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** GET /mock/config: the live config. */
export function getConfig(ctx: MockContext, res: ServerResponse): void {
  sendJson(res, 200, JSON.stringify(ctx.config()));
}

/** POST /mock/config: applies a JSON partial to later requests and answers the new config; 400 on bad input. */
export function postConfig(ctx: MockContext, res: ServerResponse, body: string): void {
  let partial: unknown;
  try {
    partial = JSON.parse(body);
  } catch {
    throw new RequestError(400, 'invalid config; expected a JSON object, got invalid JSON');
  }
  try {
    sendJson(res, 200, JSON.stringify(ctx.setConfig(partial)));
  } catch (err) {
    if (err instanceof MockConfigError) throw new RequestError(400, err.message);
    throw err;
  }
}

/** POST /mock/reset-stats: zeroes the counters and answers them. */
export function resetStats(ctx: MockContext, res: ServerResponse): void {
  ctx.resetStats();
  sendJson(res, 200, JSON.stringify(ctx.stats()));
}
