// The metrics a thresholds file may name, with their k6 types: the type
// decides which aggregations an expression may use.

/** k6 metric types. */
export type MetricType = 'trend' | 'counter' | 'rate' | 'gauge';

/** k6-llm's own metrics. */
export const LLM_METRICS: Readonly<Record<string, MetricType>> = {
  llm_ttft: 'trend',
  llm_ttfo: 'trend',
  llm_itl: 'trend',
  llm_tpot: 'trend',
  llm_e2e: 'trend',
  llm_output_tokens_per_second: 'trend',
  llm_output_tokens: 'counter',
  llm_reasoning_tokens: 'counter',
  llm_answer_tokens: 'counter',
  llm_prompt_tokens: 'counter',
  llm_cached_prompt_tokens: 'counter',
  llm_cache_write_tokens: 'counter',
  llm_prompt_cache_hit: 'rate',
  llm_images: 'counter',
  llm_image_bytes: 'trend',
  llm_image_pixels: 'trend',
  llm_embedding_inputs: 'counter',
  llm_prompt_repeated: 'rate',
  llm_prompt_chars: 'counter',
  llm_request_success: 'rate',
  llm_slo_attained: 'rate',
  llm_errors: 'counter',
  llm_requests: 'counter',
  llm_connection_resends: 'counter',
  llm_timing_flagged: 'rate',
  llm_timing_bound: 'trend',
  llm_ttft_spread: 'gauge',
  llm_retries: 'counter',
  llm_backoff_ms: 'counter',
  llm_time_to_first_success: 'trend',
  llm_cold_start_penalty: 'trend',
  llm_availability_worst_window: 'gauge',
  llm_schedule_lag: 'trend',
  llm_dropped_arrivals: 'counter',
  llm_batch_job_ms: 'gauge',
};

/** k6's built-in metrics that make sense next to ours. */
export const K6_METRICS: Readonly<Record<string, MetricType>> = {
  http_req_duration: 'trend',
  http_req_failed: 'rate',
  http_reqs: 'counter',
  iterations: 'counter',
  iteration_duration: 'trend',
  dropped_iterations: 'counter',
  data_received: 'counter',
  data_sent: 'counter',
  checks: 'rate',
};

/** Aggregations k6 accepts per metric type (p(N) for trends is checked apart). */
export const AGGREGATIONS: Readonly<Record<MetricType, readonly string[]>> = {
  trend: ['avg', 'min', 'max', 'med'],
  counter: ['count', 'rate'],
  rate: ['rate'],
  gauge: ['value'],
};

/** The type of a known metric, or undefined. */
export function metricType(name: string): MetricType | undefined {
  return LLM_METRICS[name] ?? K6_METRICS[name];
}
