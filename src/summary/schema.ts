// The LLM report's schema (llm-summary.json): per-workload figures, the
// generator self-check, threshold results and warnings. Types only: build.ts
// fills it from k6's data, and text.ts, markdown.ts and junit.ts render it.

import type { AvailabilityReport } from '../measure/availability.ts';
import type { ColdStartReport } from './coldstart-report.ts';
import type { Percentiles } from '../k6-summary-data.ts';

/** How a scheduled workload kept its schedule. */
export interface ArrivalsReport {
  pattern: string;
  /** Intended mean rate (null for a trace). */
  ratePerSec: number | null;
  /** Arrivals in the schedule (all instances together). */
  scheduled: number;
  /** Arrivals sent. */
  sent: number;
  /** Dropped because no VU could start them within LLM_MAX_LAG. */
  droppedLate: number;
  /** Never started: the load window closed first (k6's dropped_iterations). */
  droppedUnstarted: number;
  /** Actual − intended send time of the arrivals sent. */
  lagMs: Percentiles | null;
  /** Drop threshold (ms); null when arrivals are never dropped. */
  maxLagMs: number | null;
}

/** The batch job's figures. */
export interface BatchReport {
  jobSize: number;
  /** Requests that finished (successfully or not). */
  finished: number;
  /** Items never started: the job ran out of time (k6's dropped_iterations). */
  notStarted: number;
  /** Job start → last request end, ms. */
  jobMs: number | null;
  /** Output tokens / job time. */
  outputTokensPerSecond: number | null;
  /** Whether every item finished. */
  complete: boolean;
}

/** An embeddings job's figures (LLM_PROTOCOL=openai-embeddings). */
export interface EmbeddingsReport {
  inputsPerRequest: number;
  /** Inputs embedded: the embeddings successful responses carried (llm_embedding_inputs). */
  inputs: number;
  /** Input tokens from usage.prompt_tokens (llm_prompt_tokens). */
  inputTokens: number;
  /** The time both rates are over: the job time (batch.jobMs), ms. */
  overMs: number | null;
  /** inputs / overMs, per second. */
  inputsPerSecond: number | null;
  /** inputTokens / overMs, per second. */
  inputTokensPerSecond: number | null;
  /** Why TTFT, ITL and TPOT are absent: embeddings are not streamed and generate no tokens. */
  notApplicable: string;
}

/**
 * What the server's prompt cache did for a workload's requests, as their
 * usage reported it. A request is a hit when its usage reported cached
 * prompt tokens > 0, a miss when it reported 0; a request whose usage said
 * nothing of the cache is neither (llama-cpp-python, vLLM without
 * --enable-prompt-tokens-details).
 */
export interface PromptCacheReport {
  /** Requests whose usage reported a cached-token figure. */
  reported: number;
  /** Of those, the hits. */
  hits: number;
  /** hits / reported. */
  hitRatio: number | null;
  /** Prompt tokens the cache supplied (llm_cached_prompt_tokens). */
  cachedTokens: number;
  /** cachedTokens / the workload's prompt tokens (llm_prompt_tokens); null without prompt tokens. */
  cachedTokenShare: number | null;
  /** Prompt tokens written to the cache (llm_cache_write_tokens; Anthropic reports them). */
  writeTokens: number;
  /** TTFT of the hits (llm_ttft{cache:hit}). */
  ttftHitMs: Percentiles | null;
  /** TTFT of the misses (llm_ttft{cache:miss}). */
  ttftMissMs: Percentiles | null;
}

/** The images a workload's requests carried: how many, and their sizes (of those sent inline). */
export interface ImagesReport {
  /** Images sent (llm_images). */
  count: number;
  /** Bytes per image file (llm_image_bytes); null when none was sent inline. */
  bytes: Percentiles | null;
  /** Pixels per image, width × height (llm_image_pixels); null when no size was read. */
  pixels: Percentiles | null;
}

