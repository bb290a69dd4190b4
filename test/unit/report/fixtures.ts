// Synthetic runs for the report tests: meter record lines with known times,
// and a matching llm-summary.json.

import type { LlmReport, WorkloadReport } from '../../../src/summary/schema.ts';

/** One meter records-file line: a streamed request sent at `sentS` seconds with TTFT `ttft` and `tokens` tokens 20 ms apart. */
export function recordLine(o: { sentS: number; ttft: number; tokens?: number; workload?: string; status?: number; errorKind?: string }): string {
  const tokens = o.tokens ?? 4;
  const times: number[] = [];
  const data: string[] = [];
  if (o.status === undefined || o.status === 200) {
    for (let i = 0; i < tokens; i++) {
      times.push(o.ttft + i * 20);
      data.push(JSON.stringify({ choices: [{ delta: { content: 'x' } }] }));
    }
    times.push(o.ttft + tokens * 20);
    data.push(JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: tokens } }));
    times.push(o.ttft + tokens * 20);
    data.push('[DONE]');
  }
  const status = o.status ?? 200;
  return JSON.stringify({
    status,
    retryAfter: '',
    headersMs: 5,
    endMs: o.ttft + tokens * 20 + 1,
    isSSE: status === 200,
    times,
    data,
    fast: [],
    comments: 0,
    unterminated: false,
    body: status === 200 ? '' : '{"error":"x"}',
    bodyBytes: 10,
    errorKind: o.errorKind ?? '',
    errorMessage: '',
    kernelStamps: true,
    readLagMaxMs: 0.1,
    sendLagMs: 0.1,
    localPort: 40000,
    sentUnixNs: 1_764_500_000_000_000_000 + o.sentS * 1e9,
    vu: '1',
    url: 'http://127.0.0.1:1/v1/chat/completions',
    ctx: { w: o.workload ?? 'chat', t: 0, s: o.sentS * 1000, st: 1 },
  });
}

const P = (p50: number, p95: number, p99: number, count = 10) => ({ count, avg: p50, min: p50 / 2, p50, p90: p95, p95, p99, max: p99 * 1.1 });

/** A workload's summary figures. */
export function workload(over: Partial<WorkloadReport> = {}): WorkloadReport {
  return {
    requests: 10,
    interrupted: 0,
    successRate: 1,
    errors: {},
    ttftMs: P(100, 180, 200),
    itlMs: P(20, 20, 20, 30),
    tpotMs: P(20, 20, 20),
    e2eMs: P(160, 240, 260),
    outputTokensPerSecondPerRequest: P(50, 50, 50),
    ttftSpread: 2,
    outputTokens: 40,
    outputTokensEstimated: 0,
    promptTokens: 100,
    aggregateOutputTokensPerSecond: 4,
    requestsPerSecond: 1,
    sloAttainedRate: 1,
    goodputPerSecond: 1,
    thresholdsSource: 'thresholds/chat.json (default)',
    stability: { ttftSpreadMax: 3, ttftSpread: 2, ok: true },
    availability: null,
    coldStart: null,
    settings: {},
    arrivals: null,
    batch: null,
    ...over,
  };
}

/** A summary of the given workloads. */
export function summary(workloads: Record<string, WorkloadReport>, over: Partial<LlmReport> = {}): LlmReport {
  return {
    tool: 'k6-llm',
    workloads,
    generator: { lagMs: null, readLagMs: null, sendLagMs: null, kernelStamps: true, warnAboveMs: 5, warning: null },
    thresholds: Object.keys(workloads).flatMap((w) => [
      { metric: `llm_ttft{workload:${w}}`, expression: 'p(95)<300', ok: true, aggregation: 'p(95)', measured: 180 },
      { metric: `llm_ttft{workload:${w}}`, expression: 'p(99)<500', ok: true, aggregation: 'p(99)', measured: 200 },
      { metric: `llm_request_success{workload:${w}}`, expression: 'rate>0.99', ok: false, aggregation: 'rate', measured: 0.9 },
    ]),
    run: { model: 'mock-llm', baseUrl: 'http://127.0.0.1:1/v1', protocol: 'openai-chat', transport: 'meter' },
    testRunDurationMs: 10_000,
    warnings: [],
    ...over,
  };
}
