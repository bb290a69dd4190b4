// The contract of an arrival pattern: a pure function from parameters to the
// seeded list of intended send times. The k6 shell replays the list; the
// patterns never see k6.

/** One intended request (or conversation) start. */
export interface Arrival {
  /** Intended send time, ms after the scenario started. */
  atMs: number;
  /** Prompt length from a trace (tokens); absent for generated patterns. */
  promptTokens?: number;
  /** Output length from a trace (tokens), sent as max_tokens. */
  outputTokens?: number;
  /** Conversation id from a trace: turns of one conversation share their prompt prefix. */
  conversation?: string;
}

/** Everything a pattern may use. */
export interface ScheduleParams {
  /** Mean arrivals per second (the end rate of the linear pattern). */
  ratePerSec: number;
  /** Arrivals are generated in [0, durationMs). */
  durationMs: number;
  seed: number;
  /** Gamma shape: 1 = Poisson, lower = burstier (inter-arrival CV = 1/√b). */
  burstiness: number;
  /** Start rate of the linear pattern, per second. */
  rampFromPerSec: number;
  /** Records of a trace, for the trace pattern. */
  trace: Arrival[] | null;
}

/** A named arrival pattern. */
export interface ArrivalPattern {
  readonly name: string;
  /** One line for reports and --help. */
  readonly description: string;
  schedule(params: ScheduleParams): Arrival[];
}

/** Most arrivals one schedule may hold (memory: every VU can see the schedule). */
export const MAX_ARRIVALS = 2_000_000;
