// The bench's loads and their timing: what the mock sends, how long k6
// runs, and the steady window the CPU is measured over.

export const TTFT_MS = 200;
export const ITL_MS = 100;
export const TOKENS = 32;
/** The unique prompts' length in tokens (LLM_PROMPT_TOKENS; the reference client's too). */
export const PROMPT_TOKENS = 100;
export const DURATION = '30s';
/** splitDuration('30s'): 22.5 s of load, then a 7.5 s graceful stop. */
export const LOAD_MS = 22_500;

/** One load: concurrent streams, the mock's gap between tokens, and why it differs when it does. */
export interface BenchLoad {
  streams: number;
  itlMs: number;
  note: string | null;
}

/**
 * The loads. At 2000 streams the mock (one Node process sharing the 2 cores
 * with k6, the meter and tcpdump) cannot send 20 000 events/s on time, so
 * that load uses a 200 ms gap: 10 000 events/s.
 */
export const LOADS: BenchLoad[] = [
  { streams: 20, itlMs: ITL_MS, note: null },
  { streams: 200, itlMs: ITL_MS, note: null },
  { streams: 500, itlMs: ITL_MS, note: null },
  { streams: 1000, itlMs: ITL_MS, note: null },
  { streams: 2000, itlMs: 200, note: 'ITL 200 ms (5 tokens/s) at this load: at 100 ms the mock, sharing 2 cores with k6, the meter and tcpdump, cannot send 20 000 events/s on time' },
];
/** The window starts this long after (nearly) every VU is streaming. */
export const SETTLE_MS = 3000;
/** ... and ends this long before the load window closes (the first request is seen up to one poll late). */
export const END_MARGIN_MS = 1500;
export const POLL_MS = 250;
