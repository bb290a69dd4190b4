// A request the mock refuses, as OpenAI-compatible servers refuse it: an HTTP
// status and an `invalid_request_error` body (or another protocol's error
// body, e.g. Anthropic's). Handlers throw it; the request listener
// (routes.ts) writes it.

/** A refused request: HTTP `status`, an OpenAI error `code` (or null) and a message; `body` replaces the OpenAI error body. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly body: string | null = null,
  ) {
    super(message);
  }
}

/** The JSON body of an `invalid_request_error`, as the OpenAI API writes it. */
export function errorBody(message: string, code: string | null = null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type: 'invalid_request_error', param, code } });
}