/** The headline figures of one workload. */
export interface WorkloadReport {
  requests: number;
  /** Requests cut by the end of the test: not counted in the success rate. */
  interrupted: number;
  /** Requests sent again on a new connection because the server had closed the kept-alive one first used (not errors); absent in older reports. */
  connectionResends?: number;
  /**
   * Requests whose TTFT or E2E may read late by more than LLM_TIMING_FLAG_MS
   * (their first or last token waited unread and shares a later read's
   * kernel time), of the requests measured with kernel stamps, with the
   * flagged ones' bounds (ms); null without kernel stamps, absent in older reports.
   */
  timing?: { flagged: number; measured: number; boundMs: Percentiles | null } | null;
  successRate: number | null;
  errors: Record<string, number>;
  /** The most frequent causes of failed requests (at most 3; needs the stream meter), e.g. `401 Unauthorized: "invalid api key"`; absent in older reports. */
  errorCauses?: { cause: string; count: number }[];
  /** errorCauses in one line with their share, e.g. `401 Unauthorized: "invalid api key" (13 of 13 requests)`; null when none, absent in older reports. */
  errorCause?: string | null;
  ttftMs: Percentiles | null;
  /** Time to first output: request start → first answer chunk (text or tool call, not reasoning); absent in older reports. */
  ttfoMs?: Percentiles | null;
  itlMs: Percentiles | null;
  tpotMs: Percentiles | null;
  e2eMs: Percentiles | null;
  outputTokensPerSecondPerRequest: Percentiles | null;
  /** TTFT p99 / p50: 1 is perfectly stable. */
  ttftSpread: number | null;
  outputTokens: number;
  /** Output tokens counted from chunks because the server sent no usage. */
  outputTokensEstimated: number;
  /** The reasoning share of outputTokens; absent in older reports. */
  reasoningTokens?: number;
  /** Reasoning tokens counted from chunks because usage gave no reasoning share. */
  reasoningTokensEstimated?: number;
  /** outputTokens − reasoningTokens: answer text and tool calls; absent in older reports. */
  answerTokens?: number;
  /** Answer tokens from requests whose output or reasoning count was estimated. */
  answerTokensEstimated?: number;
  promptTokens: number;
  /** The server's prompt cache, where its usage reported it; null when no request's did, absent in older reports. */
  promptCache?: PromptCacheReport | null;
  /** The images the requests carried; null when none, absent in older reports. */
  images?: ImagesReport | null;
  /** Output tokens over the whole test run, per second. */
  aggregateOutputTokensPerSecond: number | null;
  requestsPerSecond: number | null;
  /** Share of judged requests that succeeded and met every per-request bound. */
  sloAttainedRate: number | null;
  /** Good requests per second (over the whole test run). */
  goodputPerSecond: number | null;
  /** Where this workload's thresholds came from; null when none applied. */
  thresholdsSource: string | null;
  /** The TTFT p99/p50 bound and whether the run met it (null: no bound). */
  stability: { ttftSpreadMax: number; ttftSpread: number | null; ok: boolean } | null;
  /** Availability per window (availability workload, with the stream meter); null otherwise. */
  availability: AvailabilityReport | null;
  /** Cold versus warm figures (coldstart workload); null otherwise. */
  coldStart: ColdStartReport | null;
  settings: Record<string, string | number>;
  /** Schedule keeping of an open-model workload; null for closed pools. */
  arrivals: ArrivalsReport | null;
  batch: BatchReport | null;
  /** An embeddings job's inputs and rates; null or absent for generation. */
  embeddings?: EmbeddingsReport | null;
}

/** One threshold and whether it held. */
export interface ThresholdResult {
  /** The metric key as k6 names it, e.g. `llm_ttft{workload:chat}`. */
  metric: string;
  expression: string;
  /** k6's verdict (a bound on no samples passes in k6). */
  ok: boolean;
  /** The report's verdict: `no data` when judged on zero samples (never ok; does not fail the run by itself); absent in older reports. */
  verdict?: 'ok' | 'fail' | 'no data';
  /** Samples the bound was judged on; null when k6's data cannot say (counters); absent in older reports. */
  samples?: number | null;
  /** The aggregation the expression tests, e.g. `p(95)`, and its measured value. */
  aggregation: string;
  measured: number | null;
}

