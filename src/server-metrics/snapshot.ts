// The figures a report puts beside the client's, read from one scrape of an
// inference server's /metrics by the names vLLM, SGLang, TGI and llama.cpp's
// server use: requests running and waiting, TTFT and queue-time histograms
// (sum and count), KV-cache usage, prefix-cache hits and queries, preemptions.
// Several series of one name (one per model or engine) are added up; usage
// ratios are averaged. Pure.

import type { PromSample } from './prometheus-text.ts';

/** One scrape's figures; null where the server exposes none of the names. */
export interface ServerSnapshot {
  running: number | null;
  waiting: number | null;
  /** Server-side TTFT histogram totals (seconds, requests). */
  ttftSumS: number | null;
  ttftCount: number | null;
  /** Queue-time histogram totals (seconds, requests). */
  queueSumS: number | null;
  queueCount: number | null;
  /** KV-cache usage, 0..1. */
  kvCacheUsage: number | null;
  prefixCacheHits: number | null;
  prefixCacheQueries: number | null;
  /** Prefix-cache hit rate when the server gives only a rate (SGLang), 0..1. */
  prefixCacheHitRate: number | null;
  preemptions: number | null;
}

/** The names per figure, first match wins (vLLM v1 and v0, SGLang, TGI, llama.cpp). */
export const SERVER_METRIC_NAMES: Readonly<Record<keyof ServerSnapshot, readonly string[]>> = {
  running: ['vllm:num_requests_running', 'sglang:num_running_reqs', 'tgi_batch_current_size', 'llamacpp:requests_processing'],
  waiting: ['vllm:num_requests_waiting', 'sglang:num_queue_reqs', 'tgi_queue_size', 'llamacpp:requests_deferred'],
  ttftSumS: ['vllm:time_to_first_token_seconds_sum', 'sglang:time_to_first_token_seconds_sum'],
  ttftCount: ['vllm:time_to_first_token_seconds_count', 'sglang:time_to_first_token_seconds_count'],
  queueSumS: ['vllm:request_queue_time_seconds_sum', 'tgi_request_queue_duration_sum'],
  queueCount: ['vllm:request_queue_time_seconds_count', 'tgi_request_queue_duration_count'],
  kvCacheUsage: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc', 'sglang:token_usage', 'llamacpp:kv_cache_usage_ratio'],
  prefixCacheHits: ['vllm:prefix_cache_hits_total', 'vllm:gpu_prefix_cache_hits_total', 'vllm:prefix_cache_hits'],
  prefixCacheQueries: ['vllm:prefix_cache_queries_total', 'vllm:gpu_prefix_cache_queries_total', 'vllm:prefix_cache_queries'],
  prefixCacheHitRate: ['vllm:gpu_prefix_cache_hit_rate', 'sglang:cache_hit_rate'],
  preemptions: ['vllm:num_preemptions_total', 'vllm:num_preemptions'],
};

const AVERAGED: ReadonlySet<keyof ServerSnapshot> = new Set(['kvCacheUsage', 'prefixCacheHitRate']);

/** The snapshot of one scrape's samples. */
export function serverSnapshot(samples: readonly PromSample[]): ServerSnapshot {
  const byName = new Map<string, number[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    const list = byName.get(s.name);
    if (list) list.push(s.value);
    else byName.set(s.name, [s.value]);
  }
  const out = {} as ServerSnapshot;
  for (const key of Object.keys(SERVER_METRIC_NAMES) as (keyof ServerSnapshot)[]) {
    const name = SERVER_METRIC_NAMES[key].find((n) => byName.has(n));
    const values = name ? (byName.get(name) as number[]) : null;
    out[key] = values === null ? null : AVERAGED.has(key) ? values.reduce((a, b) => a + b, 0) / values.length : values.reduce((a, b) => a + b, 0);
  }
  return out;
}

/** True when the scrape had none of the names (not an inference server's metrics). */
export function isEmptySnapshot(s: ServerSnapshot): boolean {
  return Object.values(s).every((v) => v === null);
}

/** One scrape with its wall-clock time, as server-metrics.jsonl holds it. */
export interface ServerScrape {
  unixMs: number;
  snapshot: ServerSnapshot;
}

/** The run's server-side figures from its first and last scrape. */
export interface ServerFigures {
  scrapes: number;
  /** Mean server-side TTFT over the run (ms), from the histogram's sum and count. */
  ttftMeanMs: number | null;
  ttftRequests: number | null;
  /** Mean queue time over the run (ms). */
  queueMeanMs: number | null;
  /** Prefix-cache hits / queries over the run, or the server's own rate at the end. */
  prefixCacheHitRate: number | null;
  preemptions: number | null;
  kvCacheUsageMax: number | null;
  runningMax: number | null;
  waitingMax: number | null;
}

function delta(scrapes: readonly ServerScrape[], key: keyof ServerSnapshot): number | null {
  const first = scrapes.find((s) => s.snapshot[key] !== null)?.snapshot[key] ?? null;
  const last = [...scrapes].reverse().find((s) => s.snapshot[key] !== null)?.snapshot[key] ?? null;
  return first === null || last === null ? null : last - first;
}

function maxOf(scrapes: readonly ServerScrape[], key: keyof ServerSnapshot): number | null {
  const values = scrapes.map((s) => s.snapshot[key]).filter((v): v is number => v !== null);
  return values.length ? Math.max(...values) : null;
}

/** The run's figures: counters and histograms as the change from the first scrape to the last. */
export function serverFigures(scrapes: readonly ServerScrape[]): ServerFigures {
  const ttftSum = delta(scrapes, 'ttftSumS');
  const ttftCount = delta(scrapes, 'ttftCount');
  const queueSum = delta(scrapes, 'queueSumS');
  const queueCount = delta(scrapes, 'queueCount');
  const hits = delta(scrapes, 'prefixCacheHits');
  const queries = delta(scrapes, 'prefixCacheQueries');
  const lastRate = [...scrapes].reverse().find((s) => s.snapshot.prefixCacheHitRate !== null)?.snapshot.prefixCacheHitRate ?? null;
  return {
    scrapes: scrapes.length,
    ttftMeanMs: ttftSum !== null && ttftCount ? (ttftSum / ttftCount) * 1000 : null,
    ttftRequests: ttftCount,
    queueMeanMs: queueSum !== null && queueCount ? (queueSum / queueCount) * 1000 : null,
    prefixCacheHitRate: hits !== null && queries ? hits / queries : lastRate,
    preemptions: delta(scrapes, 'preemptions'),
    kvCacheUsageMax: maxOf(scrapes, 'kvCacheUsage'),
    runningMax: maxOf(scrapes, 'running'),
    waitingMax: maxOf(scrapes, 'waiting'),
  };
}
