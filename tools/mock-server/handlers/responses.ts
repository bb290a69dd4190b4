// POST /v1/responses (protocol "openai-responses"): OpenAI's Responses API.
// A stream is typed events, each with its `event:` line and a rising
// sequence_number: response.created, response.in_progress, then per output
// item (reasoning, then a message or a function call)
// response.output_item.added, its deltas (response.reasoning_text.delta,
// response.output_text.delta, response.function_call_arguments.delta) and its
// done events, then response.completed with usage (or response.incomplete
// when max_output_tokens cut it short); an in-stream fault is response.failed.
// No [DONE] marker, as in the API.

import type { ServerResponse } from 'node:http';
import { admit, type ProtocolSpec } from '../admit.ts';
import { firstToolName, modelOf, optionalCount, parseJsonObject, readOrRefuse, textTokens, type ChatRequest, type PromptRead } from '../chat-request.ts';
import { argumentsText, jsonInner, tokensText, type ChatJob } from '../completion.ts';
import type { MockContext } from '../context.ts';
import { RequestError } from '../request-error.ts';
import { sendStatusFault, STREAM_ERROR_EVENT } from '../respond.ts';
import { eventEnd, streamJob, type StreamEncoder } from '../sse-stream.ts';
import { sendWholeJob } from '../whole-body.ts';

/** Parses and checks a Responses body; throws RequestError (400) as the OpenAI API would. */
export function parseResponsesRequest(body: string): ChatRequest {
  const request = parseJsonObject(body);
  const input = request.input;
  let prompt: PromptRead;
  if (typeof input === 'string') prompt = { textTokens: textTokens(input), pieces: [{ kind: 'text', role: 'user', text: input }] };
  else if (Array.isArray(input)) prompt = readOrRefuse(input, 'input');
  else throw new RequestError(400, "Missing required parameter: 'input' (a string or an array of items).", 'missing_required_parameter');
  let promptTokens = Math.max(1, prompt.textTokens);
  const pieces = prompt.pieces;
  if (typeof request.instructions === 'string') {
    promptTokens += textTokens(request.instructions);
    pieces.unshift({ kind: 'text', role: 'system', text: request.instructions });
  }
  return {
    model: modelOf(request),
    stream: request.stream === true,
    // Usage always comes with response.completed.
    includeUsage: true,
    maxTokens: optionalCount(request.max_output_tokens, 'max_output_tokens'),
    promptTokens,
    pieces,
    ignoreEos: false,
    minTokens: null,
    toolName: firstToolName(request.tools),
  };
}

/** The Responses usage object of a job that sent `sent` tokens. */
function usageOf(job: ChatJob, sent: number, reasoning: number): Record<string, unknown> {
  const input = job.request.promptTokens;
  return {
    input_tokens: input,
    // As OpenAI's API, always reported: 0 while the prefix cache is off.
    input_tokens_details: { cached_tokens: job.cache?.cachedTokens ?? 0 },
    output_tokens: sent,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + sent,
  };
}

/** The job's output items, finished; `empty` leaves out every generated token. */
function outputItems(job: ChatJob, empty: boolean): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  if (job.reasoning > 0) {
    items.push({ id: `rs_${job.id}`, type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: empty ? '' : tokensText(0, job.reasoning) }] });
  }
  if (job.n === job.reasoning) return items;
  if (job.toolCall) {
    const args = empty ? '' : argumentsText(job.reasoning, job.n, job.reasoning, job.n);
    items.push({ id: `fc_${job.id}`, type: 'function_call', status: 'completed', call_id: `call_${job.id}`, name: job.request.toolName, arguments: args });
  } else {
    const text = empty ? '' : tokensText(job.reasoning, job.n);
    items.push({ id: `msg_${job.id}`, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] });
  }
  return items;
}

/** The response object in a given state. */
function responseObject(job: ChatJob, status: string, output: unknown[], usage: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: job.id, object: 'response', created_at: job.created, status, model: job.request.model, output, usage, ...extra };
}

/** The final response object of a finished job: completed, or incomplete when max_output_tokens cut it. */
function finalResponse(job: ChatJob, empty: boolean): Record<string, unknown> {
  const usage = empty ? usageOf(job, 0, 0) : usageOf(job, job.n, job.reasoning);
  if (job.finishReason === 'length') return responseObject(job, 'incomplete', outputItems(job, empty), usage, { incomplete_details: { reason: 'max_output_tokens' } });
  return responseObject(job, 'completed', outputItems(job, empty), usage);
}

