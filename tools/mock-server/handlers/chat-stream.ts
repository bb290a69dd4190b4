// A streamed chat completion: the role chunk with the headers, then each
// content chunk when its last token is due, then finish, usage and [DONE] in
// the write of the last chunk; keep-alive comments and the in-stream faults
// (reset, stall, malformed, stream_error, empty) woven in on the way.

import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { tokensText, type ChatJob } from '../completion.ts';
import type { MockContext } from '../context.ts';
import { DueTimer } from '../due-timer.ts';
import { resetConnection, STREAM_ERROR_EVENT } from '../respond.ts';

/** Sends the job as an SSE stream on its token schedule; counts chunks, tokens, lateness and aborts. */
export function respondStreamed(ctx: MockContext, res: ServerResponse, job: ChatJob): void {
  const { cfg, n } = job;
  const { recorder } = ctx;
  const eol = cfg.crlf ? '\r\n' : '\n';
  const end = eol + eol;
  const chunkCount = Math.ceil(n / cfg.tokensPerChunk);
  // Built once per request; each content chunk only splices in its text.
  const head = `data: {"id":"${job.id}","object":"chat.completion.chunk","created":${job.created},"model":${JSON.stringify(job.request.model)},"choices":[`;
  const contentPrefix = `${head}{"index":0,"delta":{"content":"`;
  const contentSuffix = `"},"finish_reason":null}]}${end}`;
  const keepAlive = cfg.keepaliveEvery > 0 ? `: keep-alive${end}` : '';
  const roleChunk = `${head}{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}${end}`;
  let tail = `${head}{"index":0,"delta":{},"finish_reason":"${job.finishReason}"}]}${end}`;
  if (job.request.includeUsage) tail += `${head}],"usage":${JSON.stringify(job.usage)}}${end}`;
  tail += `data: [DONE]${end}`;

  let chunkIndex = 0;
  let tokenIndex = 0;
  let due = 0;
  let finished = false;
  const timer = new DueTimer();
  // The in-stream fault fires before the chunk that would pass faultAfterTokens
  // (clamped so it always fires); a stall shifts every later send.
  const faultAt = Math.min(cfg.faultAfterTokens, n - 1);
  let faultPending = job.fault !== null;
  let shiftMs = 0;

  const stop = (): void => {
    finished = true;
    timer.cancel();
    ctx.timers.delete(timer);
    recorder.activeStreams -= 1;
  };

  /** Advances the clock over the next chunk's tokens; the chunk is due with its last token. */
  const scheduleNext = (): void => {
    const last = Math.min(n, tokenIndex + cfg.tokensPerChunk);
    let offset = 0;
    for (let i = tokenIndex; i < last; i++) offset = job.clock.next();
    due = job.t0 + offset + shiftMs;
    timer.at(due, sendChunk);
  };

  const sendChunk = (): void => {
    if (finished) return;
    let faultPrefix = '';
    if (faultPending && tokenIndex >= faultAt) {
      faultPending = false;
      switch (job.fault) {
        case 'reset':
          stop();
          resetConnection(res);
          return;
        case 'stream_error':
          // An error object in place of the next chunk, then the server hangs up (no [DONE]).
          stop();
          res.end(`data: ${STREAM_ERROR_EVENT}${end}`);
          return;
        case 'stall':
          shiftMs += cfg.stallMs;
          due += cfg.stallMs;
          timer.at(due, sendChunk);
          return;
        case 'malformed':
          faultPrefix = `${contentPrefix}broken${end}`;
          break;
      }
    }
    const last = Math.min(n, tokenIndex + cfg.tokensPerChunk);
    let out = faultPrefix;
    if (keepAlive !== '' && chunkIndex > 0 && chunkIndex % cfg.keepaliveEvery === 0) out += keepAlive;
    out += contentPrefix + tokensText(tokenIndex, last) + contentSuffix;
    recorder.counts.tokensSent += last - tokenIndex;
    recorder.counts.chunksSent += 1;
    tokenIndex = last;
    chunkIndex += 1;
    const now = performance.now();
    recorder.lateness.record(now - due);
    if (chunkIndex === 1) recorder.serverTtft.record((now - job.t0) / 1000);
    if (chunkIndex < chunkCount) {
      res.write(out);
      scheduleNext();
    } else {
      // The closing events follow the last content chunk in the same write.
      stop();
      res.end(out + tail);
    }
  };

  recorder.activeStreams += 1;
  ctx.timers.add(timer);
  res.on('close', () => {
    if (finished) return;
    recorder.counts.aborted += 1;
    stop();
  });
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
  });
  // The role chunk goes out with the headers: clients see the stream open at once.
  if (job.fault === 'empty') {
    // A well-formed stream that carries no token: role, finish, [DONE].
    stop();
    res.end(roleChunk + tail);
    return;
  }
  res.write(roleChunk + keepAlive);
  scheduleNext();
}
