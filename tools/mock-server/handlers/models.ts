// GET /v1/models: the one model the mock serves.

import type { ServerResponse } from 'node:http';
import { MODEL_ID } from '../chat-request.ts';
import { sendJson } from '../respond.ts';

const MODELS_BODY = JSON.stringify({ object: 'list', data: [{ id: MODEL_ID, object: 'model', owned_by: 'k6-llm' }] });

/** Lists MODEL_ID as an OpenAI model list. */
export function listModels(res: ServerResponse): void {
  sendJson(res, 200, MODELS_BODY);
}
