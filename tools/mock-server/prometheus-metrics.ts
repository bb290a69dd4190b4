// GET /metrics: the mock's own figures in Prometheus text exposition with
// vLLM's metric names, so a scrape of the mock reads like one of vLLM:
// requests running and waiting (the capacity model's, else the streams
// sending), and the server-side TTFT histogram (request fully received →
// first content chunk written). The values are the mock's truth.

import type { MockContext } from './context.ts';
import { TTFT_BUCKETS_S } from './seconds-histogram.ts';

/** The exposition text of the mock's server metrics. */
export function prometheusText(ctx: MockContext): string {
  const label = 'model_name="mock-llm"';
  const capacity = ctx.capacity.enabled() ? ctx.capacity.stats() : null;
  const running = capacity ? capacity.running : ctx.recorder.activeStreams;
  const waiting = capacity ? capacity.waiting : 0;
  const h = ctx.recorder.serverTtft;
  const lines = [
    '# HELP vllm:num_requests_running Number of requests in model execution batches.',
    '# TYPE vllm:num_requests_running gauge',
    `vllm:num_requests_running{${label}} ${running}`,
    '# HELP vllm:num_requests_waiting Number of requests waiting to be processed.',
    '# TYPE vllm:num_requests_waiting gauge',
    `vllm:num_requests_waiting{${label}} ${waiting}`,
    '# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.',
    '# TYPE vllm:time_to_first_token_seconds histogram',
  ];
  let cumulative = 0;
  TTFT_BUCKETS_S.forEach((b, i) => {
    cumulative += h.counts[i];
    lines.push(`vllm:time_to_first_token_seconds_bucket{${label},le="${b}"} ${cumulative}`);
  });
  lines.push(`vllm:time_to_first_token_seconds_bucket{${label},le="+Inf"} ${h.count}`);
  lines.push(`vllm:time_to_first_token_seconds_sum{${label}} ${h.sum}`);
  lines.push(`vllm:time_to_first_token_seconds_count{${label}} ${h.count}`);
  return `${lines.join('\n')}\n`;
}
