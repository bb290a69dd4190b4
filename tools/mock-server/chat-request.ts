// Reading a generation request body: the few fields the mock acts on
// (stream, usage, length limits, tools), validated with the OpenAI API's
// messages, a prompt-token estimate for usage, and the prompt in order (its
// text and its images, each image checked as a server would) for the prefix
// cache. Pure: a body string in, a ChatRequest or a RequestError out. The
// other protocols' readers (in handlers/) build the same ChatRequest from
// their own field names with the helpers exported here.

import { checkImageData, checkImageUrl, ImageError } from './image-check.ts';
import type { PromptPiece } from './prompt-cache.ts';
import { RequestError } from './request-error.ts';

/** The model id listed by GET /v1/models and answered when a request names none. */
export const MODEL_ID = 'mock-llm';

/** What the mock takes from a generation request, whatever its protocol. */
export interface ChatRequest {
  /** The request's model, or MODEL_ID. */
  model: string;
  stream: boolean;
  /** stream_options.include_usage: a usage chunk before [DONE]. */
  includeUsage: boolean;
  /** max_tokens (or max_completion_tokens, max_output_tokens, max_new_tokens); null = no cap. */
  maxTokens: number | null;
  /** Estimated from the messages' text (estimatePromptTokens); admit adds the images' tokens. */
  promptTokens: number;
  /** The prompt in order, for the prefix cache and the images' tokens and prefill; [] where the mock does not read it (token ids). */
  pieces: PromptPiece[];
  ignoreEos: boolean;
  minTokens: number | null;
  /** The name of the first tool the request offers (tools[0]), or null when it offers none. */
  toolName: string | null;
}

/** Prompt-token estimate of a text: ceil(characters / 4). */
export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Prompt-token estimate of the messages' text: ceil(characters / 4) per message, at least 1 in total (images not counted). */
export function estimatePromptTokens(messages: unknown[]): number {
  return Math.max(1, readPrompt(messages, 'messages').textTokens);
}

/** A prompt as the mock reads it: its text's token estimate, and its pieces in order. */
export interface PromptRead {
  /** ceil(characters / 4) per message, summed. */
  textTokens: number;
  /** Per message: its images (checked), then its text. */
  pieces: PromptPiece[];
}

/**
 * Reads messages (or Responses input items) in any protocol's shape: a
 * message's text is its string content, its parts' `text`, a tool result's
 * `content` and a function_call_output's `output`; its images are OpenAI's
 * `image_url` parts, Responses' `input_image` and Anthropic's `image`
 * blocks, each checked (ImageError, naming where it was: `at`).
 */
export function readPrompt(messages: unknown[], at: string): PromptRead {
  let textTokens = 0;
  const pieces: PromptPiece[] = [];
  messages.forEach((message: unknown, i: number) => {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { role?: unknown; type?: unknown; content?: unknown; output?: unknown };
    let text = typeof m.content === 'string' ? m.content : typeof m.output === 'string' ? m.output : '';
    if (Array.isArray(m.content)) {
      m.content.forEach((part: unknown, j: number) => {
        const p = part as Record<string, unknown> | null;
        if (typeof p !== 'object' || p === null) return;
        if (typeof p.text === 'string') text += p.text;
        else if (p.type === 'tool_result') text += typeof p.content === 'string' ? p.content : Array.isArray(p.content) ? p.content.map((b) => (typeof b?.text === 'string' ? b.text : '')).join('') : '';
        const image = imageOf(p, `${at}[${i}].content[${j}]`);
        if (image !== null) pieces.push({ kind: 'image', image });
      });
    }
    const role = typeof m.role === 'string' ? m.role : typeof m.type === 'string' ? m.type : '';
    pieces.push({ kind: 'text', role, text });
    textTokens += Math.ceil(text.length / 4);
  });
  return { textTokens, pieces };
}

/** The image of a content part, checked; null for a part that is not an image. */
function imageOf(part: Record<string, unknown>, where: string): ReturnType<typeof checkImageUrl> | null {
  try {
    if (part.type === 'image_url' || part.type === 'input_image') {
      const ref = part.image_url as unknown;
      const url = typeof ref === 'string' ? ref : (ref as { url?: unknown } | null)?.url;
      if (typeof url !== 'string') throw new ImageError('expected image_url with a url');
      return checkImageUrl(url);
    }
    if (part.type === 'image') {
      const source = part.source as { type?: unknown; media_type?: unknown; data?: unknown; url?: unknown } | null;
      if (source?.type === 'base64' && typeof source.data === 'string') return checkImageData(String(source.media_type), source.data);
      if (source?.type === 'url' && typeof source.url === 'string') return checkImageUrl(source.url);
      throw new ImageError('expected a base64 or url source');
    }
  } catch (err) {
    if (err instanceof ImageError) throw new ImageError(`Failed to load image at ${where}: ${err.message}`);
    throw err;
  }
  return null;
}

/** A refused image as vLLM answers it: 400 with {"error": {"message", "type": "BadRequestError", "param", "code": 400}}. */
export function imageRefusal(err: ImageError): RequestError {
  return new RequestError(400, err.message, 'BadRequestError', JSON.stringify({ error: { message: err.message, type: 'BadRequestError', param: null, code: 400 } }));
}

/** Parses a body that must be a JSON object; throws RequestError (400). */
export function parseJsonObject(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new RequestError(400, 'We could not parse the JSON body of your request: invalid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RequestError(400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** A token count field: null when absent, else a non-negative integer; throws RequestError (400) naming `name`. */
export function optionalCount(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RequestError(400, `Invalid '${name}': expected a non-negative integer, got ${JSON.stringify(value)}.`, 'invalid_value');
  }
  return value;
}

/** The first offered tool's name (OpenAI chat `function.name`, Anthropic/Responses `name`); null without tools. */
export function firstToolName(tools: unknown): string | null {
  if (!Array.isArray(tools) || tools.length === 0) return null;
  const tool = tools[0] as { name?: unknown; function?: { name?: unknown } } | null;
  const name = tool?.function?.name ?? tool?.name;
  return typeof name === 'string' && name !== '' ? name : 'mock_tool';
}

/** The request's model, or MODEL_ID. */
export function modelOf(request: Record<string, unknown>): string {
  return typeof request.model === 'string' && request.model !== '' ? request.model : MODEL_ID;
}

/** readPrompt, a refused image answered as vLLM answers it (imageRefusal). */
export function readOrRefuse(messages: unknown[], at: string): PromptRead {
  try {
    return readPrompt(messages, at);
  } catch (err) {
    throw err instanceof ImageError ? imageRefusal(err) : err;
  }
}

/** Parses and checks a chat-completion body; throws RequestError (400) as the OpenAI API would. */
export function parseChatRequest(body: string): ChatRequest {
  const request = parseJsonObject(body);
  if (!Array.isArray(request.messages)) {
    throw new RequestError(400, "Missing required parameter: 'messages' (an array).", 'missing_required_parameter');
  }
  const limit = optionalCount(request.max_tokens ?? request.max_completion_tokens, 'max_tokens');
  const streamOptions = request.stream_options as { include_usage?: unknown } | null | undefined;
  const prompt = readOrRefuse(request.messages, 'messages');
  return {
    model: modelOf(request),
    stream: request.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    maxTokens: limit,
    promptTokens: Math.max(1, prompt.textTokens),
    pieces: prompt.pieces,
    ignoreEos: request.ignore_eos === true,
    minTokens: optionalCount(request.min_tokens, 'min_tokens'),
    toolName: firstToolName(request.tools),
  };
}