/** The Responses stream events of one job; templates built once, each delta only splices in its text and number. */
export function responsesStreamEncoder(job: ChatJob): StreamEncoder {
  const end = eventEnd(job.cfg.crlf);
  const nl = job.cfg.crlf ? '\r\n' : '\n';
  let sequence = 0;
  /** One event; `fields` is the JSON object's members after "type". */
  const event = (type: string, fields: string): string => `event: ${type}${nl}data: {"type":"${type}",${fields},"sequence_number":${sequence++}}${end}`;
  const thinking = job.reasoning > 0;
  const answerIndex = thinking ? 1 : 0;
  const reasoningId = `rs_${job.id}`;
  const answerId = job.toolCall ? `fc_${job.id}` : `msg_${job.id}`;
  const inProgress = JSON.stringify(responseObject(job, 'in_progress', [], null));

  const addItem = (index: number, item: unknown, part: unknown | null): string =>
    event('response.output_item.added', `"output_index":${index},"item":${JSON.stringify(item)}`) +
    (part === null ? '' : event('response.content_part.added', `"item_id":"${(item as { id: string }).id}","output_index":${index},"content_index":0,"part":${JSON.stringify(part)}`));
  const openReasoning = (): string => addItem(0, { id: reasoningId, type: 'reasoning', summary: [], content: [] }, { type: 'reasoning_text', text: '' });
  const openAnswer = (): string =>
    job.toolCall
      ? addItem(answerIndex, { id: answerId, type: 'function_call', status: 'in_progress', call_id: `call_${job.id}`, name: job.request.toolName, arguments: '' }, null)
      : addItem(answerIndex, { id: answerId, type: 'message', status: 'in_progress', role: 'assistant', content: [] }, { type: 'output_text', text: '', annotations: [] });
  /** The done events of item `index` of the finished items. */
  const closeItem = (items: Record<string, unknown>[], index: number): string => {
    const item = items[index]!;
    const at = `"item_id":"${item.id as string}","output_index":${index}`;
    let out = '';
    if (item.type === 'function_call') {
      out += event('response.function_call_arguments.done', `${at},"arguments":${JSON.stringify(item.arguments)}`);
    } else {
      const part = (item.content as { text: string }[])[0]!;
      const kind = item.type === 'reasoning' ? 'reasoning_text' : 'output_text';
      out += event(`response.${kind}.done`, `${at},"content_index":0,"text":${JSON.stringify(part.text)}`);
      out += event('response.content_part.done', `${at},"content_index":0,"part":${JSON.stringify(part)}`);
    }
    return out + event('response.output_item.done', `"output_index":${index},"item":${JSON.stringify(item)}`);
  };
  /** The closing event: response.completed, or response.incomplete when max_output_tokens cut the answer. */
  const complete = (empty: boolean): string => {
    const response = finalResponse(job, empty);
    const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return event(type, `"response":${JSON.stringify(response)}`);
  };
  // A function_call item names the tool: generated output, so without
  // reasoning it is added with the first answer token, not with the stream.
  const lateToolItem = job.toolCall && !thinking;
  const created = (): string => event('response.created', `"response":${inProgress}`) + event('response.in_progress', `"response":${inProgress}`);
  const open = (): string => created() + (thinking ? openReasoning() : lateToolItem ? '' : openAnswer());
  const delta = (type: string, at: string, text: string): string => `event: ${type}${nl}data: {"type":"${type}",${at},"delta":"${text}","sequence_number":${sequence++}}${end}`;
  const reasoningAt = `"item_id":"${reasoningId}","output_index":0,"content_index":0`;
  const answerAt = job.toolCall ? `"item_id":"${answerId}","output_index":${answerIndex}` : `"item_id":"${answerId}","output_index":${answerIndex},"content_index":0`;
  const answerType = job.toolCall ? 'response.function_call_arguments.delta' : 'response.output_text.delta';
  return {
    open,
    tokens(from, to) {
      if (from < job.reasoning) return delta('response.reasoning_text.delta', reasoningAt, tokensText(from, to));
      // The reasoning item ends and the answer's item opens with the first answer token.
      let opening = '';
      if (thinking && from === job.reasoning) opening = closeItem(outputItems(job, false), 0) + openAnswer();
      else if (lateToolItem && from === 0) opening = openAnswer();
      const text = job.toolCall ? jsonInner(argumentsText(from, to, job.reasoning, job.n)) : tokensText(from, to);
      return opening + delta(answerType, answerAt, text);
    },
    tail() {
      // Only the last item is still open: the reasoning item closed when the answer began.
      const items = outputItems(job, false);
      return closeItem(items, items.length - 1) + complete(false);
    },
    error() {
      const failed = responseObject(job, 'failed', [], null, { error: { code: 'server_error', message: 'The model had an internal error while generating (injected by the mock).' } });
      return event('response.failed', `"response":${JSON.stringify(failed)}`);
    },
    malformed: () => `event: ${answerType}${nl}data: {"type":"${answerType}",${answerAt},"delta":"broken${end}`,
    keepAlive: `: keep-alive${end}`,
    empty() {
      const items = outputItems(job, true);
      let out = created() + (thinking ? openReasoning() : openAnswer()) + closeItem(items, 0);
      if (items.length > 1) out += openAnswer() + closeItem(items, 1);
      return out + complete(true);
    },
  };
}

/** The OpenAI Responses protocol: OpenAI error shapes, resp_ ids. */
export const OPENAI_RESPONSES: ProtocolSpec = {
  name: 'openai-responses',
  idPrefix: 'resp_mock',
  statusFault: sendStatusFault,
  refusal: (status, message, code) => new RequestError(status, message, code),
  respond(ctx, res, job) {
    if (job.request.stream) {
      streamJob(ctx, res, job, responsesStreamEncoder(job));
      return;
    }
    sendWholeJob(ctx, res, job, {
      body: (empty) => JSON.stringify(finalResponse(job, empty)),
      malformed: '{"id":"broken","object":"response","output":[',
      error: { status: 500, body: STREAM_ERROR_EVENT },
    });
  },
};

/** Answers one Responses request whose body was in at `t0` (ctx.clock ms); throws RequestError. */
export function handleResponses(ctx: MockContext, res: ServerResponse, body: string, t0: number): void {
  admit(ctx, res, t0, OPENAI_RESPONSES, parseResponsesRequest(body));
}