/** The whole report, written as JSON and rendered as text. */
export interface LlmReport {
  tool: 'k6-llm';
  workloads: Record<string, WorkloadReport>;
  generator: {
    /** How late a 10 ms timer woke up in a dedicated VU. */
    lagMs: Percentiles | null;
    /** Per request, the longest wait between the kernel receiving data and k6 reading it. */
    readLagMs: Percentiles | null;
    /** Per request, how long after its VU asked it was written to the connection. */
    sendLagMs: Percentiles | null;
    /** Whether event times are the kernel's receive times (then read lag does not distort them). */
    kernelStamps: boolean;
    warnAboveMs: number;
    /** A request whose TTFT or E2E may read late by more than this (ms) was flagged (LLM_TIMING_FLAG_MS); absent in older reports. */
    timingFlagMs?: number;
    warning: string | null;
  };
  thresholds: ThresholdResult[];
  run: Record<string, string | number | null>;
  testRunDurationMs: number | null;
  warnings: string[];
  /** Present when `k6-llm merge` made the report from several instances: which, and how each figure was merged. */
  merge?: MergeSection;
  /** Present when the CLI ran with --price: what the run's tokens cost (src/report/cost.ts), over every workload. */
  cost?: CostSection;
  /** Present when the CLI gated the run against a baseline (run --baseline, baseline compare): each figure's interval and verdict. */
  regression?: RegressionSection;
}

/** The regression gate's result on a run (README "Regression gate"). */
export interface RegressionSection {
  /** The baseline file, as given. */
  baseline: string;
  /** When the baseline was saved (ISO 8601), and from how many runs. */
  savedAt: string;
  baselineRuns: number;
  /** Runs of the current side pooled (run --repeat N). */
  currentRuns: number;
  /** Confidence of the verdicts together (0.95). */
  confidence: number;
  /** Confidence of each interval: 1 − (1 − confidence) / judged (Bonferroni). */
  figureConfidence: number;
  /** Figures judged, the family the confidence covers. */
  judged: number;
  /** Bootstrap replicates per interval. */
  resamples: number;
  /** True when a figure regressed beyond its tolerance or went missing: the run exits 97. */
  failed: boolean;
  rows: RegressionRow[];
}

/** The regression gate's verdict on one figure of one workload. */
export interface RegressionRow {
  workload: string;
  /** The figure's name as --tolerance takes it, e.g. `ttft_p95`. */
  figure: string;
  /** Unit of baseline, current and difference: `ms`, `tokens/s`, or empty for a share (success rate, 0..1). */
  unit: string;
  /** Which way is worse. */
  direction: 'lower-is-better' | 'higher-is-better';
  /** The figure over the baseline's samples; the current run's (null: not measured). */
  baseline: number | null;
  current: number | null;
  /** current − baseline in the figure's unit, and its interval (null: not judged). */
  difference: number | null;
  differenceInterval: [number, number] | null;
  /** (current − baseline) / baseline (0.1 = 10 % higher), and its interval (null: not judged). */
  change: number | null;
  changeInterval: [number, number] | null;
  /** The worsening allowed (0.1 = 10 %): the figure regressed only when its whole interval is worse than this. */
  tolerance: number;
  /** Samples behind each side (values of the figure's column, or requests). */
  samples: { baseline: number; current: number };
  /**
   * regressed: the interval lies entirely beyond the tolerance, the worse way
   * (the gate fails); improved: entirely beyond it the better way; no
   * detectable change: neither; inconclusive: too few samples to judge;
   * missing: not measured in the current run (the gate fails).
   */
  verdict: 'regressed' | 'improved' | 'no detectable change' | 'inconclusive' | 'missing';
  /** What the interval says beside the verdict, or why it was not judged; empty when nothing to add. */
  note: string;
}

/** The run's cost at the price given (docs/reports.md, "Cost"). */
export interface CostSection {
  /** The price as given, e.g. `$2.5/h`. */
  price: string;
  /** Dollars for the whole run (an hourly price: for its length). */
  totalDollars: number;
  /** Dollars per million output tokens; null without output tokens. */
  perMillionOutputTokens: number | null;
  /** Dollars per request; null without requests. */
  perRequest: number | null;
}

/** How a merged report was made (k6-llm merge, docs/instances-and-kubernetes.md). */
export interface MergeSection {
  /** The instance folders, as given. */
  instances: string[];
  /** Figures computed exactly over all instances' per-request records. */
  exact: readonly string[];
  /** Figures combined from the instances' summaries (only k6 measured them), and how. */
  combined: readonly string[];
  /**
   * Records of requests k6 abandoned when the test ended (meter errorKind
   * `canceled`: k6 closed its call, so the script never saw an answer).
   * Counted as requests and as `interrupted`, left out of every figure, as a
   * single run counts them at teardown.
   */
  cutAtEnd: number;
}
