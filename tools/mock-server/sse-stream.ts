// A streamed answer in any protocol: the protocol's opening events with the
// headers, then each chunk of tokens when its last token is due, then its
// closing events in the write of the last chunk; keep-alives and the
// in-stream faults (reset, stall, malformed, stream_error, empty) woven in on
// the way. A chunk never mixes reasoning and answer tokens. The protocol
// only says what the bytes are (StreamEncoder); when they go out is here.

import type { ServerResponse } from 'node:http';
import type { ChatJob } from './completion.ts';
import type { MockContext } from './context.ts';
import { DueTimer } from './due-timer.ts';
import { resetConnection } from './respond.ts';

/** A protocol's bytes for one streamed answer; every string is whole SSE events. */
export interface StreamEncoder {
  /** Sent with the headers, before any token (a role chunk, message_start, ...); may be ''. */
  open(): string;
  /** The events carrying tokens [from, to): all reasoning or all answer; `to === job.n` for the last chunk. */
  tokens(from: number, to: number): string;
  /** Sent after the last chunk's events, in the same write (finish, usage, end marker). */
  tail(): string;
  /** The in-stream error of a stream_error fault, after which the server hangs up. */
  error(): string;
  /** A cut-short event (malformed fault), sent before the next chunk. */
  malformed(): string;
  /** The protocol's keep-alive, sent before every keepaliveEvery-th chunk ('' = none). */
  readonly keepAlive: string;
  /** A whole well-formed stream that carries no token (empty fault). */
  empty(): string;
}

/** The SSE event end for the config's line framing. */
export function eventEnd(crlf: boolean): string {
  return crlf ? '\r\n\r\n' : '\n\n';
}

/** Sends the job as an SSE stream on its token schedule; counts chunks, tokens (reasoning and answer apart), lateness and aborts. */
export function streamJob(ctx: MockContext, res: ServerResponse, job: ChatJob, encoder: StreamEncoder): void {
  const { cfg, n, reasoning, counts } = job;
  const { recorder } = ctx;
  const keepAlive = cfg.keepaliveEvery > 0 ? encoder.keepAlive : '';

  let chunkIndex = 0;
  let tokenIndex = 0;
  let due = 0;
  let finished = false;
  const timer = new DueTimer(ctx.clock);
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

  /** The end of the chunk starting at tokenIndex: tokensPerChunk tokens, cut at the reasoning/answer boundary. */
  const chunkEnd = (): number => Math.min(n, tokenIndex + cfg.tokensPerChunk, tokenIndex < reasoning ? reasoning : n);

  /** Advances the clock over the next chunk's tokens; the chunk is due with its last token. */
  const scheduleNext = (): void => {
    const last = chunkEnd();
    let offset = 0;
    for (let i = tokenIndex; i < last; i++) offset = job.clock.next();
    due = job.t0 + offset + shiftMs;
    timer.at(due, sendChunk);
  };

  const sendChunk = (): void => {
    if (finished) return;
    let out = '';
    if (faultPending && tokenIndex >= faultAt) {
      faultPending = false;
      switch (job.fault) {
        case 'reset':
          stop();
          resetConnection(res);
          return;
        case 'stream_error':
          // An error event in place of the next chunk, then the server hangs up (no end marker).
          stop();
          res.end(encoder.error());
          return;
        case 'stall':
          shiftMs += cfg.stallMs;
          due += cfg.stallMs;
          timer.at(due, sendChunk);
          return;
        case 'malformed':
          out = encoder.malformed();
          break;
      }
    }
    const last = chunkEnd();
    if (keepAlive !== '' && chunkIndex > 0 && chunkIndex % cfg.keepaliveEvery === 0) out += keepAlive;
    out += encoder.tokens(tokenIndex, last);
    if (tokenIndex < reasoning) counts.reasoningTokens += last - tokenIndex;
    else counts.answerTokens += last - tokenIndex;
    recorder.counts.tokensSent += last - tokenIndex;
    recorder.counts.chunksSent += 1;
    tokenIndex = last;
    chunkIndex += 1;
    const now = ctx.clock.now();
    recorder.lateness.record(now - due);
    if (chunkIndex === 1) recorder.serverTtft.record((now - job.t0) / 1000);
    if (last < n) {
      res.write(out);
      scheduleNext();
    } else {
      // The closing events follow the last chunk in the same write.
      stop();
      if (job.toolCall) counts.toolCalls += 1;
      res.end(out + encoder.tail());
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
  if (job.fault === 'empty') {
    stop();
    res.end(encoder.empty());
    return;
  }
  // The opening events go out with the headers: clients see the stream open at once.
  let opening = encoder.open();
  // A protocol whose opening ends with its keep-alive (Anthropic's ping) sends it once.
  if (keepAlive !== '' && !opening.endsWith(keepAlive)) opening += keepAlive;
  if (opening !== '') res.write(opening);
  else res.flushHeaders();
  scheduleNext();
}
