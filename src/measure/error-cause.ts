// One failed request's cause in one line, as the summaries report it: the
// status with its reason and the server's first error message
// (`401 Unauthorized: "Incorrect API key provided."`), or the error kind with
// the transport's message (`connect: dial tcp …: connection refused`). Pure.

import type { RequestRecord } from './request-record.ts';

/** Longest server message or transport message kept in a cause (characters). */
export const CAUSE_MESSAGE_CHARS = 120;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > CAUSE_MESSAGE_CHARS ? `${one.slice(0, CAUSE_MESSAGE_CHARS - 1)}…` : one;
}

/**
 * The server's error message in an error body: OpenAI's `error.message`,
 * a string `error`, `message` or `detail` (FastAPI), else the body's first
 * non-empty line; null for an empty body.
 */
export function serverMessageOf(body: string): string | null {
  const text = body.trim();
  if (text === '') return null;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (v && typeof v === 'object') {
      const e = v.error;
      if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') return clip((e as { message: string }).message);
      for (const candidate of [e, v.message, v.detail]) if (typeof candidate === 'string' && candidate.trim() !== '') return clip(candidate);
    }
  } catch {
    // Not JSON: the first line of text then.
  }
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return clip(line.replace(/<[^>]*>/g, ' ')) || null;
}

/** The one-line cause of a failed request; null for a success or a request cut by the end of the test. */
export function errorCause(record: RequestRecord): string | null {
  if (record.success || record.error === null || record.error === 'interrupted') return null;
  if (record.status >= 300 || (record.status > 0 && record.status < 200)) {
    const head = `${record.status}${REASONS[record.status] ? ` ${REASONS[record.status]}` : ''}`;
    return record.serverMessage ? `${head}: ${JSON.stringify(record.serverMessage)}` : head;
  }
  return record.errorMessage ? `${record.error}: ${clip(record.errorMessage)}` : record.error;
}

/** `text` with every secret (API key, meter secret) replaced by [redacted]. */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}
