// The bytes of a streamed chat completion (sse-stream.ts sends them on the
// token clock): a role chunk, then chunks of `reasoning_content` (or `reasoning`), then of
// `content` or of tool-call argument deltas, then the finish chunk, the usage
// chunk (stream_options.include_usage) and [DONE].

import type { ServerResponse } from 'node:http';
import { argumentsText, jsonInner, tokensText, type ChatJob } from '../completion.ts';
import type { MockContext } from '../context.ts';
import { STREAM_ERROR_EVENT } from '../respond.ts';
import { eventEnd, streamJob, type StreamEncoder } from '../sse-stream.ts';

/** The chat.completion.chunk events of one job; templates built once, each chunk only splices in its text. */
export function chatStreamEncoder(job: ChatJob): StreamEncoder {
  const end = eventEnd(job.cfg.crlf);
  const head = `data: {"id":"${job.id}","object":"chat.completion.chunk","created":${job.created},"model":${JSON.stringify(job.request.model)},"choices":[`;
  const suffix = `"},"finish_reason":null}]}${end}`;
  const contentPrefix = `${head}{"index":0,"delta":{"content":"`;
  const reasoningPrefix = `${head}{"index":0,"delta":{"${job.cfg.reasoningField}":"`;
  const toolName = JSON.stringify(job.request.toolName ?? '');
  const firstToolPrefix = `${head}{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_${job.id}","type":"function","function":{"name":${toolName},"arguments":"`;
  const toolPrefix = `${head}{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"`;
  const toolSuffix = `"}}]},"finish_reason":null}]}${end}`;
  const roleChunk = `${head}{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}${end}`;
  const tail = (): string => {
    let out = `${head}{"index":0,"delta":{},"finish_reason":"${job.finishReason}"}]}${end}`;
    if (job.request.includeUsage) out += `${head}],"usage":${JSON.stringify(job.usage)}}${end}`;
    return out + `data: [DONE]${end}`;
  };
  return {
    open: () => roleChunk,
    tokens(from, to) {
      if (from < job.reasoning) return reasoningPrefix + tokensText(from, to) + suffix;
      if (!job.toolCall) return contentPrefix + tokensText(from, to) + suffix;
      const args = jsonInner(argumentsText(from, to, job.reasoning, job.n));
      return (from === job.reasoning ? firstToolPrefix : toolPrefix) + args + toolSuffix;
    },
    tail,
    error: () => `data: ${STREAM_ERROR_EVENT}${end}`,
    malformed: () => `${contentPrefix}broken${end}`,
    keepAlive: `: keep-alive${end}`,
    // A well-formed stream that carries no token: role, finish, [DONE].
    empty: () => roleChunk + tail(),
  };
}

/** Sends the job as a chat.completion.chunk SSE stream on its token schedule. */
export function respondStreamed(ctx: MockContext, res: ServerResponse, job: ChatJob): void {
  streamJob(ctx, res, job, chatStreamEncoder(job));
}
