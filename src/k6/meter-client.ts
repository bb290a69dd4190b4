// k6's side of the stream meter (docs/meter-protocol.md): one k6/http call
// per generation request, plus the process-wide store that end-of-test checks
// read. The meter's own HTTP calls are tagged k6llm=meter so they can be told
// from a script's own requests in k6's http_req_* metrics; k6-llm's summaries
// never report http_req_*.

import http from 'k6/http';
import { vuInfo } from './vu-info.ts';
import type { MeterEndpoint } from '../config/endpoint.ts';
import { formatDuration } from '../duration.ts';

/** `[key, value]`: one value to append to a list in the meter's store. */
export type Observation = [string, number];

/** What the meter answered, or why it could not be asked. */
export type MeterAnswer = { ok: true; body: string } | { ok: false; message: string };

/** How much longer than the upstream timeout k6 waits for the meter, which enforces that timeout itself. */
const METER_GRACE_MS = 10_000;
const TAGS = { k6llm: 'meter' };
/** Most observations a VU holds while the meter refuses its requests. */
const MAX_QUEUED = 10_000;

/** The meter as seen from one VU. */
export class MeterClient {
  private readonly endpoint: MeterEndpoint;
  private readonly streamParams: object;
  private readonly storeParams: object;
  /**
   * Per stream of this VU (0: its synchronous requests; 1, 2, …: its
   * concurrent asynchronous ones), the observations of the stream's last
   * request, sent with its next one: the meter keeps each stream's last
   * record as pending under its own key, and a successor must carry its
   * predecessor's observations.
   */
  private readonly queued: Observation[][] = [[]];
  /** Asynchronous streams free to take, lowest first when taken. */
  private readonly free: number[] = [];
  private vuKey: string | null = null;

  constructor(endpoint: MeterEndpoint, timeoutMs: number) {
    this.endpoint = endpoint;
    const headers = { 'X-K6-LLM-Meter-Secret': endpoint.secret };
    this.streamParams = { headers, timeout: formatDuration(timeoutMs + METER_GRACE_MS), tags: TAGS, responseType: 'text' };
    this.storeParams = { headers, timeout: '30s', tags: TAGS, responseType: 'text' };
  }

  /** Queues observations to go with the next request of `stream` (no round trip of their own). */
  observe(observations: Observation[], stream = 0): void {
    const q = this.queued[stream] ?? (this.queued[stream] = []);
    for (let i = 0; i < observations.length; i++) q.push(observations[i] as Observation);
  }

  /**
   * Sends one upstream request through the meter. `staticLine` is the
   * request-independent JSON (url, headers, timeouts, plain-token rule);
   * `ctx` is kept with the record until this VU's next request (see settle).
   */
  stream(staticLine: string, body: string, ctx: object | null, count: string): MeterAnswer {
    const { sent, text } = this.requestBody(0, staticLine, body, ctx, count);
    return this.requeueIfRefused(0, sent, this.answerOf(http.post(this.endpoint.baseUrl + '/stream', text, this.streamParams)));
  }

  /**
   * Sends one upstream request through the meter without blocking the VU,
   * on a stream of its own (the lowest free one, 1 or more): call done(stream)
   * once its observations were queued (observe), so another request may take it.
   */
  async streamAsync(staticLine: string, body: string, ctx: object | null, count: string): Promise<{ answer: MeterAnswer; stream: number }> {
    const stream = this.free.length > 0 ? this.takeLowestFree() : this.queued.length;
    if (stream === this.queued.length) this.queued.push([]);
    const { sent, text } = this.requestBody(stream, staticLine, body, ctx, count);
    let res;
    try {
      res = await http.asyncRequest('POST', this.endpoint.baseUrl + '/stream', text, this.streamParams);
    } catch (err) {
      // Nothing was stored: the observations stay queued, and the stream is free again.
      this.requeueIfRefused(stream, sent, { ok: false, message: '' });
      this.done(stream);
      throw err;
    }
    return { answer: this.requeueIfRefused(stream, sent, this.answerOf(res)), stream };
  }

  /** Frees an asynchronous stream for the next request. */
  done(stream: number): void {
    if (stream > 0) this.free.push(stream);
  }

  private takeLowestFree(): number {
    let at = 0;
    for (let i = 1; i < this.free.length; i++) if ((this.free[i] as number) < (this.free[at] as number)) at = i;
    const stream = this.free[at] as number;
    this.free[at] = this.free[this.free.length - 1] as number;
    this.free.pop();
    return stream;
  }

