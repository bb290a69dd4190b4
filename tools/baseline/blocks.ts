// A workload's requests cut into time windows ("blocks") of the run, each
// holding what the regression gate compares: the per-request samples of
// every gated figure, the successes and failures, and the output tokens.
// The requests counted, and how, are the summary's own (src/merge/
// workload-figures.ts): interrupted requests are left out, failed ones count
// as failures and keep whatever timings they have. Pure.

import type { RequestRecord } from '../../src/measure/request-record.ts';
import { hashSeed, hashString, seededRandom, type Random } from '../../src/random.ts';

/** The per-request sample columns a block keeps, by the name the baseline file uses. */
export const COLUMNS = ['ttftMs', 'ttfoMs', 'itlMs', 'tpotMs', 'e2eMs'] as const;
/** One sample column. */
export type Column = (typeof COLUMNS)[number];

/** One time window of a run. */
export interface Block extends Record<Column, number[]> {
  /** Which of the pooled runs it comes from (0-based). */
  run: number;
  /** Its length (ms): the aggregate token rate is outputTokens over it. */
  ms: number;
  succeeded: number;
  failed: number;
  /** Output tokens generated in the window (a request's spread over the windows it spans). */
  outputTokens: number;
}

/** A workload's blocks, pooled over one or more runs, and how they were thinned. */
export interface WorkloadSample {
  blocks: Block[];
  /** Requests judged (interrupted ones left out). */
  requests: number;
  /** Share of requests whose TTFT, TTFO, TPOT and E2E were kept (1: all). */
  kept: number;
  /** Share of requests whose inter-token latencies were kept (1: all). */
  keptItl: number;
}

/** Most requests whose TTFT, TTFO, TPOT and E2E a sample keeps; beyond, a seeded random share of them. */
export const MAX_REQUEST_SAMPLES = 10_000;
/** Most inter-token latencies a sample keeps; beyond, those of a seeded random share of the requests (whole requests). */
export const MAX_ITL_SAMPLES = 20_000;

/**
 * How many windows a run of `durationMs` is cut into: one a second, at least
 * 20 (a bootstrap over fewer blocks has too few distinct resamples) and at
 * most 200 (longer windows, so dependence between neighbours fades).
 */
export function blockCount(durationMs: number): number {
  return Math.min(200, Math.max(20, Math.round(durationMs / 1000)));
}

/** One request as the gate reads it: when it started (ms since its test's start) and its record. */
export interface TimedRecord {
  startedMs: number;
  record: RequestRecord;
}

/** How a run's requests are thinned: the shares kept (expected; 1 keeps all). */
export interface Thinning {
  kept: number;
  keptItl: number;
}

/** The shares to keep of a workload with `requests` requests and `itls` inter-token latencies (over every run pooled). */
export function thinningFor(requests: number, itls: number): Thinning {
  return { kept: requests > MAX_REQUEST_SAMPLES ? MAX_REQUEST_SAMPLES / requests : 1, keptItl: itls > MAX_ITL_SAMPLES ? MAX_ITL_SAMPLES / itls : 1 };
}

const THIN_SALT = 0x7417;

/** Collects one run's requests of one workload into its windows. */
export class BlockBuilder {
  readonly blocks: Block[];
  private readonly widthMs: number;
  private readonly random: Random;
  requests = 0;

  /** `run`: the run's index among those pooled; `seedName` picks the thinning's random stream (the workload's name). */
  constructor(
    durationMs: number,
    private readonly thinning: Thinning,
    run: number,
    seedName: string,
  ) {
    const k = blockCount(durationMs);
    this.widthMs = durationMs / k;
    this.blocks = Array.from({ length: k }, () => ({ run, ms: this.widthMs, succeeded: 0, failed: 0, outputTokens: 0, ttftMs: [], ttfoMs: [], itlMs: [], tpotMs: [], e2eMs: [] }));
    this.random = seededRandom(hashSeed(hashString(seedName), run, THIN_SALT));
  }

  private indexAt(ms: number): number {
    return Math.min(this.blocks.length - 1, Math.max(0, Math.floor(ms / this.widthMs)));
  }

  /**
   * Counts one request into the window it started in (one started after the
   * run's end, into the last); its output tokens are spread over the windows
   * its answer spans (start to last token), in proportion, so a window's
   * token rate is what was generated in it, not what happened to start then.
   */
  add({ startedMs, record }: TimedRecord): void {
    // Cut by the end of the test, not by the endpoint: not judged (as the summary's success rate).
    if (record.error === 'interrupted') return;
    const block = this.blocks[this.indexAt(startedMs)] as Block;
    this.requests++;
    if (record.success) block.succeeded++;
    else block.failed++;
    if (record.outputTokens > 0) this.spreadTokens(startedMs, record.e2eMs ?? 0, record.outputTokens);
    // Both coins are drawn for every request, so what is kept does not depend on the thinning of the other column.
    const keep = this.random() < this.thinning.kept;
    const keepItl = this.random() < this.thinning.keptItl;
    if (keep) {
      if (record.ttftMs !== null) block.ttftMs.push(record.ttftMs);
      if (record.ttfoMs !== null) block.ttfoMs.push(record.ttfoMs);
      if (record.tpotMs !== null) block.tpotMs.push(record.tpotMs);
      if (record.e2eMs !== null) block.e2eMs.push(record.e2eMs);
    }
    if (keepItl) for (const gap of record.itlMs) block.itlMs.push(gap);
  }

  private spreadTokens(startMs: number, spanMs: number, tokens: number): void {
    const first = this.indexAt(startMs);
    const last = this.indexAt(startMs + spanMs);
    if (first === last || spanMs <= 0) {
      (this.blocks[first] as Block).outputTokens += tokens;
      return;
    }
    for (let i = first; i <= last; i++) {
      // The share of [start, start + span] inside window i; the first and last windows also take what lies outside the run.
      const from = i === first ? startMs : i * this.widthMs;
      const to = i === last ? startMs + spanMs : (i + 1) * this.widthMs;
      (this.blocks[i] as Block).outputTokens += (tokens * (to - from)) / spanMs;
    }
  }
}

/** Pools the blocks of several runs of a workload (thinned alike, so each request weighs the same) into one sample. */
export function poolSamples(builders: readonly BlockBuilder[], thinning: Thinning): WorkloadSample {
  return { blocks: builders.flatMap((b) => b.blocks), requests: builders.reduce((n, b) => n + b.requests, 0), kept: thinning.kept, keptItl: thinning.keptItl };
}
