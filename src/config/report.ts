// Where the reports go, which SLO file judges the run, and when the summary
// warns that the load generator or the schedule fell behind.

import { ALL, knob, SCHEDULED, type Knobs } from './knob.ts';
import { number } from './values.ts';

/** The reports and their verdicts. */
export interface ReportConfig {
  /** Existing folder for the reports (k6 does not create folders; the CLI does). */
  outDir: string;
  /** JSON summary path; null: <outDir>/llm-summary.json. */
  summaryJson: string | null;
  /** Generator lag p99 (ms) above which the summary warns. */
  lagWarnMs: number;
  /** Schedule lag p99 (ms) above which the summary warns. */
  scheduleLagWarnMs: number;
  /** The SLO file as given: '' (the workload's default), 'none', a profile name or a file path. */
  thresholds: string;
  /** A request whose TTFT or E2E may read late by more than this (ms) is flagged (llm_timing_flagged). */
  timingFlagMs: number;
}

/** The reports' knobs. */
export const REPORT_KNOBS: Knobs<ReportConfig> = {
  outDir: knob('LLM_OUT_DIR', { default: '.', description: 'existing folder for the reports (k6 does not create folders; the CLI does)', workloads: ALL, parse: (v) => v }),
  summaryJson: knob('LLM_SUMMARY_JSON', { default: '', defaultText: '`<LLM_OUT_DIR>/llm-summary.json`', description: 'JSON summary path', workloads: ALL, parse: (v) => v || null }),
  lagWarnMs: knob('LLM_LAG_WARN_MS', { default: '5', description: 'generator lag p99 (ms) above which the summary warns', workloads: ALL, parse: (v, env) => number(env, v, 0) }),
  scheduleLagWarnMs: knob('LLM_SCHEDULE_LAG_WARN_MS', {
    default: '25',
    description: 'schedule lag p99 (ms) above which the summary warns',
    workloads: [...SCHEDULED, 'batch'],
    parse: (v, env) => number(env, v, 0),
  }),
  thresholds: knob('LLM_THRESHOLDS', {
    default: '',
    defaultText: '`thresholds/<workload>.json`',
    description: 'SLO file path, bundled profile name (e.g. `relaxed`) or `none` (see [SLOs and gates](slos-and-gates.md))',
    workloads: ALL,
    parse: (v) => v.trim(),
  }),
  timingFlagMs: knob('LLM_TIMING_FLAG_MS', {
    default: '1',
    description: 'flag a request whose TTFT or E2E may read late by more than this many ms (its first or last token waited unread behind a busy generator; `llm_timing_flagged`)',
    workloads: ALL,
    parse: (v, env) => number(env, v, 0),
  }),
};

/** Where the JSON summary goes. */
export function summaryJsonPath(report: Pick<ReportConfig, 'outDir' | 'summaryJson'>): string {
  return report.summaryJson ?? `${report.outDir.replace(/\/+$/, '')}/llm-summary.json`;
}
