// The llm_* k6 metrics, declared once. Names are public: users write
// thresholds against them. Time metrics are Trends in milliseconds.
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';

/** Request start → first token-bearing chunk of any kind: reasoning, answer or tool call (ms). */
export const llmTtft = new Trend('llm_ttft', true);
/** Request start → first answer chunk, text or tool call, not reasoning: time to first output (ms). */
export const llmTtfo = new Trend('llm_ttfo', true);
/** Gap between consecutive token-bearing chunks (ms). */
export const llmItl = new Trend('llm_itl', true);
/** (E2E − TTFT) / (output tokens − 1), per request (ms). */
export const llmTpot = new Trend('llm_tpot', true);
/** Request start → last token-bearing chunk; non-streamed: → response end (ms). */
export const llmE2e = new Trend('llm_e2e', true);
/** Per-request decode speed, (output tokens − 1) / (E2E − TTFT) in s. */
export const llmOutputTokensPerSecond = new Trend('llm_output_tokens_per_second');
/** Output tokens: from usage (tag tokens:reported), else counted token chunks (tokens:estimated). */
export const llmOutputTokens = new Counter('llm_output_tokens');
/** The reasoning share of output tokens: from usage (tokens:reported), else counted reasoning chunks (tokens:estimated). */
export const llmReasoningTokens = new Counter('llm_reasoning_tokens');
/** Output tokens − reasoning tokens: answer text and tool calls (tokens:estimated when either side was). */
export const llmAnswerTokens = new Counter('llm_answer_tokens');
/** Prompt tokens, from usage (cached ones included). */
export const llmPromptTokens = new Counter('llm_prompt_tokens');
/** The prompt tokens the server's prompt cache supplied, from usage (cached_tokens, Anthropic's cache_read_input_tokens). */
export const llmCachedPromptTokens = new Counter('llm_cached_prompt_tokens');
/** Prompt tokens written to the server's cache, where the protocol reports them (Anthropic's cache_creation_input_tokens). */
export const llmCacheWriteTokens = new Counter('llm_cache_write_tokens');
/** 1 per request whose usage reported cached prompt tokens > 0 (a hit), 0 per request that reported 0; none when not reported. */
export const llmPromptCacheHit = new Rate('llm_prompt_cache_hit');
/** Images sent in requests (their user turns' image parts). */
export const llmImages = new Counter('llm_images');
/** Bytes of each image file sent inline (a data URI); an image URL's are unknown. */
export const llmImageBytes = new Trend('llm_image_bytes');
/** Pixels (width × height) of each image sent inline whose header k6-llm reads (PNG, JPEG, GIF). */
export const llmImagePixels = new Trend('llm_image_pixels');
/** Embeddings protocols: inputs embedded, from the data[] of successful responses. */
export const llmEmbeddingInputs = new Counter('llm_embedding_inputs');
/** 1 per request whose messages are identical to its VU's previous request (a prompt cache answers it), else 0. */
export const llmPromptRepeated = new Rate('llm_prompt_repeated');
/** Characters of message content sent, counted for the requests whose answer reported prompt tokens. */
export const llmPromptChars = new Counter('llm_prompt_chars');
/** 1 per successful request, 0 per failed one (interrupted requests excluded). */
export const llmRequestSuccess = new Rate('llm_request_success');
/** Requests sent again on a new connection because the server had closed the kept-alive one first used (never errors). */
export const llmConnectionResends = new Counter('llm_connection_resends');
/** Failed requests, tagged error. */
export const llmErrors = new Counter('llm_errors');
/** Generator self-check: how late a 10 ms timer wakes up (ms). */
export const llmGeneratorLag = new Trend('llm_generator_lag', true);
/** Requests sent. */
export const llmRequests = new Counter('llm_requests');
/** 1 per request that succeeded and met every per-request bound of its workload (goodput). */
export const llmSloAttained = new Rate('llm_slo_attained');
/** Retries of requests turned away while the endpoint scaled up (coldstart). */
export const llmRetries = new Counter('llm_retries');
/** First attempt's start → first token of the attempt that succeeded, retries included (ms). */
export const llmTimeToFirstSuccess = new Trend('llm_time_to_first_success', true);
/** Per cold probe: its TTFT minus the median TTFT of the warm requests after it (ms). */
export const llmColdStartPenalty = new Trend('llm_cold_start_penalty', true);
/** Lowest availability of any reporting window, emitted once at the end (needs the stream meter). */
export const llmAvailabilityWorstWindow = new Gauge('llm_availability_worst_window');
/** TTFT p99 / p50 over the whole run, emitted once at the end (needs the stream meter). */
export const llmTtftSpread = new Gauge('llm_ttft_spread');
/** Per request: the longest wait between the kernel receiving data and k6 reading it (ms). */
export const llmReadLag = new Trend('llm_generator_read_lag', true);
/** Per request: how long after its VU asked the request was written to the connection (ms). */
export const llmSendLag = new Trend('llm_generator_send_lag', true);
/** Actual send − intended send of each scheduled arrival that was sent (ms). */
export const llmScheduleLag = new Trend('llm_schedule_lag', true);
/** Arrivals not sent because no VU could start them within LLM_MAX_LAG of their time. */
export const llmDroppedArrivals = new Counter('llm_dropped_arrivals');
/** Batch: ms from the job's start to each request's end; its max is the job time. */
export const llmBatchJobMs = new Gauge('llm_batch_job_ms');
/** Ramp only: output tokens delivered inside their level's steady window (each request's share of its token span). */
export const llmRampWindowTokens = new Counter('llm_ramp_window_tokens');
/** Ramp only: ms requests were in flight inside their level's steady window (÷ the window = mean concurrency). */
export const llmRampBusyMs = new Counter('llm_ramp_busy_ms');
/** 1 per request whose TTFT or E2E may read late by more than LLM_TIMING_FLAG_MS (events that waited unread), else 0 (kernel stamps only). */
export const llmTimingFlagged = new Rate('llm_timing_flagged');
/** Per flagged request: how late its TTFT or E2E may read, the larger (ms). */
export const llmTimingBound = new Trend('llm_timing_bound', true);
/** Time VUs paused after failed requests instead of sending (ms; Retry-After or backoff, see failure-backoff.ts). */
export const llmBackoffMs = new Counter('llm_backoff_ms');