  /** The /stream body: the static line, the per-request line (the stream's key and queued observations), the upstream body. */
  private requestBody(stream: number, staticLine: string, body: string, ctx: object | null, count: string): { sent: Observation[]; text: string } {
    const sent = this.queued[stream] as Observation[];
    this.queued[stream] = [];
    const vu = (this.vuKey ??= String(vuInfo().idInInstance));
    const perRequest = JSON.stringify({ vu: stream === 0 ? vu : `${vu}.${stream}`, obs: sent, count, ctx });
    return { sent, text: `${staticLine}\n${perRequest}\n${body}` };
  }

  /** A refused request (overloaded, too large) stored nothing: its observations go with the stream's next one. */
  private requeueIfRefused(stream: number, sent: Observation[], answer: MeterAnswer): MeterAnswer {
    // Bounded, so a meter that stays away cannot grow a VU's memory without end.
    if (!answer.ok && sent.length > 0) this.queued[stream] = sent.concat(this.queued[stream] as Observation[]).slice(-MAX_QUEUED);
    return answer;
  }

  /** Empties the store for a new run; the answer says how many streams were in flight (another run's). */
  reset(): { ok: true; streams: number } | { ok: false; message: string } {
    const answer = this.call('POST', '/store/reset', '{}', this.storeParams);
    if (!answer.ok) return answer;
    const parsed = JSON.parse(answer.body) as { streams?: number };
    return { ok: true, streams: typeof parsed.streams === 'number' ? parsed.streams : 0 };
  }

  /** Appends observations to the store now (teardown). */
  flush(observations: Observation[]): MeterAnswer {
    return this.call('POST', '/store/observe', JSON.stringify({ obs: observations }), this.storeParams);
  }

  /** Every value observed under key, in order; null when the meter cannot be asked. */
  values(key: string): number[] | null {
    const answer = this.call('GET', `/store/values?key=${encodeURIComponent(key)}`, null, this.storeParams);
    if (!answer.ok) return null;
    const parsed = JSON.parse(answer.body) as { values?: number[] };
    return Array.isArray(parsed.values) ? parsed.values : null;
  }

  /** How many values every key starting with prefix holds; null when the meter cannot be asked. */
  keys(prefix: string): Record<string, number> | null {
    const answer = this.call('GET', `/store/keys?prefix=${encodeURIComponent(prefix)}`, null, this.storeParams);
    if (!answer.ok) return null;
    const parsed = JSON.parse(answer.body) as { keys?: Record<string, number> };
    return parsed.keys && typeof parsed.keys === 'object' ? parsed.keys : null;
  }

  /** The counter named key; null when the meter cannot be asked. */
  count(key: string): number | null {
    const answer = this.call('GET', `/store/count?key=${encodeURIComponent(key)}`, null, this.storeParams);
    if (!answer.ok) return null;
    const parsed = JSON.parse(answer.body) as { count?: number };
    return typeof parsed.count === 'number' ? parsed.count : null;
  }

  /** Each VU's last request whose observations never came (and forgets them). */
  pending(): { vu: string; ctx: unknown; record: unknown }[] | null {
    const answer = this.call('GET', '/pending', null, this.storeParams);
    if (!answer.ok) return null;
    const parsed = JSON.parse(answer.body) as { pending?: { vu: string; ctx: unknown; record: unknown }[] };
    return Array.isArray(parsed.pending) ? parsed.pending : null;
  }

  private call(method: 'GET' | 'POST', path: string, body: string | null, params: object): MeterAnswer {
    const url = this.endpoint.baseUrl + path;
    return this.answerOf(method === 'POST' ? http.post(url, body, params) : http.get(url, params));
  }

  private answerOf(res: { status: number; body: unknown; error: string }): MeterAnswer {
    if (res.status === 200 || res.status === 204) return { ok: true, body: typeof res.body === 'string' ? res.body : '' };
    if (res.status === 0) return { ok: false, message: `the stream meter at ${this.endpoint.baseUrl} is unreachable (${res.error || 'no answer'})` };
    const text = typeof res.body === 'string' ? res.body.split('\n')[0] : '';
    return { ok: false, message: `the stream meter refused the request: HTTP ${res.status} ${text}`.trim() };
  }
}
