// Availability over time: successes / requests per window, the longest run
// of consecutive failures and the error kinds per window. Pure: the k6 shell
// logs one number per request (encodeOutcome) in the stream meter's
// process-wide store, and end-of-test code decodes them here.

import { ERROR_KINDS, type ErrorKind } from './request-record.ts';

/** One judged request: when it started and how it ended (null: success). */
export interface Outcome {
  /** When the request started, ms since the test started. */
  startMs: number;
  /** Why it failed; null for a success. */
  error: ErrorKind | null;
}

/** One reporting window. */
export interface AvailabilityWindow {
  /** Window start, ms since the test started. */
  startMs: number;
  endMs: number;
  requests: number;
  successes: number;
  /** successes / requests; null for a window without requests. */
  availability: number | null;
  /** Failed requests by error kind. */
  errors: Partial<Record<ErrorKind, number>>;
}

/** The availability section of a workload's report. */
export interface AvailabilityReport {
  windowMs: number;
  requests: number;
  successes: number;
  /** successes / requests over the whole run; null without requests. */
  availability: number | null;
  windows: AvailabilityWindow[];
  /** The window with the lowest availability (ties: the earliest); null without requests. */
  worstWindow: AvailabilityWindow | null;
  /** Longest run of consecutive failed requests, by start time. */
  longestFailureRun: { requests: number; fromMs: number; toMs: number } | null;
}

// Codes 1..ERROR_KINDS.length are error kinds; 0 is a success. Times are
// rounded to 0.1 ms and multiplied by CODE_SPAN, which keeps every value an
// exact integer in a float64 for runs of up to 2^53 / 10 / 32 ms (about 900 years).
const CODE_SPAN = 32;

/** One request's outcome as one number, for the process-wide store. */
export function encodeOutcome(startMs: number, error: ErrorKind | null): number {
  const code = error === null ? 0 : ERROR_KINDS.indexOf(error) + 1;
  return Math.round(Math.max(0, startMs) * 10) * CODE_SPAN + code;
}

/** Inverse of encodeOutcome; null for a value no encodeOutcome could produce. */
export function decodeOutcome(value: number): Outcome | null {
  if (!Number.isInteger(value) || value < 0) return null;
  const code = value % CODE_SPAN;
  if (code > ERROR_KINDS.length) return null;
  return { startMs: Math.floor(value / CODE_SPAN) / 10, error: code === 0 ? null : (ERROR_KINDS[code - 1] as ErrorKind) };
}

/**
 * Availability per window of `windowMs` from the test start, over the
 * outcomes in any order. Interrupted requests say nothing about the endpoint
 * and are left out.
 */
export function availabilityReport(outcomes: readonly Outcome[], windowMs: number): AvailabilityReport {
  const judged = outcomes.filter((o) => o.error !== 'interrupted').sort((a, b) => a.startMs - b.startMs);
  const windows: AvailabilityWindow[] = [];
  let successes = 0;
  let run = 0;
  let runFrom = 0;
  let longest: AvailabilityReport['longestFailureRun'] = null;
  for (const o of judged) {
    const index = Math.floor(o.startMs / windowMs);
    while (windows.length <= index) {
      const startMs = windows.length * windowMs;
      windows.push({ startMs, endMs: startMs + windowMs, requests: 0, successes: 0, availability: null, errors: {} });
    }
    const w = windows[index] as AvailabilityWindow;
    w.requests++;
    if (o.error === null) {
      w.successes++;
      successes++;
      run = 0;
      continue;
    }
    w.errors[o.error] = (w.errors[o.error] ?? 0) + 1;
    if (run === 0) runFrom = o.startMs;
    run++;
    if (longest === null || run > longest.requests) longest = { requests: run, fromMs: runFrom, toMs: o.startMs };
  }
  let worst: AvailabilityWindow | null = null;
  for (const w of windows) {
    if (w.requests === 0) continue;
    w.availability = w.successes / w.requests;
    if (worst === null || w.availability < (worst.availability as number)) worst = w;
  }
  return {
    windowMs,
    requests: judged.length,
    successes,
    availability: judged.length ? successes / judged.length : null,
    windows,
    worstWindow: worst,
    longestFailureRun: longest,
  };
}
